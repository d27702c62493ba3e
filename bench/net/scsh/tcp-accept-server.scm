#!/usr/local/bin/scsh -s
!#
;; TCP accept server (scsh sockets, socket ports): accept N connections, write one
;; byte on each and close it. Command line: N. Prints its port first.
(define n (string->number (car (command-line-arguments))))
(define server (create-socket protocol-family/internet socket-type/stream))
(set-socket-option server level/socket socket/reuse-address #t)
(bind-socket server (internet-address->socket-address internet-address/loopback 0))
(listen-socket server 128)
(receive (host port) (socket-address->internet-address (socket-local-address server))
  (display port)
  (newline)
  (force-output (current-output-port)))
(let loop ((i 0))
  (if (< i n)
      (receive (conn addr) (accept-connection server)
        (write-string "a" (socket:outport conn))
        (force-output (socket:outport conn))
        (close-socket conn)
        (loop (+ i 1)))))
(close-socket server)
(display "server: accepted ") (display n) (display " connections") (newline)
