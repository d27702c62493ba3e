;; fib-mutual: naive Fibonacci split over two mutually recursive procedures.
(define size 30) ; @size quick=16

(define (fib-even n)
  (if (< n 2)
      n
      (+ (fib-odd (- n 1)) (fib-odd (- n 2)))))

(define (fib-odd n)
  (if (< n 2)
      n
      (+ (fib-even (- n 1)) (fib-even (- n 2)))))

(display (fib-even size))
(newline)
