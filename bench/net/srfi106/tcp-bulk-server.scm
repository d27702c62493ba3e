;; TCP bulk server (SRFI 106): count the bytes of one connection, then reply with
;; the count in decimal. Prints its port first.
(define chunk 65536)
(define server (make-server-socket "0"))
(display (socket-local-port server))
(newline)
(flush-output-port)
(define conn (socket-accept server))
(define total
  (let loop ((total 0))
    (let ((got (bytevector-length (socket-recv conn chunk))))
      (if (= got 0)
          total
          (loop (+ total got))))))
(socket-send conn (string->utf8 (number->string total)))
(socket-close conn)
(socket-close server)
(display "server: received ") (display total) (display " bytes") (newline)
