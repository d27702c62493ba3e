;; The seed's optional fourth argument of tcp-server-connection-accept: the output
;; line ending of the accepted port (MIT 12.1 takes only three arguments).
(define server (open-tcp-server-socket 18210 (host-address-loopback)))
(define client (open-binary-tcp-stream-socket "localhost" 18210))
(define conn (tcp-server-connection-accept server #t #f "\n"))
(write-string "one" conn) (newline conn) (flush-output conn)
(define conn2-client (open-binary-tcp-stream-socket "localhost" 18210))
(define conn2 (tcp-server-connection-accept server #t #f #f))
(write-string "two" conn2) (newline conn2) (flush-output conn2)
(define (bytes port n) (if (= n 0) '() (let ((b (read-u8 port))) (cons b (bytes port (- n 1))))))
(write (bytes client 4)) (newline)
(write (bytes conn2-client 5)) (newline)
(for-each close-port (list client conn conn2-client conn2))
(close-tcp-server-socket server)
