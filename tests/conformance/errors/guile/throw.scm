(throw (quote my-key) 1 2)
