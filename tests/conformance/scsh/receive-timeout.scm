;; Section 4.6: socket/receive-timeout is honoured: a receive that waits longer raises
;; an errno error with errno/timedout (spec 8; 0.6's non-blocking descriptors ignored it).
(receive (a b) (create-socket-pair socket-type/stream)
  (set-socket-option b level/socket socket/receive-timeout 0.1)
  (display (with-errno-handler ((e p) ((errno/timedout) (list 'timed-out (cadr p))))
     (receive-message/partial b 10)))
  (newline)
  (display (with-errno-handler ((e p) ((errno/timedout) 'port-timed-out))
     (read-line (socket:inport b))))
  (newline))
