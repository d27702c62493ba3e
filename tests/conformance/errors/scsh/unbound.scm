(display "a")
(newline)
(undefined-var 1)
