(define (f x . r) x)
(f)
