;; TCP accept client (SRFI 106): N short connections, each reading one byte.
;; Command line: host port N.
(define args (cdr (command-line)))
(define host (list-ref args 0))
(define port (list-ref args 1))
(define n (string->number (list-ref args 2)))
(define expected (string->utf8 "a"))
(define t0 (current-jiffy))
(define good
  (let loop ((i 0) (good 0))
    (if (= i n)
        good
        (let* ((sock (make-client-socket host port))
               (ok (equal? (socket-recv sock 1) expected)))
          (socket-close sock)
          (loop (+ i 1) (if ok (+ good 1) good))))))
(define t1 (current-jiffy))
(display "client: ") (display n) (display " connections, ") (display good) (display " replies")
(newline)
(display "elapsed ") (display (exact->inexact (/ (- t1 t0) (jiffies-per-second)))) (newline)
