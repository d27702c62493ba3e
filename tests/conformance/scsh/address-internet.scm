;; Section 4.3: internet socket addresses from integer host addresses and ports.
(define a (internet-address->socket-address internet-address/loopback 8080))
(display (socket-address? a)) (newline)
(display (= (socket-address:family a) address-family/internet)) (newline)
(receive (host port) (socket-address->internet-address a)
  (display (list (number->string host 16) port)) (newline))
(call-with-values (lambda () (socket-address->internet-address
                              (internet-address->socket-address internet-address/any 0)))
  (lambda (h p) (display (list h p)) (newline)))
(receive (h p) (socket-address->internet-address
                (internet-address->socket-address internet-address/broadcast 65535))
  (display (list (number->string h 16) p)) (newline))
(receive (h p) (socket-address->internet-address
                (internet-address->socket-address #xc0a80001 22))
  (display (list h p)) (newline))
(display (socket-address? 42)) (newline)
