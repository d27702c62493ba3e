;; TCP bulk server (Guile sockets): count the bytes of one connection, then reply with
;; the count in decimal. Prints its port first.
(use-modules (rnrs bytevectors))
(define chunk 65536)

;; Send all of bv (send may write less than asked).
(define (send-all sock bv)
  (let loop ((bv bv))
    (let ((sent (send sock bv)))
      (when (< sent (bytevector-length bv))
        (let ((rest (make-bytevector (- (bytevector-length bv) sent))))
          (bytevector-copy! bv sent rest 0 (bytevector-length rest))
          (loop rest))))))

(define server (socket PF_INET SOCK_STREAM 0))
(setsockopt server SOL_SOCKET SO_REUSEADDR 1)
(bind server AF_INET INADDR_LOOPBACK 0)
(listen server 128)
(display (sockaddr:port (getsockname server)))
(newline)
(force-output)
(define conn (car (accept server)))
(define buf (make-bytevector chunk))
(define total
  (let loop ((total 0))
    (let ((got (recv! conn buf)))
      (if (= got 0)
          total
          (loop (+ total got))))))
(send-all conn (string->utf8 (number->string total)))
(close-port conn)
(close-port server)
(simple-format #t "server: received ~A bytes\n" total)
