;; Section 4.1 client connecting by service name ("codasrv", looked up for "tcp").
(define s (socket-connect protocol-family/internet socket-type/stream "localhost" "codasrv"))
(receive (host port) (socket-address->internet-address (socket-remote-address s))
  (display (list 'connected-to port)) (newline))
(display (read-line (socket:inport s))) (newline)
(close-socket s)
