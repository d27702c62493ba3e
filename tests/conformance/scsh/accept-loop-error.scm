;; Spec 3: when proc raises, bind-listen-accept-loop closes its listening socket and
;; the condition propagates out of the loop.
(define port (string->number (or (getenv "SCSH_TEST_PORT") "47304")))
(define result #f)
(spawn (lambda ()
         (set! result
               (guard (e ((error? e) (list 'loop-ended (error-object-message e))))
                 (bind-listen-accept-loop protocol-family/internet
                   (lambda (sock addr)
                     (close-socket sock)
                     (error "proc failed"))
                   port)))))
(define (connect)
  (let retry ((n 200))
    (or (with-errno-handler ((e p) ((errno/connrefused) #f))
          (socket-connect protocol-family/internet socket-type/stream "127.0.0.1" port))
        (begin (sleep 10) (if (> n 0) (retry (- n 1)) (error "no server"))))))
(close-socket (connect))
(let wait ((n 100)) (if (and (not result) (> n 0)) (begin (sleep 10) (wait (- n 1)))))
(display result) (newline)
(display (with-errno-handler ((e p) ((errno/connrefused) 'listening-socket-closed))
           (close-socket (socket-connect protocol-family/internet socket-type/stream "127.0.0.1" port))
           'still-listening))
(newline)
