;; TCP accept client (Guile sockets): N short connections, each reading one byte.
;; Command line: host port N.
(use-modules (rnrs bytevectors))
(define args (cdr (command-line)))
(define addr (inet-pton AF_INET (list-ref args 0)))
(define port (string->number (list-ref args 1)))
(define n (string->number (list-ref args 2)))
(define buf (make-bytevector 1))
(define t0 (get-internal-real-time))
(define good
  (let loop ((i 0) (good 0))
    (if (= i n)
        good
        (let ((sock (socket PF_INET SOCK_STREAM 0)))
          (connect sock AF_INET addr port)
          (let ((ok (and (= (recv! sock buf) 1) (= (bytevector-u8-ref buf 0) (char->integer #\a)))))
            (close-port sock)
            (loop (+ i 1) (if ok (+ good 1) good)))))))
(define t1 (get-internal-real-time))
(simple-format #t "client: ~A connections, ~A replies\n" n good)
(simple-format #t "elapsed ~A\n" (exact->inexact (/ (- t1 t0) internal-time-units-per-second)))
