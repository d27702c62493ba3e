(define s (socket AF_INET SOCK_STREAM 0))
(connect s AF_INET INADDR_LOOPBACK 1)
