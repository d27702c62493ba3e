#!/usr/local/bin/scsh -s
!#
;; TCP ping-pong server (scsh sockets, socket ports): echo 64-byte messages until EOF.
;; Prints its port first; the runner starts the client with it.
(define size 64)
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
(define out (socket:outport conn))
(define buf (make-string size))
;; read-string! fills buf unless EOF comes first (then a shorter count, or #f)
(define count
  (let loop ((count 0))
    (if (eqv? (read-string! buf in) size)
        (begin (write-string buf out)
               (force-output out)
               (loop (+ count 1)))
        count)))
(close-socket conn)
(close-socket server)
(display "server: echoed ") (display count) (display " messages") (newline)
