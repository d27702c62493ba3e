;; TCP ping-pong server (SCM sockets): echo 64-byte messages until EOF.
;; Prints its port first; the runner starts the client with it.
(require 'socket)
(define size 64)  ; uniform-array-read! reads a whole string unless EOF comes first

(define server (socket:bind (make-stream-socket af_inet) 0))
(socket:listen server 128)
(display (socket-name:port-number (getsockname server)))
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
