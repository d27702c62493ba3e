;; Core syntax: special forms, derived forms, hygiene.
(test-group "basic forms"
  (test 3 (if #t 3 4))
  (test 4 (if #f 3 4))
  (test 'x (quote x))
  (test '(1 2) (let ((x 1) (y 2)) (list x y)))
  (test 2 (let* ((x 1) (y (+ x 1))) y))
  (test #t (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1)))))
                    (od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))))
             (ev? 100)))
  (test 6 (letrec* ((a 1) (b (+ a 5))) b))
  (test 10 (let loop ((i 0)) (if (< i 10) (loop (+ i 1)) i)))
  (test '(4 3 2 1 0) (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 5) acc)))
  (test 'b (cond ((assv 'b '((a 1) (b 2))) => (lambda (p) (car p))) (else 'none)))
  (test 'mid (case 3 ((1 2) 'low) ((3 4) 'mid) (else 'high)))
  (test 'sym (case 'x ((x) 'sym) (else 'other)))
  (test 4 (case 2 ((1) 1) (else => (lambda (x) (* x 2)))))
  (test #f (and 1 #f 3))
  (test 3 (and 1 2 3))
  (test #t (and))
  (test 2 (or #f 2 3))
  (test #f (or))
  (test 'yes (when (> 1 0) 'no 'yes))
  (test 'yes (unless (< 1 0) 'yes)))

(test-group "quasiquote"
  (test '(1 2 3 4) `(1 ,(+ 1 1) ,@(list 3 4)))
  (test '#(1 2) `#(1 ,(+ 1 1)))
  (test '(a `(b ,(+ 1 2) ,(foo 4 d) e) f) `(a `(b ,(+ 1 2) ,(foo ,(+ 1 3) d) e) f))
  (test '(1 . 2) `(1 . ,(+ 1 1))))

(test-group "lambda lists"
  (test '(1 (2 3)) ((lambda (a . r) (list a r)) 1 2 3))
  (test '(1 2 3) ((lambda args args) 1 2 3))
  (test '(0 1 2) (let ((f (case-lambda ((a) (list 0 a)) ((a b) (list 1 a b)) ((a . r) 2))))
                   (list (car (f 1)) (car (f 1 2)) (f 1 2 3)))))

(test-group "values"
  (test '(1 2 3) (let-values (((a b) (values 1 2)) ((c) (values 3))) (list a b c)))
  (test '(1 (2 3)) (let*-values (((a . r) (values 1 2 3))) (list a r)))
  (test 5 (call-with-values (lambda () (values 2 3)) +))
  (define-values (dv1 dv2 . dvr) (values 1 2 3 4))
  (test '(1 2 (3 4)) (list dv1 dv2 dvr)))

(test-group "records"
  (define-record-type point (make-point x y) point? (x point-x) (y point-y set-point-y!))
  (define p (make-point 1 2))
  (set-point-y! p 5)
  (test '(#t 1 5 #f) (list (point? p) (point-x p) (point-y p) (point? 5))))

(test-group "hygiene"
  (define-syntax my-or
    (syntax-rules ()
      ((_) #f) ((_ e) e)
      ((_ e r ...) (let ((temp e)) (if temp temp (my-or r ...))))))
  (test 5 (let ((temp 5)) (my-or #f temp)))
  (test '(1 2 3) (let ((if list)) (if 1 2 3)))
  (define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
  (test '(2 1) (let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other)))
  (define-syntax my-if (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
  (test 'a (let ((else #f)) (my-if #t 'a 'b))))

(test-group "syntax-rules patterns"
  (define-syntax flat (syntax-rules () ((_ (a b ...) ...) '(a ... (b ... ...)))))
  (test '(1 4 (2 3 5 6)) (flat (1 2 3) (4 5 6)))
  (define-syntax tail (syntax-rules () ((_ a ... z) 'z)))
  (test 3 (tail 1 2 3))
  (define-syntax dot (syntax-rules () ((_ a . b) 'b)))
  (test '(2 3) (dot 1 2 3))
  (define-syntax vec (syntax-rules () ((_ #(a ...)) (list a ...))))
  (test '(1 2) (vec #(1 2)))
  (define-syntax lit (syntax-rules (=>) ((_ a => b) (list a b)) ((_ a b c) 'no)))
  (test '(1 2) (lit 1 => 2))
  (define-syntax my-elli (syntax-rules ::: () ((_ a :::) (list a :::))))
  (test '(1 2) (my-elli 1 2))
  (define-syntax esc (syntax-rules () ((_ a) '(a (... ...)))))
  (test '(1 ...) (esc 1))
  (define-syntax count-args (syntax-rules () ((_) 0) ((_ x . rest) (+ 1 (count-args . rest)))))
  (test 3 (count-args a b c))
  (define-syntax under (syntax-rules () ((_ _ x) x)))
  (test 2 (under 1 2)))

(test-group "internal definitions"
  (define (f x)
    (define a 1)
    (define (g y) (+ y a))
    (g x))
  (test 11 (f 10))
  (test 3 (let () (define-syntax two (syntax-rules () ((_) 2))) (+ 1 (two)))))

(test-group "parameters and promises"
  (define p (make-parameter 10 (lambda (x) (* x 2))))
  (test 20 (p))
  (test 6 (parameterize ((p 3)) (p)))
  (test 20 (p))
  (test 3 (force (delay (+ 1 2))))
  (test 7 (force (make-promise 7)))
  (define s (let loop ((n 0)) (delay-force (if (= n 10000) (delay n) (loop (+ n 1))))))
  (test 10000 (force s)))
