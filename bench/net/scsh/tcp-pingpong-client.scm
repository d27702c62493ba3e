#!/usr/local/bin/scsh -s
!#
;; TCP ping-pong client (scsh sockets, socket ports): N round trips of a 64-byte
;; message. Command line: host port N.
(define size 64)

;; scsh's clock: (time+ticks) returns seconds and ticks, (ticks/sec) ticks a second.
(define (now)
  (receive (secs ticks) (time+ticks) (+ secs (/ ticks (ticks/sec)))))

(define args (command-line-arguments))
(define n (string->number (list-ref args 2)))
(define sock (socket-connect protocol-family/internet socket-type/stream
                             (list-ref args 0) (string->number (list-ref args 1))))
(define in (socket:inport sock))
(define out (socket:outport sock))
(define msg (make-string size #\p))
(define reply (make-string size))
(define t0 (now))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (string-set! msg 0 (integer->char (modulo i 256)))
          (write-string msg out)
          (force-output out)
          (loop (+ i 1)
                (if (and (eqv? (read-string! reply in) size) (string=? reply msg))
                    bad
                    (+ bad 1)))))))
(define t1 (now))
(close-socket sock)
(display "client: ") (display n) (display " round trips of ") (display size)
(display " bytes, ") (display bad) (display " mismatches") (newline)
(display "elapsed ") (display (exact->inexact (- t1 t0))) (newline)
