;; TCP bulk server (SCM sockets): count the bytes of one connection, then reply with
;; the count in decimal. Prints its port first.
(require 'socket)
(define chunk 65536)
(define server (socket:bind (make-stream-socket af_inet) 0))
(socket:listen server 128)
(display (socket-name:port-number (getsockname server)))
(newline)
(force-output)
(define conn (socket:accept server))
(define buf (make-string chunk))
;; uniform-array-read! fills buf unless EOF comes first
(define total
  (let loop ((total 0))
    (let ((got (uniform-array-read! buf conn)))
      (if (< got chunk)
          (+ total got)
          (loop (+ total got))))))
(display total conn)
(close-port conn)
(close-port server)
(display "server: received ") (display total) (display " bytes") (newline)
