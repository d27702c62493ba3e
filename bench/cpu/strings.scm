;; strings: build words from numbers (number->string, string->list, map,
;; list->string), join them into lines with string-append, reverse each line
;; through a list, and print the total length plus the last line both ways.
(define size 200000) ; @size quick=2000

(define (digit->letter c)
  (integer->char (+ (char->integer c) 49)))

(define (word i)
  (list->string (map digit->letter (string->list (number->string i)))))

(define (string-reverse s)
  (list->string (reverse (string->list s))))

(define (run n)
  (let loop ((i 0) (line "") (total 0) (last "") (rev ""))
    (if (= i n)
        (list total last rev)
        (let ((line (string-append line (word i) " ")))
          (if (= (remainder i 16) 15)
              (loop (+ i 1) "" (+ total (string-length line))
                    line (string-reverse line))
              (loop (+ i 1) line total last rev))))))

(let ((result (run size)))
  (display (car result))
  (newline)
  (display (cadr result))
  (newline)
  (display (car (cddr result)))
  (newline))
