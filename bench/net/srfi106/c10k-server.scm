;; c10k server (SRFI 106 + SRFI 18): one green thread per connection; each greets
;; with one byte, echoes one 64-byte message and closes on the
;; client's one-byte goodbye. Command line: N connections to serve.
;; Prints its port first. Green threads switch only when one would block, so the
;; counters below need no mutex.
(define size 64)
(define n (string->number (cadr (command-line))))
(define active 0)
(define peak 0)
(define echoed 0)

(define (recv-exact sock n)
  (let loop ((data (socket-recv sock n)))
    (let ((got (bytevector-length data)))
      (if (or (= got 0) (>= got n))
          data
          (let ((more (socket-recv sock (- n got))))
            (if (= (bytevector-length more) 0)
                data
                (loop (bytevector-append data more))))))))

(define greeting (string->utf8 "+"))

(define (serve conn)
  (socket-send conn greeting)
  (let ((msg (recv-exact conn size)))
    (socket-send conn msg)
    (socket-recv conn 1)          ; the client's goodbye (or EOF): close first
    (socket-close conn)
    (set! active (- active 1))
    (when (= (bytevector-length msg) size)
      (set! echoed (+ echoed 1)))))

(define server (make-server-socket "0"))
(display (socket-local-port server))
(newline)
(flush-output-port)
(define threads
  (let loop ((i 0) (threads '()))
    (if (= i n)
        threads
        (let ((conn (socket-accept server)))
          (set! active (+ active 1))
          (when (> active peak) (set! peak active))
          (let ((t (make-thread (lambda () (serve conn)))))
            (thread-start! t)
            (loop (+ i 1) (cons t threads)))))))
(for-each thread-join! threads)
(socket-close server)
(display "server: ") (display n) (display " connections, peak ") (display peak)
(display " concurrent, ") (display echoed) (display " echoed") (newline)
