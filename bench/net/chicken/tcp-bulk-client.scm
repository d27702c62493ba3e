;; TCP bulk client (CHICKEN socket egg): send SIZE bytes in 64 KiB chunks, half-close,
;; read the server's count. Command line: host port size.
;; Compiled (csc), the socket egg blocks through the SRFI 18 scheduler, which only a
;; program that names it links in; csi has it loaded already.
(declare (uses scheduler))
(import scheme (chicken base) (chicken process-context) (chicken time) socket)
(define chunk-size 65536)

;; The clock counts milliseconds: a run shorter than one tick counts as half a tick.
(define (elapsed t0 t1) (/ (max (- t1 t0) 1/2) 1000.0))

(define args (command-line-arguments))
(define size (string->number (list-ref args 2)))
(define so (socket af/inet sock/stream))
(socket-connect so (inet-address (list-ref args 0) (string->number (list-ref args 1))))
(define chunk (make-string chunk-size #\b))
(define t0 (current-process-milliseconds))
(let loop ((i (quotient size chunk-size)))
  (when (> i 0)
    (socket-send-all so chunk)
    (loop (- i 1))))
(socket-shutdown so shut/wr)
(define reply
  (let loop ((acc ""))
    (let ((data (socket-receive so 64)))
      (if (string=? data "")
          acc
          (loop (string-append acc data))))))
(define t1 (current-process-milliseconds))
(socket-close so)
(print "client: sent " size " bytes, server counted " (string->number reply))
(print "elapsed " (elapsed t0 t1))
