;; (ice-9 receive) with socket data; multiple values.
(use-modules (ice-9 receive) (rnrs bytevectors))
(define (split-pair p) (values (car p) (cdr p)))
(receive (a b) (split-pair (socketpair AF_UNIX SOCK_STREAM 0))
  (send a (string->utf8 "ab"))
  (receive (n buf) (let ((bv (make-bytevector 2 0))) (values (recv! b bv) bv))
    (write (list n (utf8->string buf))) (newline)))
(receive (q . rest) (values 1 2 3) (write (list q rest)) (newline))
(call-with-values (lambda () (values 4 5)) (lambda (x y) (write (+ x y)) (newline)))
