;; Section 4.7: network-info by name and by socket-address; #f when not found.
(define n (network-info "loopback"))
(display (list (network-info? n) (network-info:name n) (network-info:net n)
               (list? (network-info:aliases n))))
(newline)
(define m (network-info (internet-address->socket-address #x7f000001 0)))
(display (list 'containing-127.0.0.1 (and m (network-info:name m)))) (newline)
(display (network-info "no-such-network")) (newline)
