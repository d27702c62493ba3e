#!/usr/local/bin/scsh -s
!#
;; TCP accept client (scsh sockets, socket ports): N short connections, each reading
;; one byte. Command line: host port N.
;; scsh's clock: (time+ticks) returns seconds and ticks, (ticks/sec) ticks a second.
(define (now)
  (receive (secs ticks) (time+ticks) (+ secs (/ ticks (ticks/sec)))))

(define args (command-line-arguments))
(define host (list-ref args 0))
(define port (string->number (list-ref args 1)))
(define n (string->number (list-ref args 2)))
(define t0 (now))
(define good
  (let loop ((i 0) (good 0))
    (if (= i n)
        good
        (let* ((sock (socket-connect protocol-family/internet socket-type/stream host port))
               (ok (eqv? (read-char (socket:inport sock)) #\a)))
          (close-socket sock)
          (loop (+ i 1) (if ok (+ good 1) good))))))
(define t1 (now))
(display "client: ") (display n) (display " connections, ") (display good) (display " replies")
(newline)
(display "elapsed ") (display (exact->inexact (- t1 t0))) (newline)
