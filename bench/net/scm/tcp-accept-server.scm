;; TCP accept server (SCM sockets): accept N connections, write one byte on each and
;; close it. Command line: N. Prints its port first.
(require 'socket)
;; Arguments after the program file: scm -f FILE ARGS... leaves them at *optind*.
(define args (list-tail *argv* *optind*))
(define n (string->number (car args)))
(define server (socket:bind (make-stream-socket af_inet) 0))
(socket:listen server 128)
(display (socket-name:port-number (getsockname server)))
(newline)
(force-output)
(let loop ((i 0))
  (if (< i n)
      (let ((conn (socket:accept server)))
        (write-char #\a conn)
        (close-port conn)
        (loop (+ i 1)))))
(close-port server)
(display "server: accepted ") (display n) (display " connections") (newline)
