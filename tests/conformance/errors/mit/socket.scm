(open-tcp-stream-socket "127.0.0.1" 1)
