;; Section 4.7: service-info by name or port, optionally restricted to a protocol.
(define (show s)
  (display (if s
               (list (service-info? s) (service-info:name s) (service-info:aliases s)
                     (service-info:port s) (service-info:protocol s))
               s))
  (newline))
(show (service-info "ftp" "tcp"))
(show (service-info "domain" "udp"))
(show (service-info 80 "tcp"))
(show (service-info 22))
(show (service-info "ssh" ""))
(show (service-info "no-such-service" "tcp"))
(show (service-info 1 "no-such-protocol"))
