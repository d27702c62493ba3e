;; sum: named-let loop summing 1..10^7.
(define size 10000000) ; @size quick=100000

(display
 (let loop ((i 1) (acc 0))
   (if (> i size)
       acc
       (loop (+ i 1) (+ acc i)))))
(newline)
