;; Section 4.1 server: an echo service on bind-listen-accept-loop (internet). The
;; loop never returns; this server exits after its second client.
(define port (string->number (or (getenv "SCSH_TEST_PORT") "47301")))
(define served 0)
(bind-listen-accept-loop protocol-family/internet
  (lambda (sock addr)
    (receive (host client-port) (socket-address->internet-address addr)
      (display (list 'connection-from (number->string host 16))) (newline))
    (let loop ()
      (let ((line (read-line (socket:inport sock))))
        (if (not (eof-object? line))
            (begin (write-string (string-append line "\n") (socket:outport sock))
                   (loop)))))
    (close-socket sock)
    (set! served (+ served 1))
    (if (= served 2)
        (begin (display "served 2 clients") (newline) (exit 0))))
  port)
