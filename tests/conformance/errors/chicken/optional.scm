(define (f a #!optional b) (write b) (newline))
(f 1)
