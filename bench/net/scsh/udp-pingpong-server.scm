#!/usr/local/bin/scsh -s
!#
;; UDP ping-pong server (scsh sockets): answer N 64-byte datagrams to their senders
;; with receive-message!/partial and send-message. Command line: N.
;; Prints its port first.
(define n (string->number (car (command-line-arguments))))
(define server (create-socket protocol-family/internet socket-type/datagram))
(bind-socket server (internet-address->socket-address internet-address/loopback 0))
(receive (host port) (socket-address->internet-address (socket-local-address server))
  (display port)
  (newline)
  (force-output (current-output-port)))
(define buf (make-string 64))
(define count
  (let loop ((i 0))
    (if (= i n)
        i
        (receive (got from) (receive-message!/partial server buf)
          (send-message server buf 0 got 0 from)
          (loop (+ i 1))))))
(close-socket server)
(display "server: answered ") (display count) (display " datagrams") (newline)
