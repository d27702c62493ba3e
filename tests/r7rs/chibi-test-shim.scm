;;; chibi-test-shim.scm -- a minimal stand-in for (chibi test), in R7RS.
;;;
;;; Covers what chibi-scheme's tests/r7rs-tests.scm uses: test (with an
;;; optional name first), test-assert, test-not, test-error (with an optional
;;; name and predicate), test-values, test-equal, and nested
;;; test-begin/test-end.  Comparison is chibi's test-equal?: equal?, or for an
;;; inexact expected number a relative difference below 1e-5.
;;;
;;; Every test site that does not pass prints one line,
;;;   FAIL [group/sub] #N name: EXPR => ACTUAL, expected EXPECTED
;;;   ERROR [group/sub] #N name: EXPR raised OBJECT
;;; and when the outermost group ends the summary line
;;;   P passed, F failed
;;; (errors count as failures).  Needs (scheme base), (scheme write) and
;;; (scheme complex), which the r7rs suite imports; the runner includes this
;;; file right after the suite's import declaration.

(define test-shim-passed 0)
(define test-shim-failed 0)
(define test-shim-sites 0)
(define test-shim-groups '())
(define test-shim-epsilon 1e-5)

(define-record-type test-shim-raised
  (test-shim-make-raised object)
  test-shim-raised?
  (object test-shim-raised-object))

;; Call thunk; its value, or a test-shim-raised record of what it raised.
(define (test-shim-try thunk)
  (guard (e (#t (test-shim-make-raised e)))
    (thunk)))

(define (test-shim-approx? a b epsilon)
  (cond ((> (abs a) (abs b)) (test-shim-approx? b a epsilon))
        ((zero? a) (< (abs b) epsilon))
        (else (< (abs (/ (- a b) b)) epsilon))))

;; chibi's test-equal?: equal?, or approximately equal when expect is inexact.
(define (test-shim-equal? expect res)
  (or (equal? expect res)
      (if (real? expect)
          (and (inexact? expect)
               (real? res)
               (test-shim-approx? expect res test-shim-epsilon))
          (and (complex? res)
               (complex? expect)
               (test-shim-equal? (real-part expect) (real-part res))
               (test-shim-equal? (imag-part expect) (imag-part res))))))

(define test-shim-comparator test-shim-equal?)

(define (test-shim-write-group)
  (display "[")
  (let loop ((gs (reverse test-shim-groups)) (first #t))
    (if (pair? gs)
        (begin
          (if (not first) (display "/"))
          (display (car gs))
          (loop (cdr gs) #f))))
  (display "]"))

;; Print what was raised: an error object's message and irritants, else the object.
(define (test-shim-write-raised obj)
  (if (error-object? obj)
      (begin
        (display (error-object-message obj))
        (for-each (lambda (x) (display " ") (write x))
                  (error-object-irritants obj)))
      (write obj)))

(define (test-shim-header status name source)
  (set! test-shim-failed (+ test-shim-failed 1))
  (display status)
  (display " ")
  (test-shim-write-group)
  (display " #")
  (display test-shim-sites)
  (if name
      (begin (display " ") (write name)))
  (display ": ")
  (write source))

(define (test-shim-pass)
  (set! test-shim-passed (+ test-shim-passed 1)))

(define (test-shim-fail name source res expect)
  (test-shim-header "FAIL" name source)
  (display " => ")
  (write res)
  (display ", expected ")
  (write expect)
  (newline))

(define (test-shim-error name source obj what)
  (test-shim-header "ERROR" name source)
  (display what)
  (test-shim-write-raised obj)
  (newline))

;; The core of test: compare the values of two thunks.
(define (test-shim-run name source expect-thunk expr-thunk)
  (set! test-shim-sites (+ test-shim-sites 1))
  (let* ((expect (test-shim-try expect-thunk))
         (res (test-shim-try expr-thunk)))
    (cond ((test-shim-raised? expect)
           (test-shim-error name source (test-shim-raised-object expect)
                            " expected value raised "))
          ((test-shim-raised? res)
           (test-shim-error name source (test-shim-raised-object res) " raised "))
          ((test-shim-comparator expect res) (test-shim-pass))
          (else (test-shim-fail name source res expect)))))

(define (test-shim-run-assert name source expr-thunk)
  (set! test-shim-sites (+ test-shim-sites 1))
  (let ((res (test-shim-try expr-thunk)))
    (cond ((test-shim-raised? res)
           (test-shim-error name source (test-shim-raised-object res) " raised "))
          (res (test-shim-pass))
          (else (test-shim-fail name source res 'a-true-value)))))

;; pred is #f when any raised object will do.
(define (test-shim-run-error name source pred expr-thunk)
  (set! test-shim-sites (+ test-shim-sites 1))
  (let ((res (test-shim-try expr-thunk)))
    (cond ((not (test-shim-raised? res))
           (test-shim-fail name source res 'an-error))
          ((or (not pred) (pred (test-shim-raised-object res))) (test-shim-pass))
          (else
           (test-shim-error name source (test-shim-raised-object res)
                            " raised an object failing the predicate: ")))))

(define-syntax test
  (syntax-rules ()
    ((_ expect expr)
     (test-shim-run #f 'expr (lambda () expect) (lambda () expr)))
    ((_ name expect expr)
     (test-shim-run name 'expr (lambda () expect) (lambda () expr)))))

(define-syntax test-equal
  (syntax-rules ()
    ((_ equal arg ...)
     (let ((saved test-shim-comparator))
       (dynamic-wind
        (lambda () (set! test-shim-comparator equal))
        (lambda () (test arg ...))
        (lambda () (set! test-shim-comparator saved)))))))

(define-syntax test-assert
  (syntax-rules ()
    ((_ expr) (test-shim-run-assert #f 'expr (lambda () expr)))
    ((_ name expr) (test-shim-run-assert name 'expr (lambda () expr)))))

(define-syntax test-not
  (syntax-rules ()
    ((_ expr) (test-assert (not expr)))
    ((_ name expr) (test-assert name (not expr)))))

(define-syntax test-values
  (syntax-rules ()
    ((_ expect expr) (test-values #f expect expr))
    ((_ name expect expr)
     (test-shim-run name 'expr
                    (lambda () (call-with-values (lambda () expect) list))
                    (lambda () (call-with-values (lambda () expr) list))))))

(define-syntax test-error
  (syntax-rules ()
    ((_ expr) (test-shim-run-error #f 'expr #f (lambda () expr)))
    ((_ name expr) (test-shim-run-error name 'expr #f (lambda () expr)))
    ((_ name pred expr) (test-shim-run-error name 'expr pred (lambda () expr)))))

(define (test-shim-summary)
  (display test-shim-passed)
  (display " passed, ")
  (display test-shim-failed)
  (display " failed")
  (newline))

(define (test-begin . name)
  (set! test-shim-groups
        (cons (if (pair? name) (car name) "") test-shim-groups)))

(define (test-end . name)
  (if (pair? test-shim-groups)
      (set! test-shim-groups (cdr test-shim-groups)))
  (if (null? test-shim-groups)
      (test-shim-summary)))
