;; UDP ping-pong server (SRFI 106 + (polysock extras)): answer N 64-byte datagrams
;; to their senders. Command line: N. Prints its port first.
;; SRFI 106 cannot reply on an unconnected datagram socket: socket-recvfrom and
;; socket-sendto come from (polysock extras).
(define n (string->number (cadr (command-line))))
(define server (make-server-socket "0" *af-inet* *sock-dgram*))
(display (socket-local-port server))
(newline)
(flush-output-port)
(define count
  (let loop ((i 0))
    (if (= i n)
        i
        (call-with-values (lambda () (socket-recvfrom server 64))
          (lambda (data peer)
            (socket-sendto server data peer)
            (loop (+ i 1)))))))
(socket-close server)
(display "server: answered ") (display count) (display " datagrams") (newline)
