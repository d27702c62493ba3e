;; Unix-domain ping-pong client (SCM sockets): N round trips of a 64-byte message.
;; Command line: path N.
(require 'socket)
(define size 64)  ; uniform-array-read! reads a whole string unless EOF comes first

;; SCM counts 100 internal time units a second: a run shorter than one tick counts
;; as half a tick.
(define (elapsed t0 t1)
  (exact->inexact (/ (max (- t1 t0) 1/2) internal-time-units-per-second)))

;; Arguments after the program file: scm -f FILE ARGS... leaves them at *optind*.
(define args (list-tail *argv* *optind*))
(define n (string->number (list-ref args 1)))
(define conn (socket:connect (make-stream-socket af_unix) (list-ref args 0)))
(define msg (make-string size #\p))
(define reply (make-string size))
(define t0 (get-internal-real-time))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (string-set! msg 0 (integer->char (modulo i 256)))
          (display msg conn)
          (loop (+ i 1)
                (if (and (= (uniform-array-read! reply conn) size) (string=? reply msg))
                    bad
                    (+ bad 1)))))))
(define t1 (get-internal-real-time))
(close-port conn)
(display "client: ") (display n) (display " round trips of ") (display size)
(display " bytes, ") (display bad) (display " mismatches") (newline)
(display "elapsed ") (display (elapsed t0 t1)) (newline)
