;; TCP accept client (MIT/GNU Scheme sockets, textual ports): N short connections,
;; each reading one character. Command line (after --): host port N.
;; MIT counts 100 jiffies a second: a run shorter than one tick counts as half a tick.
(define (elapsed t0 t1) (exact->inexact (/ (max (- t1 t0) 1/2) (jiffies-per-second))))

(define args (command-line-arguments))
(define host (list-ref args 0))
(define service (string->number (list-ref args 1)))
(define n (string->number (list-ref args 2)))
(define t0 (current-jiffy))
(define good
  (let loop ((i 0) (good 0))
    (if (= i n)
        good
        (let* ((conn (open-tcp-stream-socket host service))
               (ok (eqv? (read-char conn) #\a)))
          (close-port conn)
          (loop (+ i 1) (if ok (+ good 1) good))))))
(define t1 (current-jiffy))
(display "client: ") (display n) (display " connections, ") (display good) (display " replies")
(newline)
(display "elapsed ") (display (elapsed t0 t1)) (newline)
