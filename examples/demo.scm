;; The polysock demo: a SRFI 106 echo server and a client talking over loopback,
;; each in its own green thread (SRFI 18), in one process. It finishes by itself.
(define server (make-server-socket "0"))          ; port "0": the OS picks a free port
(define port (number->string (socket-local-port server)))

;; SRFI 106 socket ports are binary: read one text line from one.
(define (read-text-line in)
  (let loop ((acc '()))
    (let ((b (read-u8 in)))
      (cond ((eof-object? b) (if (null? acc) b (utf8->string (apply bytevector (reverse acc)))))
            ((= b 10) (utf8->string (apply bytevector (reverse acc))))
            (else (loop (cons b acc)))))))

(define (write-text-line text out)
  (write-bytevector (string->utf8 (string-append text "\n")) out)
  (flush-output-port out))

(define (serve-one)
  (let* ((conn (socket-accept server))
         (in (socket-input-port conn))
         (out (socket-output-port conn)))
    (let loop ()
      (let ((line (read-text-line in)))
        (unless (eof-object? line)
          (write-text-line (string-append "echo: " line) out)
          (loop))))
    (socket-close conn)))

(define server-thread (make-thread serve-one "server"))
(thread-start! server-thread)

(define client (make-client-socket "127.0.0.1" port))
(define client-in (socket-input-port client))
(define client-out (socket-output-port client))

(for-each (lambda (msg)
            (write-text-line msg client-out)
            (display "client sent: ") (display msg) (newline)
            (display "client got:  ") (display (read-text-line client-in)) (newline))
          '("hello" "polysock" "bye"))
(socket-shutdown client *shut-wr*)
(thread-join! server-thread)
(socket-close client)
(socket-close server)
(display "done") (newline)
