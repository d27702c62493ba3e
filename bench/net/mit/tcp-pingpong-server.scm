;; TCP ping-pong server (MIT/GNU Scheme sockets, textual ports): echo 64-character
;; messages until EOF. Prints its port first; the runner starts the client with it.
(define size 64)

;; MIT cannot tell which port the OS chose for service 0, so try ports from a
;; clock-derived start until one is free.
(define (open-server)
  (let loop ((port (+ 20000 (modulo (current-jiffy) 12000))) (tries 0))
    (let ((server (guard (e ((< tries 100) #f))
                    (open-tcp-server-socket port (host-address-loopback)))))
      (if server
          (begin (display port) (newline) (flush-output) server)
          (loop (+ port 1) (+ tries 1))))))

(define server (open-server))
(define conn (tcp-server-connection-accept server #t #f))
(define count
  (let loop ((count 0))
    (let ((msg (read-string size conn)))
      (if (or (eof-object? msg) (< (string-length msg) size))
          count
          (begin (write-string msg conn)
                 (flush-output conn)
                 (loop (+ count 1)))))))
(close-port conn)
(close-tcp-server-socket server)
(display "server: echoed ") (display count) (display " messages") (newline)
