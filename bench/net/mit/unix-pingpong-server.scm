;; Unix-domain ping-pong server (MIT/GNU Scheme sockets, textual ports): echo
;; 64-character messages until EOF. Command line (after --): socket path.
;; Prints the path first; the runner then starts the client.
(define size 64)

(define path (car (command-line-arguments)))
(define server (open-unix-server-socket path))
(display path) (newline) (flush-output)
(define conn (unix-server-connection-accept server #t))
(define count
  (let loop ((count 0))
    (let ((msg (read-string size conn)))
      (if (or (eof-object? msg) (< (string-length msg) size))
          count
          (begin (write-string msg conn)
                 (flush-output conn)
                 (loop (+ count 1)))))))
(close-port conn)
(close-unix-server-socket server)
(display "server: echoed ") (display count) (display " messages") (newline)
