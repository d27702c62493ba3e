;; Tail calls, continuations, dynamic-wind, exceptions.
(test-group "tail calls"
  (test 1000000 (let loop ((i 0)) (if (< i 1000000) (loop (+ i 1)) i)))
  (define (ev? n) (if (= n 0) #t (od? (- n 1))))
  (define (od? n) (if (= n 0) #f (ev? (- n 1))))
  (test #t (ev? 100000))
  (define (cps n k) (if (= n 0) (k 0) (apply cps (list (- n 1) (lambda (v) (k (+ v 1)))))))
  (test 20000 (cps 20000 (lambda (x) x)))
  (define (count-down n) (cond ((= n 0) 'done) (else (count-down (- n 1)))))
  (test 'done (count-down 100000))
  (define (f n acc) (if (= n 0) acc (g (- n 1) (+ acc 1))))
  (define (g n acc) (f n acc))
  (test 50000 (f 50000 0)))

(test-group "deep recursion"
  (define (depth n) (if (= n 0) 0 (+ 1 (depth (- n 1)))))
  (test 100000 (depth 100000)))

(test-group "call/cc"
  (test 100 (call/cc (lambda (k) (let loop ((i 0)) (if (= i 100) (k i) (loop (+ i 1)))))))
  (define (find-first pred lst)
    (call-with-current-continuation
      (lambda (return) (for-each (lambda (x) (if (pred x) (return x))) lst) #f)))
  (test 3 (find-first (lambda (x) (> x 2)) '(1 2 3 4)))
  (test '(1 2) (call-with-values (lambda () (call/cc (lambda (k) (k 1 2)))) list)))

(test-group "dynamic-wind"
  (define trail '())
  (define (note x) (set! trail (cons x trail)))
  (dynamic-wind (lambda () (note 'in)) (lambda () (note 'body)) (lambda () (note 'out)))
  (test '(out body in) trail)
  (set! trail '())
  (call/cc (lambda (k) (dynamic-wind (lambda () (note 'in)) (lambda () (k 1) (note 'never)) (lambda () (note 'out)))))
  (test '(out in) trail)
  (set! trail '())
  (guard (e (#t (note 'handled)))
    (dynamic-wind (lambda () (note 'in)) (lambda () (raise 'x)) (lambda () (note 'out))))
  (test '(handled out in) trail))

(test-group "exceptions"
  (test '(caught boom) (guard (e (#t (list 'caught e))) (raise 'boom)))
  (test 43 (with-exception-handler (lambda (e) 42) (lambda () (+ 1 (raise-continuable 'c)))))
  (test "bad thing" (guard (e ((error-object? e) (error-object-message e))) (error "bad thing" 1 2)))
  (test '(1 2) (guard (e ((error-object? e) (error-object-irritants e))) (error "bad thing" 1 2)))
  (test 'inner (guard (e ((eq? e 'outer) 'outer)) (guard (e ((eq? e 'inner) 'inner)) (raise 'inner))))
  (test 'outer (guard (e ((eq? e 'outer) 'outer)) (guard (e ((eq? e 'inner) 'inner)) (raise 'outer))))
  (test #t (guard (e ((error-object? e) #t)) (car 1)))
  (test #t (guard (e ((error-object? e) #t)) (vector-ref (vector) 0)))
  (test #t (guard (e ((error-object? e) #t)) (+ 'a 1)))
  (test #t (guard (e ((error-object? e) #t)) (undefined-variable-xyz)))
  (test #t (guard (e ((error-object? e) #t)) ((lambda (x) x))))
  (test 'handler-ran
        (call/cc (lambda (k)
                   (with-exception-handler
                     (lambda (e) (k 'handler-ran))
                     (lambda () (car '()))))))
  (test 'in-place
        (let ((where 'unwound))
          (guard (e (#t where))
            (dynamic-wind (lambda () #f)
                          (lambda () (with-exception-handler (lambda (e) (set! where 'in-place) (raise e))
                                                             (lambda () (raise 'x))))
                          (lambda () #f)))))
  (test-error (raise 'x))
  (test-error (error "x")))
