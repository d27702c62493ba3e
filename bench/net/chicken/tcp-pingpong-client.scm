;; TCP ping-pong client (CHICKEN socket egg): N round trips of a 64-byte message.
;; Command line: host port N.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)
(define size 64)

;; Fill buf (a string) from so; the byte count, less than its length only at EOF.
(define (recv-exact! so buf)
  (let ((n (string-length buf)))
    (let loop ((got 0))
      (if (>= got n)
          got
          (let ((k (socket-receive! so buf got)))
            (if (= k 0) got (loop (+ got k))))))))

;; The clock counts milliseconds: a run shorter than one tick counts as half a tick.
(define (elapsed t0 t1) (/ (max (- t1 t0) 1/2) 1000.0))

(define args (command-line-arguments))
(define n (string->number (list-ref args 2)))
(define so (socket af/inet sock/stream))
(socket-connect so (inet-address (list-ref args 0) (string->number (list-ref args 1))))
(define msg (make-string size #\p))
(define reply (make-string size))
(define t0 (current-process-milliseconds))
(define bad
  (let loop ((i 0) (bad 0))
    (if (= i n)
        bad
        (begin
          (string-set! msg 0 (integer->char (modulo i 256)))
          (socket-send-all so msg)
          (loop (+ i 1)
                (if (and (= (recv-exact! so reply) size) (string=? reply msg))
                    bad
                    (+ bad 1)))))))
(define t1 (current-process-milliseconds))
(socket-close so)
(print "client: " n " round trips of " size " bytes, " bad " mismatches")
(print "elapsed " (elapsed t0 t1))
