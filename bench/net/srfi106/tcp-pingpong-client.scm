;; TCP ping-pong client (SRFI 106): N round trips of a 64-byte message.
;; Command line: host port N.
(define size 64)

(define (recv-exact sock n)
  (let loop ((data (socket-recv sock n)))
    (let ((got (bytevector-length data)))
      (if (or (= got 0) (>= got n))
          data
          (let ((more (socket-recv sock (- n got))))
            (if (= (bytevector-length more) 0)
                data
                (loop (bytevector-append data more))))))))

(define args (cdr (command-line)))
(define n (string->number (list-ref args 2)))
(define sock (make-client-socket (list-ref args 0) (list-ref args 1)))
(define msg (make-bytevector size (char->integer #\p)))
(define t0 (current-jiffy))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (bytevector-u8-set! msg 0 (modulo i 256))
          (socket-send sock msg)
          (loop (+ i 1) (if (equal? (recv-exact sock size) msg) bad (+ bad 1)))))))
(define t1 (current-jiffy))
(socket-close sock)
(display "client: ") (display n) (display " round trips of ") (display size)
(display " bytes, ") (display bad) (display " mismatches") (newline)
(display "elapsed ") (display (exact->inexact (/ (- t1 t0) (jiffies-per-second)))) (newline)
