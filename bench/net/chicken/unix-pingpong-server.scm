;; Unix-domain ping-pong server (CHICKEN socket egg): echo 64-byte messages until EOF.
;; Command line: socket path. Prints the path first; the runner then starts the client.
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

(define path (car (command-line-arguments)))
(define server (socket af/unix sock/stream))
(socket-bind server (unix-address path))
(socket-listen server 128)
(print path)
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
