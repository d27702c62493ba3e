;; Unix-domain ping-pong server (Guile sockets): echo 64-byte messages until EOF.
;; Command line: socket path. Prints the path first; the runner then starts the client.
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

(define path (cadr (command-line)))
(define server (socket PF_UNIX SOCK_STREAM 0))
(bind server AF_UNIX path)
(listen server 128)
(display path)
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
