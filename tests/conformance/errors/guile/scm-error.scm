(scm-error (quote misc-error) "who" "msg ~A and ~S" (list "x" "y") #f)
