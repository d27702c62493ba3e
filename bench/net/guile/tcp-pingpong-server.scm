;; TCP ping-pong server (Guile sockets): echo 64-byte messages until EOF.
;; Prints its port first; the runner starts the client with it.
(use-modules (rnrs bytevectors))
(define size 64)

;; Fill buf from sock with recv!; the byte count (less than buf's length only at EOF).
(define (recv-exact! sock buf)
  (let ((n (bytevector-length buf)))
    (let loop ((got (recv! sock buf)))
      (if (or (= got 0) (>= got n))
          got
          (let* ((tmp (make-bytevector (- n got)))
                 (more (recv! sock tmp)))
            (if (= more 0)
                got
                (begin (bytevector-copy! tmp 0 buf got more)
                       (loop (+ got more)))))))))

;; Send all of bv (send may write less than asked).
(define (send-all sock bv)
  (let loop ((bv bv))
    (let ((sent (send sock bv)))
      (when (< sent (bytevector-length bv))
        (let ((rest (make-bytevector (- (bytevector-length bv) sent))))
          (bytevector-copy! bv sent rest 0 (bytevector-length rest))
          (loop rest))))))

(define server (socket PF_INET SOCK_STREAM 0))
(setsockopt server SOL_SOCKET SO_REUSEADDR 1)
(bind server AF_INET INADDR_LOOPBACK 0)
(listen server 128)
(display (sockaddr:port (getsockname server)))
(newline)
(force-output)
(define conn (car (accept server)))
(define buf (make-bytevector size))
(define count
  (let loop ((count 0))
    (if (< (recv-exact! conn buf) size)
        count
        (begin (send-all conn buf)
               (loop (+ count 1))))))
(close-port conn)
(close-port server)
(simple-format #t "server: echoed ~A messages\n" count)
