(define (f a #!optional b) (write (default-object? b)) (newline))
(f 1)
