;; TCP ping-pong server (SRFI 106): echo 64-byte messages until EOF.
;; Prints its port first; the runner starts the client with it.
(define size 64)

(define (recv-exact sock n)
  (let loop ((data (socket-recv sock n)))
    (let ((got (bytevector-length data)))
      (if (or (= got 0) (>= got n))
          data
          (let ((more (socket-recv sock (- n got))))
            (if (= (bytevector-length more) 0)
                data
                (loop (bytevector-append data more))))))))

(define server (make-server-socket "0"))
(display (socket-local-port server))
(newline)
(flush-output-port)
(define conn (socket-accept server))
(define count
  (let loop ((count 0))
    (let ((msg (recv-exact conn size)))
      (if (< (bytevector-length msg) size)
          count
          (begin (socket-send conn msg)
                 (loop (+ count 1)))))))
(socket-close conn)
(socket-close server)
(display "server: echoed ") (display count) (display " messages") (newline)
