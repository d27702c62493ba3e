;; Section 4.4/4.5: a connected datagram socket sends without an address; the
;; receiver uses receive-message! into a string buffer.
(define a (create-socket protocol-family/internet socket-type/datagram))
(define b (create-socket protocol-family/internet socket-type/datagram))
(bind-socket b (internet-address->socket-address internet-address/loopback 0))
(connect-socket a (socket-local-address b))
(send-message a "datagram one")
(define buf (make-string 20 #\.))
(receive (n from) (receive-message!/partial b buf)
  (display (list n buf)) (newline))
(send-message a "two")
(receive (n from) (receive-message!/partial b buf 5 10)
  (display (list n buf)) (newline))
;; a connected datagram socket can also use its output port
(write-string "via the port" (socket:outport a))
(receive (msg from) (receive-message/partial b 100) (display msg) (newline))
;; connecting again re-targets it
(define c (create-socket protocol-family/internet socket-type/datagram))
(bind-socket c (internet-address->socket-address internet-address/loopback 0))
(connect-socket a (socket-local-address c))
(send-message a "to c")
(receive (msg from) (receive-message/partial c 100) (display msg) (newline))
(for-each close-socket (list a b c))
