;; Unix-domain ping-pong server (SCM sockets): echo 64-byte messages until EOF.
;; Command line: socket path. Prints the path first; the runner then starts the client.
(require 'socket)
(define size 64)  ; uniform-array-read! reads a whole string unless EOF comes first
;; Arguments after the program file: scm -f FILE ARGS... leaves them at *optind*.
(define args (list-tail *argv* *optind*))
(define path (car args))
(define server (socket:bind (make-stream-socket af_unix) path))
(socket:listen server 128)
(display path)
(newline)
(force-output)
(define conn (socket:accept server))
(define buf (make-string size))
(define count
  (let loop ((count 0))
    (if (< (uniform-array-read! buf conn) size)
        count
        (begin (display buf conn)
               (loop (+ count 1))))))
(close-port conn)
(close-port server)
(display "server: echoed ") (display count) (display " messages") (newline)
