;; TCP accept server (MIT/GNU Scheme sockets, textual ports): accept N connections,
;; write one character on each and close it. Command line (after --): N.
;; Prints its port first.
;; MIT cannot tell which port the OS chose for service 0, so try ports from a
;; clock-derived start until one is free.
(define (open-server)
  (let loop ((port (+ 20000 (modulo (current-jiffy) 12000))) (tries 0))
    (let ((server (guard (e ((< tries 100) #f))
                    (open-tcp-server-socket port (host-address-loopback)))))
      (if server
          (begin (display port) (newline) (flush-output) server)
          (loop (+ port 1) (+ tries 1))))))

(define n (string->number (car (command-line-arguments))))
(define server (open-server))
(let loop ((i 0))
  (when (< i n)
    (let ((conn (tcp-server-connection-accept server #t #f)))
      (write-char #\a conn)
      (close-port conn)
      (loop (+ i 1)))))
(close-tcp-server-socket server)
(display "server: accepted ") (display n) (display " connections") (newline)
