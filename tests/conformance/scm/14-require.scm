;; require and provided?
(require 'socket)
(require 'i/o-extensions)
(write (provided? 'socket)) (newline)
(write (provided? 'i/o-extensions)) (newline)
(write (procedure? socket:connect)) (newline)
(write (list af_inet af_unix)) (newline)
