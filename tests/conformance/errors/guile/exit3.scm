(display "hello")
(newline)
(exit 3)
