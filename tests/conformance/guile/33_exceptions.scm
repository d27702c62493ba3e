;; Guile 3 exceptions over throws: with-exception-handler, raise-exception, exception-kind/args.
(define (show x) (write x) (newline))
(show (with-exception-handler
        (lambda (e) (list 'handled (exception-kind e) (exception-args e)))
        (lambda () (throw 'k 1 2))
        #:unwind? #t))
(show (with-exception-handler
        (lambda (e) (list (exception-kind e) (car (exception-args e))))
        (lambda () (connect (socket AF_INET SOCK_STREAM 0) AF_INET INADDR_LOOPBACK 1))
        #:unwind? #t))
(show (with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-exception 'c #:continuable? #t)))))
(show (catch #t (lambda () (raise-exception 'plain)) (lambda (k . a) (list k a))))
(show (with-exception-handler (lambda (e) (list 'got e)) (lambda () (raise-exception 42)) #:unwind? #t))
(show (exception-kind 'not-an-exception))
