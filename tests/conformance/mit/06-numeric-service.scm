;; The seed: a service is a port number as a string or an integer.
;; MIT 12.1 looks a digit string up in /etc/services (fails); the seed wins here.
(define server (open-tcp-server-socket "18206" (host-address-loopback)))
(define client (open-tcp-stream-socket "localhost" "18206"))
(define conn (tcp-server-connection-accept server #t #f))
(write-line "via a numeric string" client)
(flush-output client)
(write (read conn)) (newline)
(close-port client) (close-port conn) (close-tcp-server-socket server)
