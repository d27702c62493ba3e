;; socket:connect answers #f when no server listens (the chat client's test).
(require 'socket)
(define con (make-stream-socket af_inet))
(set! con (socket:connect con (inet:string->address "localhost") 18303))
(cond (con (display "connected?!") (newline))
      (else (display "Server not listening on port 18303") (newline)))
