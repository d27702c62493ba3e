;; A concurrent server in the style of the manual's section 4.1: the accept loop runs
;; proc synchronously, so proc forks a thread per connection (fork-thread/spawn); a
;; blocking read parks only its own thread (spec 4, D).
(define port (string->number (or (getenv "SCSH_TEST_PORT") "47303")))
(spawn (lambda ()
         (bind-listen-accept-loop protocol-family/internet
           (lambda (sock addr)
             (fork-thread
              (lambda ()
                (let ((name (read-line (socket:inport sock))))
                  (sleep 10)
                  (write-string (string-append "hello " name "\n") (socket:outport sock))
                  (close-socket sock)))))
           port))
       'server)
(define (connect)
  (let retry ((n 200))
    (or (with-errno-handler ((e p) ((errno/connrefused) #f))
          (socket-connect protocol-family/internet socket-type/stream "127.0.0.1" port))
        (begin (sleep 10) (if (> n 0) (retry (- n 1)) (error "no server"))))))
;; three clients open at once; the last one speaks first
(define c1 (connect))
(define c2 (connect))
(define c3 (connect))
(write-string "three\n" (socket:outport c3))
(display (read-line (socket:inport c3))) (newline)
(write-string "two\n" (socket:outport c2))
(write-string "one\n" (socket:outport c1))
(display (read-line (socket:inport c1))) (newline)
(display (read-line (socket:inport c2))) (newline)
(for-each close-socket (list c1 c2 c3))
