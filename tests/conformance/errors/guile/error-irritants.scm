(error "foo bar" 1 "x" (quote y))
