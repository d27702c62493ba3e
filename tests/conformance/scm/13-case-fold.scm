;; SCM folds symbols to lower case: AF_INET is af_inet.
(require 'socket)
(write (= AF_INET af_inet)) (newline)
(write 'FooBar) (newline)
(write (eq? 'ABC 'abc)) (newline)
(write "Strings Keep Case") (newline)
(write #\A) (newline)
(DEFINE (Twice X) (* 2 x))
(write (twice 21)) (newline)
