;; Section 4.1 client: socket-connect by host name and by dotted quad, then
;; write-string / read-line on the socket's ports and close-socket.
(define port (string->number (or (getenv "SCSH_TEST_PORT") "47301")))
(define (talk host)
  (let ((s (socket-connect protocol-family/internet socket-type/stream host port)))
    (for-each (lambda (msg)
                (write-string (string-append msg "\n") (socket:outport s))
                (display (read-line (socket:inport s))) (newline))
              (list "hello" "scsh networking" host))
    (close-socket s)))
(talk "localhost")
(talk "127.0.0.1")
