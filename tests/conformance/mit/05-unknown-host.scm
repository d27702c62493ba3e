;; An unknown host name is a bad-range-argument; lookups answer #f.
(define c (ignore-errors (lambda () (open-tcp-stream-socket "no-such-host.invalid" 18205))))
(write (eq? (condition/type c) condition-type:bad-range-argument)) (newline)
(write (access-condition c 'datum)) (newline)
(write (condition/report-string c)) (newline)
(write (get-host-by-name "no-such-host.invalid")) (newline)
(define w (ignore-errors (lambda () (open-tcp-stream-socket "localhost" 'www))))
(write (eq? (condition/type w) condition-type:wrong-type-argument)) (newline)
(write (condition/report-string w)) (newline)
