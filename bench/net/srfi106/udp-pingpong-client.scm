;; UDP ping-pong client (SRFI 106): N round trips of a 64-byte datagram over a
;; connected datagram socket. Command line: host port N.
(define size 64)
(define args (cdr (command-line)))
(define n (string->number (list-ref args 2)))
(define sock (make-client-socket (list-ref args 0) (list-ref args 1) *af-inet* *sock-dgram*))
(define msg (make-bytevector size (char->integer #\u)))
(define t0 (current-jiffy))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (bytevector-u8-set! msg 0 (modulo i 256))
          (socket-send sock msg)
          (loop (+ i 1) (if (equal? (socket-recv sock size) msg) bad (+ bad 1)))))))
(define t1 (current-jiffy))
(socket-close sock)
(display "client: ") (display n) (display " round trips of ") (display size)
(display " bytes, ") (display bad) (display " mismatches") (newline)
(display "elapsed ") (display (exact->inexact (/ (- t1 t0) (jiffies-per-second)))) (newline)
