;; UDP ping-pong server (CHICKEN socket egg): answer N 64-byte datagrams to their
;; senders with socket-receive-from! and socket-send-to. Command line: N.
;; Prints its port first.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)
(define n (string->number (car (command-line-arguments))))
(define server (socket af/inet sock/dgram))
(socket-bind server (inet-address "127.0.0.1" 0))
(print (sockaddr-port (socket-name server)))
(flush-output)
(define buf (make-string 64))
(define count
  (let loop ((i 0))
    (if (= i n)
        i
        (call-with-values (lambda () (socket-receive-from! server buf))
          (lambda (got peer)
            (socket-send-to server buf peer 0 got)
            (loop (+ i 1)))))))
(socket-close server)
(print "server: answered " count " datagrams")
