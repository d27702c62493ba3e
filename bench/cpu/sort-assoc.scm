;; sort-assoc: top-down merge sort of pseudo-random integers (written here,
;; not a library sort), then assoc lookups with string keys in an alist.
(define size 30000) ; @size quick=600

(define (random-list n)
  (let loop ((i 0) (x 12345) (acc '()))
    (if (= i n)
        acc
        (let ((x (modulo (+ (* x 1103515245) 12345) 2147483648)))
          (loop (+ i 1) x (cons (quotient x 65536) acc))))))

(define (reverse-onto acc tail)
  (if (null? acc)
      tail
      (reverse-onto (cdr acc) (cons (car acc) tail))))

(define (merge a b)
  (let loop ((a a) (b b) (acc '()))
    (cond ((null? a) (reverse-onto acc b))
          ((null? b) (reverse-onto acc a))
          ((< (car b) (car a)) (loop a (cdr b) (cons (car b) acc)))
          (else (loop (cdr a) b (cons (car a) acc))))))

;; Sort the first n elements of lst.
(define (merge-sort lst n)
  (cond ((= n 0) '())
        ((= n 1) (list (car lst)))
        (else
         (let ((h (quotient n 2)))
           (merge (merge-sort lst h)
                  (merge-sort (list-tail lst h) (- n h)))))))

(define (checksum lst)
  (let loop ((lst lst) (i 1) (acc 0))
    (if (null? lst)
        acc
        (loop (cdr lst) (+ i 1) (modulo (+ acc (* i (car lst))) 1000000007)))))

(define (key k)
  (string-append "key-" (number->string k)))

(define (make-table m)
  (let loop ((k (- m 1)) (acc '()))
    (if (< k 0)
        acc
        (loop (- k 1) (cons (cons (key k) (* k k)) acc)))))

(define (lookups lst table m)
  (let loop ((lst lst) (acc 0))
    (if (null? lst)
        acc
        (let ((hit (assoc (key (modulo (car lst) (+ m 7))) table)))
          (loop (cdr lst) (if hit (+ acc (cdr hit)) (- acc 1)))))))

(define data (random-list size))
(define sorted (merge-sort data size))
(define table-size 200)
(display (car sorted))
(newline)
(display (list-ref sorted (- size 1)))
(newline)
(display (checksum sorted))
(newline)
(display (lookups data (make-table table-size) table-size))
(newline)
