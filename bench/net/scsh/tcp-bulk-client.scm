#!/usr/local/bin/scsh -s
!#
;; TCP bulk client (scsh sockets, socket ports): send SIZE bytes in 64 KiB strings,
;; half-close, read the server's count. Command line: host port size.
(define chunk-size 65536)

;; scsh's clock: (time+ticks) returns seconds and ticks, (ticks/sec) ticks a second.
(define (now)
  (receive (secs ticks) (time+ticks) (+ secs (/ ticks (ticks/sec)))))

(define args (command-line-arguments))
(define size (string->number (list-ref args 2)))
(define sock (socket-connect protocol-family/internet socket-type/stream
                             (list-ref args 0) (string->number (list-ref args 1))))
(define out (socket:outport sock))
(define chunk (make-string chunk-size #\b))
(define t0 (now))
(let loop ((i (quotient size chunk-size)))
  (if (> i 0)
      (begin (write-string chunk out)
             (loop (- i 1)))))
(force-output out)
(shutdown-socket sock shutdown/sends)
(define reply (read-line (socket:inport sock)))
(define t1 (now))
(close-socket sock)
(display "client: sent ") (display size) (display " bytes, server counted ")
(display (string->number reply)) (newline)
(display "elapsed ") (display (exact->inexact (- t1 t0))) (newline)
