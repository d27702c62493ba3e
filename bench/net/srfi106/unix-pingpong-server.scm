;; Unix-domain ping-pong server (SRFI 106 + (polysock extras)): echo 64-byte messages until EOF.
;; Command line: socket path. Prints the path first; the runner then starts the client.
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

(define path (cadr (command-line)))
(define server (make-unix-server-socket path))
(display path)
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
