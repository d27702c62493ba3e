(import socket)
(define s (socket af/inet sock/stream))
(socket-connect s (inet-address "127.0.0.1" 1))
