;; UDP ping-pong client (Guile sockets): N round trips of a 64-byte datagram over a
;; connected datagram socket. Command line: host port N.
(use-modules (rnrs bytevectors))
(define size 64)
(define args (cdr (command-line)))
(define n (string->number (list-ref args 2)))
(define sock (socket PF_INET SOCK_DGRAM 0))
(connect sock AF_INET (inet-pton AF_INET (list-ref args 0)) (string->number (list-ref args 1)))
(define msg (make-bytevector size (char->integer #\u)))
(define reply (make-bytevector size))
(define t0 (get-internal-real-time))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (bytevector-u8-set! msg 0 (modulo i 256))
          (send sock msg)
          (loop (+ i 1)
                (if (and (= (recv! sock reply) size) (bytevector=? reply msg))
                    bad
                    (+ bad 1)))))))
(define t1 (get-internal-real-time))
(close-port sock)
(simple-format #t "client: ~A round trips of ~A bytes, ~A mismatches\n" n size bad)
(simple-format #t "elapsed ~A\n" (exact->inexact (/ (- t1 t0) internal-time-units-per-second)))
