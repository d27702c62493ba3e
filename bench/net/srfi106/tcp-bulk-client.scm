;; TCP bulk client (SRFI 106): send SIZE bytes in 64 KiB chunks, half-close, read
;; the server's count. Command line: host port size.
(define chunk-size 65536)
(define args (cdr (command-line)))
(define size (string->number (list-ref args 2)))
(define sock (make-client-socket (list-ref args 0) (list-ref args 1)))
(define chunk (make-bytevector chunk-size (char->integer #\b)))
(define t0 (current-jiffy))
(let loop ((i (quotient size chunk-size)))
  (when (> i 0)
    (socket-send sock chunk)
    (loop (- i 1))))
(socket-shutdown sock *shut-wr*)
(define reply
  (let loop ((acc (bytevector)))
    (let ((data (socket-recv sock 64)))
      (if (= (bytevector-length data) 0)
          acc
          (loop (bytevector-append acc data))))))
(define t1 (current-jiffy))
(socket-close sock)
(display "client: sent ") (display size) (display " bytes, server counted ")
(display (string->number (utf8->string reply))) (newline)
(display "elapsed ") (display (exact->inexact (/ (- t1 t0) (jiffies-per-second)))) (newline)
