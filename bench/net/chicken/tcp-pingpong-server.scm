;; TCP ping-pong server (CHICKEN socket egg): echo 64-byte messages until EOF.
;; Prints its port first; the runner starts the client with it.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)
(define size 64)

;; Fill buf (a string) from so; the byte count, less than its length only at EOF.
(define (recv-exact! so buf)
  (let ((n (string-length buf)))
    (let loop ((got 0))
      (if (>= got n)
          got
          (let ((k (socket-receive! so buf got)))
            (if (= k 0) got (loop (+ got k))))))))

(define server (socket af/inet sock/stream))
(set! (so-reuse-address? server) #t)
(socket-bind server (inet-address "127.0.0.1" 0))
(socket-listen server 128)
(print (sockaddr-port (socket-name server)))
(flush-output)
(define conn (socket-accept server))
(define buf (make-string size))
(define count
  (let loop ((count 0))
    (if (< (recv-exact! conn buf) size)
        count
        (begin (socket-send-all conn buf)
               (loop (+ count 1))))))
(socket-close conn)
(socket-close server)
(print "server: echoed " count " messages")
