;; address-information failures that do not touch the network. The resolver's
;; "name not known" (EAI_NONAME) is the empty list, not an error.
;; Recorded from CHICKEN 5.3 + socket egg 0.3.3 (see record.py); loopback only.
(import scheme (chicken base) (chicken condition) (chicken format) (chicken port) (chicken io) (chicken blob) socket)
(define (kinds e)
  (let loop ((ks '(exn i/o net timeout transient unsupported type bounds domain arity)) (acc '()))
    (cond ((null? ks) (reverse acc))
          (((condition-predicate (car ks)) e) (loop (cdr ks) (cons (car ks) acc)))
          (else (loop (cdr ks) acc)))))
(define (report label e)
  (printf "~a => ERROR ~s ~s: ~a~%" label (kinds e)
          ((condition-property-accessor 'exn 'location #f) e)
          ((condition-property-accessor 'exn 'message "") e)))
(define-syntax try
  (syntax-rules ()
    ((_ label expr)
     (handle-exceptions e (report label e)
       (let ((v expr)) (printf "~a => ~s~%" label v))))))
;; A listening TCP socket on 127.0.0.1 with a port chosen by the OS.
(define (tcp-listener)
  (let ((l (socket af/inet sock/stream)))
    (set! (so-reuse-address? l) #t)
    (socket-bind l (inet-address "127.0.0.1" 0))
    (socket-listen l 16)
    l))
;; A connected pair (client . server-side) through listener l.
(define (tcp-pair l)
  (let ((c (socket af/inet sock/stream)))
    (socket-connect c (socket-name l))
    (cons c (socket-accept l))))
;; ---
(try "numerichost with a name" (address-information "localhost" 80 flags: ai/numerichost))
(try "bad numeric v6" (address-information "1::2::3" 80 flags: ai/numerichost))
(try "numerichost v4 ok" (length (address-information "127.0.0.1" 80 flags: ai/numerichost)))
;; Not here: every other resolver failure (unknown service, bad family:, type: or flags:).
;; Real CHICKEN then frees an unset result pointer (the egg's getaddrinfo error path) and
;; crashes or aborts at random; polysock raises (exn i/o net) with the resolver's message
;; at location getaddrinfo (see docs/dialects/chicken.md).
