;; Section 4.7: host-info by name and by socket-address; its record and accessors.
(define h (host-info "localhost"))
(display (list (host-info? h) (host-info:name h)
               (and (member #x7f000001 (host-info:addresses h)) #t)
               (list? (host-info:aliases h))))
(newline)
(define q (host-info "127.0.0.1"))
(display (map (lambda (a) (number->string a 16)) (host-info:addresses q))) (newline)
(define r (host-info (internet-address->socket-address internet-address/loopback 0)))
(display (list 'reverse (host-info:name r))) (newline)
;; a failed lookup raises an ordinary error carrying the herror code, not an errno error
(display (guard (e ((errno-error? e) 'errno-error)
                   ((error? e)
                    (let ((code (car (error-object-irritants e))))
                      (list 'lookup-failed
                            (and (memv code (list herror/host-not-found herror/try-again
                                                  herror/no-recovery herror/no-data))
                                 #t)))))
           (host-info "no-such-host.invalid")))
(newline)
(display (guard (e ((error? e) 'not-internet))
           (host-info (unix-address->socket-address "/tmp/x"))))
(newline)
