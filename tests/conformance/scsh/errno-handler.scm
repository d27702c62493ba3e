;; scsh errno errors (conditions.md 1): with-errno-handler clauses compare the errno
;; numerically, else catches the rest, no match propagates; with-errno-handler*
;; handlers escape through a continuation or decline by returning.
(define closed-port
  (let ((s (create-socket protocol-family/internet socket-type/stream)))
    (bind-socket s (internet-address->socket-address internet-address/loopback 0))
    (receive (h p) (socket-address->internet-address (socket-local-address s))
      (close-socket s) p)))
(define (refused-connect)
  (socket-connect protocol-family/internet socket-type/stream "127.0.0.1" closed-port))
(display (with-errno-handler ((errno packet)
                              ((errno/connrefused)
                               (list 'refused (= errno errno/connrefused)
                                     (string? (car packet)) (cadr packet))))
           (refused-connect)))
(newline)
(display (with-errno-handler ((errno packet)
                              ((errno/timedout errno/hostunreach) 'unreachable)
                              (else (list 'else (= errno errno/connrefused))))
           (refused-connect)))
(newline)
;; no clause matches: the outer handler sees it
(display (with-errno-handler ((e p) ((errno/connrefused) 'outer))
           (with-errno-handler ((e p) ((errno/addrinuse) 'inner))
             (refused-connect))))
(newline)
;; the body's value when nothing is raised
(display (with-errno-handler ((e p) (else 'never)) 'no-error)) (newline)
;; with-errno-handler*: a declining handler, then an escaping one
(display (call-with-current-continuation
          (lambda (k)
            (with-errno-handler*
             (lambda (errno packet) (k (list 'escaped (errno-msg errno))))
             (lambda ()
               (with-errno-handler*
                (lambda (errno packet) (display "inner handler declines") (newline))
                refused-connect))))))
(newline)
;; errno errors from file operations too
(display (with-errno-handler ((e p) ((errno/noent) (list 'no-such-file (cadr p))))
           (delete-file "/nonexistent-dir/nonexistent-file")))
(newline)
;; errno-error raises one by hand
(display (with-errno-handler ((e p) ((errno/again) (cdr p)))
           (errno-error errno/again 'my-syscall 1 2)))
(newline)
;; ordinary errors are not errno errors
(display (guard (c ((error? c) 'plain-error))
           (with-errno-handler ((e p) (else 'errno)) (error "plain" 1))))
(newline)
