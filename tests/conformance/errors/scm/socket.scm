(define s (make-stream-socket af_inet))
(display (socket:connect s (inet:string->address "127.0.0.1") 1))
(newline)
