;; tak-firstclass: Takeuchi function whose recursive calls go through a
;; procedure received as an argument; (tak 18 12 6) repeated, sum printed.
(define size 20) ; @size quick=1

(define (tak self x y z)
  (if (not (< y x))
      z
      (self self
            (self self (- x 1) y z)
            (self self (- y 1) z x)
            (self self (- z 1) x y))))

(define (repeat f n acc)
  (if (= n 0)
      acc
      (repeat f (- n 1) (+ acc (f f 18 12 6)))))

(display (repeat tak size 0))
(newline)
