;; Unix-domain ping-pong client (MIT/GNU Scheme sockets, textual ports): N round
;; trips of a 64-character message. Command line (after --): path N.
;; The first character cycles through printable ASCII, so each message is 64 bytes
;; on the wire (UTF-8).
(define size 64)

;; MIT counts 100 jiffies a second: a run shorter than one tick counts as half a tick.
(define (elapsed t0 t1) (exact->inexact (/ (max (- t1 t0) 1/2) (jiffies-per-second))))

(define args (command-line-arguments))
(define n (string->number (list-ref args 1)))
(define conn (open-unix-stream-socket (list-ref args 0)))
(define msg (make-string size #\p))
(define t0 (current-jiffy))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (string-set! msg 0 (integer->char (+ 32 (modulo i 95))))
          (write-string msg conn)
          (flush-output conn)
          (let ((reply (read-string size conn)))
            (loop (+ i 1)
                  (if (and (string? reply) (string=? reply msg)) bad (+ bad 1))))))))
(define t1 (current-jiffy))
(close-port conn)
(display "client: ") (display n) (display " round trips of ") (display size)
(display " bytes, ") (display bad) (display " mismatches") (newline)
(display "elapsed ") (display (elapsed t0 t1)) (newline)
