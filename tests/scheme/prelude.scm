;; The test vocabulary for tests/scheme suites (loaded before each suite).
(define %test-failures '())
(define %test-count 0)
(define %test-group-name #f)

(define (%test-fail name msg)
  (set! %test-failures
        (cons (string-append (if %test-group-name (string-append %test-group-name ": ") "")
                             name ": " msg)
              %test-failures)))

(define (%test-show x)
  (let ((p (open-output-string))) (write x p) (get-output-string p)))

(define (%test-equal? a b)
  (cond ((and (number? a) (number? b) (inexact? a) (inexact? b))
         (or (= a b) (and (nan? a) (nan? b)) (< (abs (- a b)) (* 1e-9 (max 1 (abs a))))))
        (else (equal? a b))))

(define (%test-run name expected thunk expr)
  (set! %test-count (+ %test-count 1))
  (let ((label (or name (%test-show expr))))
    (guard (e (#t (%test-fail label (string-append "raised "
                                                   (if (error-object? e)
                                                       (string-append (error-object-message e) " "
                                                                      (%test-show (error-object-irritants e)))
                                                       (%test-show e))))))
      (let ((actual (thunk)))
        (if (not (%test-equal? expected actual))
            (%test-fail label (string-append "expected " (%test-show expected)
                                             " got " (%test-show actual))))))))

(define (%test-error name thunk expr)
  (set! %test-count (+ %test-count 1))
  (let ((label (or name (%test-show expr))))
    (if (guard (e (#t #f)) (thunk) #t)
        (%test-fail label "expected an error, none raised"))))

(define-syntax test
  (syntax-rules ()
    ((_ name expected expr) (%test-run name expected (lambda () expr) 'expr))
    ((_ expected expr) (%test-run #f expected (lambda () expr) 'expr))))

(define-syntax test-assert
  (syntax-rules ()
    ((_ name expr) (%test-run name #t (lambda () (if expr #t #f)) 'expr))
    ((_ expr) (%test-run #f #t (lambda () (if expr #t #f)) 'expr))))

(define-syntax test-error
  (syntax-rules ()
    ((_ name expr) (%test-error name (lambda () expr) 'expr))
    ((_ expr) (%test-error #f (lambda () expr) 'expr))))

(define-syntax test-group
  (syntax-rules ()
    ((_ name body ...)
     (let ((saved %test-group-name))
       (set! %test-group-name name)
       body ...
       (set! %test-group-name saved)))))
