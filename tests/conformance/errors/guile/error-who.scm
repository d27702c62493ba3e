(error (quote who) "msg:" 42)
