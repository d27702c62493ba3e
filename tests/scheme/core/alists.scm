;; assoc on long alists searched by string key many times (polysock indexes them):
;; every answer must stay the scan's, whatever is written in between.
(define (key k) (string-append "k" (number->string k)))
(define (make-table n)
  (let loop ((k (- n 1)) (acc '()))
    (if (< k 0) acc (loop (- k 1) (cons (cons (key k) k) acc)))))
(define (value k table)
  (let ((e (assoc (key k) table))) (if e (cdr e) 'none)))
(define (values-of ks table) (map (lambda (k) (value k table)) ks))
(define probe '(0 31 40 59 60 99))

(test-group "alist index: repeated lookups"
  (define t (make-table 60))
  (test '(0 31 40 59 none none) (values-of probe t))
  (test '(0 31 40 59 none none) (values-of probe t))
  (test '(0 31 40 59 none none) (values-of probe t))
  (test #f (assoc "k40" (list-tail t 41)))
  (test 'none (value 45 (list-copy (list-tail t 50)))))

(test-group "alist index: writes"
  (define t (make-table 60))
  (values-of probe t) (values-of probe t)
  (set-cdr! (assoc "k40" t) 'changed)                   ; the entry itself: seen at once
  (test 'changed (value 40 t))
  (string-set! (car (list-ref t 5)) 1 #\9)              ; "k5" -> "k9": now the first "k9"
  (test 5 (value 9 t))
  (test 'none (value 5 t))
  (set-car! (list-ref t 50) "k40")                       ; a later "k40" does not win
  (test 'changed (value 40 t))
  (set-car! (list-ref t 6) "k45")                        ; an earlier "k45" does
  (test 6 (value 45 t))
  (set-cdr! (list-tail t 35) '())                        ; cut after entry 35
  (test '(0 31 none none none none) (values-of probe t))
  (set-cdr! (list-tail t 35) (list (cons "k99" 99)))
  (test '(0 31 none none none 99) (values-of probe t))
  (string-fill! (car (list-ref t 31)) #\x)               ; "k31" -> "xxx"
  (test '(0 none none none none 99) (values-of probe t))
  (test 31 (cdr (assoc "xxx" t)))
  (string-copy! (car (list-ref t 31)) 0 "k60")           ; "xxx" -> "k60"
  (test '(0 none none none 31 99) (values-of probe t))
  (list-set! t 0 (cons "k59" 'first))
  (test '(none none none first 31 99) (values-of probe t)))

(test-group "alist index: bad alists still fail"
  (define t (append (make-table 40) (list 'oops)))
  (test 35 (value 35 t))
  (test 35 (value 35 t))
  (test 35 (value 35 t))
  (test-error (assoc "missing" t))
  (define u (append (make-table 40) 'tail))
  (test 39 (value 39 u))
  (test 39 (value 39 u))
  (test-error (assoc "missing" u)))
