;; Section 4.3: unix socket addresses from pathnames.
(define a (unix-address->socket-address "/tmp/scsh-socket"))
(display (socket-address? a)) (newline)
(display (= (socket-address:family a) address-family/unix)) (newline)
(display (socket-address->unix-address a)) (newline)
(display (string-length (socket-address->unix-address
                         (unix-address->socket-address (make-string 100 #\a)))))
(newline)
(display (guard (e ((error? e) 'too-long))
  (unix-address->socket-address (make-string 200 #\a))))
(newline)
