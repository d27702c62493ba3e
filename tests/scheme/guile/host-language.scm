;; dialect: guile
;; Guile host features in the guile environment: keywords, define*, while, catch/throw,
;; rdelim over socket ports, bytevectors, threads.
(use-modules (ice-9 rdelim) (ice-9 receive) (ice-9 format))

(test-group "keywords and define*"
  (define* (opt a #:optional (b (+ a 1)) #:key (c 'none) #:rest r) (list a b c))
  (test '(1 2 none) (opt 1))
  (test '(1 5 x) (opt 1 5 #:c 'x))
  (test #t (keyword? #:k))
  (test 'k (keyword->symbol #:k)))

(test-group "while"
  (test 10 (let ((i 0)) (while (< i 10) (set! i (1+ i))) i))
  (test 'stopped (let ((i 0)) (while #t (set! i (1+ i)) (if (= i 3) (break 'stopped)))))
  (test 25 (let ((i 0) (s 0)) (while (< i 10) (set! i (1+ i)) (if (even? i) (continue)) (set! s (+ s i))) s)))

(test-group "catch and throw"
  (test '(k 1) (catch 'k (lambda () (throw 'k 1)) (lambda args args)))
  (test 'system-error (catch #t (lambda () (connect (socket AF_INET SOCK_STREAM 0) AF_INET INADDR_LOOPBACK 1))
                             (lambda (k . a) k)))
  (test #f (false-if-exception (throw 'x)))
  (test 'wrong-type-arg (catch #t (lambda () (listen 'not-a-socket 1)) (lambda (k . a) k))))

(test-group "rdelim on socket ports"
  (let ((p (socketpair AF_UNIX SOCK_STREAM 0)))
    (display "a line\r\nnext" (car p))
    (close-port (car p))
    (test "a line\r" (read-line (cdr p)))
    (test "next" (read-line (cdr p)))
    (test-assert (eof-object? (read-line (cdr p))))))

(test-group "format"
  (test "x=42" (format #f "x=~a" 42))
  (test "\"s\"" (format #f "~s" "s")))

(test-group "threads"
  (test 7 (join-thread (call-with-new-thread (lambda () 7))))
  (let ((m (make-mutex)))
    (test #t (with-mutex m (mutex-locked? m)))
    (test #f (mutex-locked? m))))

(test-group "one-byte bytevector accessors"
  (use-modules (rnrs bytevectors))
  (define (raises-range? thunk) (catch 'out-of-range (lambda () (thunk) #f) (lambda (k . a) #t)))
  (let ((b (make-bytevector 2 0)))
    (bytevector-u8-set! b 0 255)
    (bytevector-s8-set! b 1 -2)
    (test '(255 -1 254 -2) (list (bytevector-u8-ref b 0) (bytevector-s8-ref b 0)
                                 (bytevector-u8-ref b 1) (bytevector-s8-ref b 1)))
    (test #t (raises-range? (lambda () (bytevector-u8-set! b 0 256))))
    (test #t (raises-range? (lambda () (bytevector-s8-set! b 0 -129))))
    (test #t (raises-range? (lambda () (bytevector-u8-ref b 2))))))
