;; TCP accept server (CHICKEN socket egg): accept N connections, send each one byte
;; and close it. Command line: N. Prints its port first.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)
(define n (string->number (car (command-line-arguments))))
(define server (socket af/inet sock/stream))
(set! (so-reuse-address? server) #t)
(socket-bind server (inet-address "127.0.0.1" 0))
(socket-listen server 128)
(print (sockaddr-port (socket-name server)))
(flush-output)
(let loop ((i 0))
  (when (< i n)
    (let ((conn (socket-accept server)))
      (socket-send-all conn "a")
      (socket-close conn)
      (loop (+ i 1)))))
(socket-close server)
(print "server: accepted " n " connections")
