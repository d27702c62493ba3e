;; sum-set: sum 1..10^7 in a loop that keeps its counter and accumulator in
;; local variables updated with set!.
(define size 10000000) ; @size quick=100000

(define (sum n)
  (let ((i 1) (acc 0))
    (let loop ()
      (if (<= i n)
          (begin
            (set! acc (+ acc i))
            (set! i (+ i 1))
            (loop))))
    acc))

(display (sum size))
(newline)
