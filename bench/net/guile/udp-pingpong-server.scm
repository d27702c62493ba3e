;; UDP ping-pong server (Guile sockets): answer N 64-byte datagrams to their senders
;; with recvfrom! and sendto. Command line: N. Prints its port first.
(use-modules (rnrs bytevectors))
(define n (string->number (cadr (command-line))))
(define server (socket PF_INET SOCK_DGRAM 0))
(bind server AF_INET INADDR_LOOPBACK 0)
(display (sockaddr:port (getsockname server)))
(newline)
(force-output)
(define buf (make-bytevector 64))
(define count
  (let loop ((i 0))
    (if (= i n)
        i
        (let* ((got (recvfrom! server buf))
               (data (if (= (car got) 64)
                         buf
                         (let ((part (make-bytevector (car got))))
                           (bytevector-copy! buf 0 part 0 (car got))
                           part))))
          (sendto server data (cdr got))
          (loop (+ i 1))))))
(close-port server)
(simple-format #t "server: answered ~A datagrams\n" count)
