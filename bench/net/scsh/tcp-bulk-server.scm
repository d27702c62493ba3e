#!/usr/local/bin/scsh -s
!#
;; TCP bulk server (scsh sockets, socket ports): count the bytes of one connection,
;; then reply with the count in decimal. Prints its port first.
(define chunk 65536)
(define server (create-socket protocol-family/internet socket-type/stream))
(set-socket-option server level/socket socket/reuse-address #t)
(bind-socket server (internet-address->socket-address internet-address/loopback 0))
(listen-socket server 128)
(receive (host port) (socket-address->internet-address (socket-local-address server))
  (display port)
  (newline)
  (force-output (current-output-port)))
(define conn (receive (conn addr) (accept-connection server) conn))
(define in (socket:inport conn))
(define buf (make-string chunk))
(define total
  (let loop ((total 0))
    (let ((got (read-string!/partial buf in)))
      (if got
          (loop (+ total got))
          total))))
(write-string (number->string total) (socket:outport conn))
(force-output (socket:outport conn))
(close-socket conn)
(close-socket server)
(display "server: received ") (display total) (display " bytes") (newline)
