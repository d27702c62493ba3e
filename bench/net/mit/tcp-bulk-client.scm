;; TCP bulk client (MIT/GNU Scheme sockets, textual ports): send SIZE ASCII characters
;; in 64 Ki-character strings, half-close (close-output-port), read the server's count.
;; Command line (after --): host port size.
(define chunk-size 65536)

;; MIT counts 100 jiffies a second: a run shorter than one tick counts as half a tick.
(define (elapsed t0 t1) (exact->inexact (/ (max (- t1 t0) 1/2) (jiffies-per-second))))

(define args (command-line-arguments))
(define size (string->number (list-ref args 2)))
(define conn (open-tcp-stream-socket (list-ref args 0) (string->number (list-ref args 1))))
(define chunk (make-string chunk-size #\b))
(define t0 (current-jiffy))
(let loop ((i (quotient size chunk-size)))
  (when (> i 0)
    (write-string chunk conn)
    (loop (- i 1))))
(flush-output conn)
(close-output-port conn)
(define reply (read-line conn))
(define t1 (current-jiffy))
(close-port conn)
(display "client: sent ") (display size) (display " bytes, server counted ")
(display (string->number reply)) (newline)
(display "elapsed ") (display (elapsed t0 t1)) (newline)
