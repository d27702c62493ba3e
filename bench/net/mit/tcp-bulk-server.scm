;; TCP bulk server (MIT/GNU Scheme sockets, textual ports): count the characters
;; (one byte each: the client sends ASCII) of one connection, then reply with the
;; count in decimal. Prints its port first.
(define chunk 65536)

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
(define total
  (let loop ((total 0))
    (let ((data (read-string chunk conn)))
      (if (eof-object? data)
          total
          (loop (+ total (string-length data)))))))
(write-string (number->string total) conn)
(close-port conn)
(close-tcp-server-socket server)
(display "server: received ") (display total) (display " bytes") (newline)
