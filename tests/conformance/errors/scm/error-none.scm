(error "no irritants")
