;; Section 4.6, value options: integers. Options are classified by (level, option):
;; tcp/max-segment and ip/time-to-live are integers although their numbers equal
;; socket/reuse-address's on Linux (a bug of 0.6, fixed).
(define tcp-level (protocol-info:number (protocol-info "tcp")))
(define ip-level (protocol-info:number (protocol-info "ip")))
(define s (create-socket protocol-family/internet socket-type/stream))
(set-socket-option s level/socket socket/send-buffer 65536)
(display (list 'send-buffer (>= (socket-option s level/socket socket/send-buffer) 65536))) (newline)
(set-socket-option s level/socket socket/receive-buffer 32768)
(display (list 'receive-buffer (>= (socket-option s level/socket socket/receive-buffer) 32768))) (newline)
(display (list 'receive-low-water (socket-option s level/socket socket/receive-low-water))) (newline)
(display (list 'type (= (socket-option s level/socket socket/type) socket-type/stream))) (newline)
(display (list 'error (socket-option s level/socket socket/error))) (newline)
(set-socket-option s ip-level ip/time-to-live 33)
(display (list 'time-to-live (socket-option s ip-level ip/time-to-live))) (newline)
(set-socket-option s ip-level ip/type-of-service 16)
(display (list 'type-of-service (socket-option s ip-level ip/type-of-service))) (newline)
(display (list 'max-segment-is-integer (integer? (socket-option s tcp-level tcp/max-segment)))) (newline)
(close-socket s)
