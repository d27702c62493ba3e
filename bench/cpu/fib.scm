;; fib: naive doubly recursive Fibonacci (fib 30 = 832040).
(define size 30) ; @size quick=16

(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(display (fib size))
(newline)
