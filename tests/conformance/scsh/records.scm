;; The record definitions printed in the manual (sections 4.2, 4.3, 4.7), unmodified,
;; wrapped in a program that builds each record and reads it back with the
;; name:field accessors scsh's define-record generates.
(define-record socket
  family                                ; protocol family
  inport                                ; input-port
  outport)                              ; output-port

(define-record socket-address
  family)                               ; address family

(define-record host-info
  name                                  ; Host name
  aliases                               ; Alternative names
  addresses)                            ; Host addresses

(define-record network-info
  name                                  ; Network name
  aliases                               ; Alternative names
  net)                                  ; Network number

(define-record service-info
  name                                  ; Service name
  aliases                               ; Alternative names
  port                                  ; Port number
  protocol)                             ; Protocol name

(define-record protocol-info
  name                                  ; Protocol name
  aliases                               ; Alternative names
  number)                               ; Protocol number)

(define s (make-socket 2 'in 'out))
(display (list (socket? s) (socket:family s) (socket:inport s) (socket:outport s))) (newline)
(set-socket:family! s 1)
(display (socket:family s)) (newline)
(define a (make-socket-address 2))
(display (list (socket-address? a) (socket-address:family a) (socket? a))) (newline)
(define h (make-host-info "localhost" '() (list #x7f000001)))
(display (list (host-info:name h) (host-info:aliases h) (host-info:addresses h))) (newline)
(define n (make-network-info "loopback" '("lo") 127))
(display (list (network-info:name n) (network-info:aliases n) (network-info:net n))) (newline)
(define v (make-service-info "ftp" '() 21 "tcp"))
(display (list (service-info:name v) (service-info:port v) (service-info:protocol v))) (newline)
(define p (make-protocol-info "tcp" '("TCP") 6))
(display (list (protocol-info:name p) (protocol-info:aliases p) (protocol-info:number p))) (newline)
