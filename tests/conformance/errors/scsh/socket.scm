(socket-connect protocol-family/internet socket-type/stream "127.0.0.1" 1)
