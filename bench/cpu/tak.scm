;; tak: Takeuchi function (tak 18 12 6) = 7, repeated; prints the sum.
(define size 20) ; @size quick=1

(define (tak x y z)
  (if (not (< y x))
      z
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))))

(define (repeat n acc)
  (if (= n 0)
      acc
      (repeat (- n 1) (+ acc (tak 18 12 6)))))

(display (repeat size 0))
(newline)
