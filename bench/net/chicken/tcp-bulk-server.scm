;; TCP bulk server (CHICKEN socket egg): count the bytes of one connection, then reply
;; with the count in decimal. Prints its port first.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)
(define chunk 65536)
(define server (socket af/inet sock/stream))
(set! (so-reuse-address? server) #t)
(socket-bind server (inet-address "127.0.0.1" 0))
(socket-listen server 128)
(print (sockaddr-port (socket-name server)))
(flush-output)
(define conn (socket-accept server))
(define buf (make-string chunk))
(define total
  (let loop ((total 0))
    (let ((got (socket-receive! conn buf)))
      (if (= got 0)
          total
          (loop (+ total got))))))
(socket-send-all conn (number->string total))
(socket-close conn)
(socket-close server)
(print "server: received " total " bytes")
