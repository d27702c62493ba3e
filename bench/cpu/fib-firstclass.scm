;; fib-firstclass: naive Fibonacci whose recursive calls go through a
;; procedure received as an argument (an unknown call site).
(define size 30) ; @size quick=16

(define (fib self n)
  (if (< n 2)
      n
      (+ (self self (- n 1)) (self self (- n 2)))))

(display (fib fib size))
(newline)
