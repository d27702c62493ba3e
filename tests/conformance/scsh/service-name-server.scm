;; listens-on: 2432
;; Section 4.1 with a service name instead of a port number: "codasrv" is 2432/tcp
;; in /etc/services. bind-prepare-listen-accept-loop resolves the name (spec D).
(define info (service-info "codasrv" "tcp"))
(display (list (service-info:name info) (service-info:port info) (service-info:protocol info)))
(newline)
(bind-prepare-listen-accept-loop protocol-family/internet
  (lambda () (display "bound") (newline) (force-output))
  (lambda (sock addr)
    (write-string (string-append "welcome to " (service-info:name info) "\n") (socket:outport sock))
    (close-socket sock)
    (exit 0))
  "codasrv")
