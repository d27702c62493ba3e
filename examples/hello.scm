;; The smallest polysock program: R7RS-small, compiled to Python bytecode.
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display "fib(25) = ")
(display (fib 25))
(newline)
