;; Connecting to a port nobody listens on signals system-call-error connection-refused.
(define c (ignore-errors (lambda () (open-tcp-stream-socket "localhost" 18203))))
(write (condition? c)) (newline)
(write (access-condition c 'system-call)) (newline)
(write (access-condition c 'error-type)) (newline)
(write (condition/report-string c)) (newline)
(write (eq? (condition/type c) condition-type:system-call-error)) (newline)
(write (if ((condition-predicate condition-type:primitive-procedure-error) c) #t #f)) (newline)
(write (call-with-current-continuation
        (lambda (k)
          (bind-condition-handler (list condition-type:system-call-error)
              (lambda (e) (k (list 'caught (access-condition e 'error-type))))
            (lambda () (open-tcp-stream-socket "localhost" 18203))))))
(newline)
