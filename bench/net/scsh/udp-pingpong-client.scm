#!/usr/local/bin/scsh -s
!#
;; UDP ping-pong client (scsh sockets): N round trips of a 64-byte datagram over a
;; connected datagram socket. Command line: host port N.
(define size 64)

;; scsh's clock: (time+ticks) returns seconds and ticks, (ticks/sec) ticks a second.
(define (now)
  (receive (secs ticks) (time+ticks) (+ secs (/ ticks (ticks/sec)))))

(define args (command-line-arguments))
(define n (string->number (list-ref args 2)))
(define sock (socket-connect protocol-family/internet socket-type/datagram
                             (list-ref args 0) (string->number (list-ref args 1))))
(define msg (make-string size #\u))
(define reply (make-string size))
(define t0 (now))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (string-set! msg 0 (integer->char (modulo i 256)))
          (send-message sock msg)
          (loop (+ i 1)
                (receive (got from) (receive-message!/partial sock reply)
                  (if (and (eqv? got size) (string=? reply msg)) bad (+ bad 1))))))))
(define t1 (now))
(close-socket sock)
(display "client: ") (display n) (display " round trips of ") (display size)
(display " bytes, ") (display bad) (display " mismatches") (newline)
(display "elapsed ") (display (exact->inexact (- t1 t0))) (newline)
