;; A second bind of a listening port answers #f; listen on the first still works.
(require 'socket)
(define s1 (socket:bind (make-stream-socket af_inet) 18304))
(socket:listen s1 5)
(write (socket:bind (make-stream-socket af_inet) 18304)) (newline)
(close-port s1)
(define s2 (socket:bind (make-stream-socket af_inet) 18304))
(write (input-port? (socket:listen s2 5))) (newline)
(close-port s2)
