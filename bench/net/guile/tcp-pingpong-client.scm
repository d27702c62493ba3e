;; TCP ping-pong client (Guile sockets): N round trips of a 64-byte message.
;; Command line: host port N.
(use-modules (rnrs bytevectors))
(define size 64)

;; Fill buf from sock with recv!; the byte count (less than buf's length only at EOF).
(define (recv-exact! sock buf)
  (let ((n (bytevector-length buf)))
    (let loop ((got (recv! sock buf)))
      (if (or (= got 0) (>= got n))
          got
          (let* ((tmp (make-bytevector (- n got)))
                 (more (recv! sock tmp)))
            (if (= more 0)
                got
                (begin (bytevector-copy! tmp 0 buf got more)
                       (loop (+ got more)))))))))

;; Send all of bv (send may write less than asked).
(define (send-all sock bv)
  (let loop ((bv bv))
    (let ((sent (send sock bv)))
      (when (< sent (bytevector-length bv))
        (let ((rest (make-bytevector (- (bytevector-length bv) sent))))
          (bytevector-copy! bv sent rest 0 (bytevector-length rest))
          (loop rest))))))

(define args (cdr (command-line)))
(define n (string->number (list-ref args 2)))
(define sock (socket PF_INET SOCK_STREAM 0))
(connect sock AF_INET (inet-pton AF_INET (list-ref args 0)) (string->number (list-ref args 1)))
(define msg (make-bytevector size (char->integer #\p)))
(define reply (make-bytevector size))
(define t0 (get-internal-real-time))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (bytevector-u8-set! msg 0 (modulo i 256))
          (send-all sock msg)
          (loop (+ i 1)
                (if (and (= (recv-exact! sock reply) size) (bytevector=? reply msg))
                    bad
                    (+ bad 1)))))))
(define t1 (get-internal-real-time))
(close-port sock)
(simple-format #t "client: ~A round trips of ~A bytes, ~A mismatches\n" n size bad)
(simple-format #t "elapsed ~A\n" (exact->inexact (/ (- t1 t0) internal-time-units-per-second)))
