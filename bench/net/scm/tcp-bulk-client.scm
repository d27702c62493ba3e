;; TCP bulk client (SCM sockets): send SIZE bytes in 64 KiB strings, half-close, read
;; the server's count. Command line: host port size.
(require 'socket)
(define chunk-size 65536)

;; SCM counts 100 internal time units a second: a run shorter than one tick counts
;; as half a tick.
(define (elapsed t0 t1)
  (exact->inexact (/ (max (- t1 t0) 1/2) internal-time-units-per-second)))

;; Arguments after the program file: scm -f FILE ARGS... leaves them at *optind*.
(define args (list-tail *argv* *optind*))
(define size (string->number (list-ref args 2)))
(define conn (socket:connect (make-stream-socket af_inet)
                             (inet:string->address (list-ref args 0))
                             (string->number (list-ref args 1))))
(define chunk (make-string chunk-size #\b))
(define t0 (get-internal-real-time))
(let loop ((i (quotient size chunk-size)))
  (if (> i 0)
      (begin (display chunk conn)
             (loop (- i 1)))))
(socket:shutdown conn 1)
(define reply (read-line conn))
(define t1 (get-internal-real-time))
(close-port conn)
(display "client: sent ") (display size) (display " bytes, server counted ")
(display (string->number reply)) (newline)
(display "elapsed ") (display (elapsed t0 t1)) (newline)
