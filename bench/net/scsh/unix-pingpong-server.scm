#!/usr/local/bin/scsh -s
!#
;; Unix-domain ping-pong server (scsh sockets, socket ports): echo 64-byte messages
;; until EOF. Command line: socket path. Prints the path first; the runner then
;; starts the client.
(define size 64)
(define path (car (command-line-arguments)))
(define server (create-socket protocol-family/unix socket-type/stream))
(bind-socket server (unix-address->socket-address path))
(listen-socket server 128)
(display path)
(newline)
(force-output (current-output-port))
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
