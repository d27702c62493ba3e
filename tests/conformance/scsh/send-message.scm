;; Section 4.5: send-message sends [start, end) of the string completely;
;; send-message/partial returns the count it sent. Large messages over a stream.
(receive (a b) (create-socket-pair socket-type/stream)
  (send-message a "xxHELLOxx" 2 7)
  (newline (socket:outport a))
  (display (read-line (socket:inport b))) (newline)
  (display (send-message/partial a "partial\n")) (newline)
  (display (read-line (socket:inport b))) (newline)
  (display (send-message/partial a "" 0 0)) (newline)
  (define big (make-string 200000 #\z))
  (spawn (lambda () (send-message a big) (shutdown-socket a shutdown/sends)))
  (let loop ((total 0))
    (receive (s from) (receive-message/partial b 65536)
      (if s
          (loop (+ total (string-length s)))
          (begin (display (list 'received total)) (newline)))))
  (close-socket a)
  (close-socket b))
