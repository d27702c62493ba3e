(error "just one" 1)
