;; fib-set: naive Fibonacci whose result goes through set! on locals.
(define size 30) ; @size quick=16

(define (fib n)
  (let ((r n) (a 0))
    (if (>= n 2)
        (begin
          (set! a (fib (- n 1)))
          (set! r (+ a (fib (- n 2))))))
    r))

(display (fib size))
(newline)
