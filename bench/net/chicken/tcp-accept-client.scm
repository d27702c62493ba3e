;; TCP accept client (CHICKEN socket egg): N short connections, each reading one byte.
;; Command line: host port N.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)

;; The clock counts milliseconds: a run shorter than one tick counts as half a tick.
(define (elapsed t0 t1) (/ (max (- t1 t0) 1/2) 1000.0))

(define args (command-line-arguments))
(define addr (inet-address (list-ref args 0) (string->number (list-ref args 1))))
(define n (string->number (list-ref args 2)))
(define t0 (current-process-milliseconds))
(define good
  (let loop ((i 0) (good 0))
    (if (= i n)
        good
        (let ((so (socket af/inet sock/stream)))
          (socket-connect so addr)
          (let ((ok (string=? (socket-receive so 1) "a")))
            (socket-close so)
            (loop (+ i 1) (if ok (+ good 1) good)))))))
(define t1 (current-process-milliseconds))
(print "client: " n " connections, " good " replies")
(print "elapsed " (elapsed t0 t1))
