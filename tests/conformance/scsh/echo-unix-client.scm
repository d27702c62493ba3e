;; Section 4.1 client over a unix socket: socket-connect with a pathname.
(define path (string-append (or (getenv "SCSH_TEST_DIR") "/tmp") "/echo.sock"))
(define s (socket-connect protocol-family/unix socket-type/stream path))
(write-string "first\n" (socket:outport s))
(display (read-line (socket:inport s))) (newline)
(write-string "second\n" (socket:outport s))
(display (read-line (socket:inport s))) (newline)
(close-socket s)
