;; parse-inet-address splits host and port.
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
(define (p s) (call-with-values (lambda () (parse-inet-address s)) list))
(for-each (lambda (s) (try s (p s)))
          '("127.0.0.1:80" "127.0.0.1" "[::1]:443" "[::1]" "::1" "fe80::1:2" "host:http"
            ":80" "host:" "" "[]:80" "[::1]x" "[::1" "a:b:c"))
