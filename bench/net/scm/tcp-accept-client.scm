;; TCP accept client (SCM sockets): N short connections, each reading one byte.
;; Command line: host port N.
(require 'socket)

;; SCM counts 100 internal time units a second: a run shorter than one tick counts
;; as half a tick.
(define (elapsed t0 t1)
  (exact->inexact (/ (max (- t1 t0) 1/2) internal-time-units-per-second)))

;; Arguments after the program file: scm -f FILE ARGS... leaves them at *optind*.
(define args (list-tail *argv* *optind*))
(define host (inet:string->address (list-ref args 0)))
(define port (string->number (list-ref args 1)))
(define n (string->number (list-ref args 2)))
(define t0 (get-internal-real-time))
(define good
  (let loop ((i 0) (good 0))
    (if (= i n)
        good
        (let* ((conn (socket:connect (make-stream-socket af_inet) host port))
               (ok (eqv? (read-char conn) #\a)))
          (close-port conn)
          (loop (+ i 1) (if ok (+ good 1) good))))))
(define t1 (get-internal-real-time))
(display "client: ") (display n) (display " connections, ") (display good) (display " replies")
(newline)
(display "elapsed ") (display (elapsed t0 t1)) (newline)
