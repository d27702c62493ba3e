#!/usr/local/bin/scsh -s
!#
;; A scsh script: the #! ... !# header is a comment and selects the scsh dialect
;; (this program runs without --dialect). command-line, getenv and exit.
(display (list 'arguments (length (command-line-arguments)))) (newline)
(display (list 'program-name-is-string (string? (car (command-line))))) (newline)
(display (list 'getenv (string? (getenv "SCSH_TEST_DIR")) (getenv "SCSH_NO_SUCH_VARIABLE")))
(newline)
(receive (a b) (create-socket-pair socket-type/stream)
  (write-string "inside a script\n" (socket:outport a))
  (display (read-line (socket:inport b))) (newline))
(exit 3)
;; expect-exit: 3
