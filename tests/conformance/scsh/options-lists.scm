;; Section 4.6: the option classes as lists, and options this OS lacks, which
;; raise errno/noprotoopt (spec 11.1).
(display (list (and (memv socket/reuse-address options/boolean) #t)
               (and (memv socket/send-buffer options/value) #t)
               (equal? options/linger (list socket/linger))
               (= (length options/timeout) 2)))
(newline)
(define s (create-socket protocol-family/internet socket-type/stream))
(for-each
 (lambda (opt)
   (display (with-errno-handler ((e p) ((errno/noprotoopt) 'not-on-this-system))
              (socket-option s level/socket opt)))
   (newline))
 (list socket/use-loop-back socket/use-privileged socket/cant-signal))
(display (with-errno-handler ((e p) ((errno/noprotoopt) 'read-only))
           (set-socket-option s level/socket socket/type 1)))
(newline)
(close-socket s)
