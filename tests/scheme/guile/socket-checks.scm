;; dialect: guile
;; The checks of Guile's own test-suite/tests/00-socket.test, restated for polysock:
;; inet-ntop/inet-pton ranges, make-socket-address, setsockopt, and AF_UNIX (dgram,
;; stream, abstract), AF_INET6 bind/listen/connect/accept, send/recv!. Guile forks a
;; server process; here the server side runs in a green thread.
(use-modules (rnrs bytevectors) (ice-9 threads))

(define (raises-key? key thunk)
  (catch #t (lambda () (thunk) #f) (lambda (k . args) (eq? k key))))

(test-group "inet-ntop ipv6"
  (test-assert "zero is a string" (string? (inet-ntop AF_INET6 0)))
  (test-assert "2^128-1 is a string" (string? (inet-ntop AF_INET6 (1- (ash 1 128)))))
  (test-assert "-1 out of range" (raises-key? 'out-of-range (lambda () (inet-ntop AF_INET6 -1))))
  (test-assert "2^128 out of range" (raises-key? 'out-of-range (lambda () (inet-ntop AF_INET6 (ash 1 128)))))
  (test-assert "2^1024 out of range" (raises-key? 'out-of-range (lambda () (inet-ntop AF_INET6 (ash 1 1024))))))

(test-group "inet-pton ipv6"
  (test 0 (inet-pton AF_INET6 "00:00:00:00:00:00:00:00"))
  (test 1 (inet-pton AF_INET6 "0:0:0:0:0:0:0:1"))
  (test 1 (inet-pton AF_INET6 "::1"))
  (test #xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF (inet-pton AF_INET6 "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"))
  (test #xF0000000000000000000000000000000 (inet-pton AF_INET6 "F000:0000:0000:0000:0000:0000:0000:0000"))
  (test #x0F000000000000000000000000000000 (inet-pton AF_INET6 "0F00:0000:0000:0000:0000:0000:0000:0000"))
  (test #xF0 (inet-pton AF_INET6 "0000:0000:0000:0000:0000:0000:0000:00F0")))

(test-group "inet-ntop"
  (test "127.0.0.1" (inet-ntop AF_INET INADDR_LOOPBACK))
  (test "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" (inet-ntop AF_INET6 (- (expt 2 128) 1)))
  (test "::1" (inet-ntop AF_INET6 1)))

(test-group "make-socket-address"
  (let ((sa (make-socket-address AF_INET 123456 80)))
    (test AF_INET (sockaddr:fam sa))
    (test 123456 (sockaddr:addr sa))
    (test 80 (sockaddr:port sa)))
  (let ((with-flow (make-socket-address AF_INET6 123456 80 1))
        (without (make-socket-address AF_INET6 123456 80)))
    (test AF_INET6 (sockaddr:fam with-flow))
    (test (sockaddr:addr without) (sockaddr:addr with-flow))
    (test 80 (sockaddr:port without))
    (test 1 (sockaddr:flowinfo with-flow)))
  (let ((sa (make-socket-address AF_UNIX "/tmp/unix-socket")))
    (test AF_UNIX (sockaddr:fam sa))
    (test "/tmp/unix-socket" (sockaddr:path sa)))
  (let ((sa (make-socket-address AF_UNIX "\x00;/tmp/abstract-socket")))
    (test AF_UNIX (sockaddr:fam sa))
    (test "\x00;/tmp/abstract-socket" (sockaddr:path sa))))

(test-group "setsockopt"
  (let ((s (socket AF_INET SOCK_STREAM 0)))
    (setsockopt s IPPROTO_TCP TCP_NODELAY 1)
    (test 1 (getsockopt s IPPROTO_TCP TCP_NODELAY))))

(define (temp-path tag)
  (string-append "/tmp/polysock-guile-suite-" tag "-" (number->string (getpid))))

(define (bind-checked sock . addr)
  (catch 'system-error
    (lambda () (apply bind sock addr) #t)
    (lambda args (= (system-error-errno args) EADDRINUSE))))

(test-group "AF_UNIX/SOCK_DGRAM"
  (let ((server (socket AF_UNIX SOCK_DGRAM 0)) (path (temp-path "dgram")))
    (false-if-exception (delete-file path))
    (test-assert "bind" (bind-checked server AF_UNIX path))
    (let* ((other (temp-path "dgram2")) (s (socket AF_UNIX SOCK_STREAM 0)))
      (false-if-exception (delete-file other))
      (test-assert "bind/sockaddr" (bind-checked s (make-socket-address AF_UNIX other)))
      (delete-file other))
    (test-assert "sendto" (> (sendto (socket AF_UNIX SOCK_DGRAM 0) (string->utf8 "hello") AF_UNIX path) 0))
    (test-assert "sendto/sockaddr"
      (> (sendto (socket AF_UNIX SOCK_DGRAM 0) (string->utf8 "hello") (make-socket-address AF_UNIX path)) 0))
    (delete-file path)))

(define (serve-in-thread server count action)
  (call-with-new-thread
    (lambda ()
      (let loop ((n count) (ok #t))
        (if (= n 0)
            ok
            (let ((conn (false-if-exception (accept server))))
              (loop (- n 1) (and ok conn (action (car conn))))))))))

(test-group "AF_UNIX/SOCK_STREAM"
  (let ((server (socket AF_UNIX SOCK_STREAM 0)) (path (temp-path "stream")))
    (false-if-exception (delete-file path))
    (test-assert "bind" (bind-checked server AF_UNIX path))
    (test-assert "listen" (begin (listen server 123) #t))
    (let ((t (serve-in-thread server 2 (lambda (c) #t))))
      (test-assert "connect" (begin (connect (socket AF_UNIX SOCK_STREAM 0) AF_UNIX path) #t))
      (test-assert "connect/sockaddr"
        (begin (connect (socket AF_UNIX SOCK_STREAM 0) (make-socket-address AF_UNIX path)) #t))
      (test-assert "accept" (join-thread t)))
    (delete-file path)))

(test-group "AF_UNIX abstract"
  (let ((server (socket AF_UNIX SOCK_STREAM 0)) (path (string-append "\x00;" (temp-path "abstract"))))
    (test-assert "bind abstract" (bind-checked server AF_UNIX path))
    (test-assert "listen abstract" (begin (listen server 123) #t))
    (let ((t (serve-in-thread server 1 (lambda (c) #t))))
      (test-assert "connect abstract" (begin (connect (socket AF_UNIX SOCK_STREAM 0) AF_UNIX path) #t))
      (test-assert "accept abstract" (join-thread t)))))

(test-group "send and recv!"
  (let ((server (socket AF_UNIX SOCK_STREAM 0)) (path (temp-path "sendrecv")) (message "hello, world!"))
    (false-if-exception (delete-file path))
    (test-assert "bind (bis)" (bind-checked server AF_UNIX path))
    (test-assert "listen (bis)" (begin (listen server 123) #t))
    (let ((t (serve-in-thread server 1
               (lambda (conn)
                 (let ((bv (string->utf8 message)))
                   (= (bytevector-length bv) (send conn bv)))))))
      (let ((s (socket AF_UNIX SOCK_STREAM 0)))
        (connect s AF_UNIX path)
        (let* ((buf (make-bytevector 123)) (n (recv! s buf)) (got (make-bytevector n)))
          (bytevector-copy! buf 0 got 0 n)
          (test "recv!" message (utf8->string got))))
      (test-assert "accept (bis)" (join-thread t)))
    (delete-file path)))

(test-group "AF_INET6/SOCK_STREAM"
  (let ((server (socket AF_INET6 SOCK_STREAM 0)))
    (setsockopt server SOL_SOCKET SO_REUSEADDR 1)
    (test-assert "bind" (bind-checked server AF_INET6 1 0))
    (let ((port (sockaddr:port (getsockname server))))
      (test-assert "bind/sockaddr" (bind-checked (socket AF_INET6 SOCK_STREAM 0) (make-socket-address AF_INET6 1 0)))
      (test-assert "listen" (begin (listen server 123) #t))
      (let ((t (serve-in-thread server 2 (lambda (c) #t))))
        (test-assert "connect" (begin (connect (socket AF_INET6 SOCK_STREAM 0) AF_INET6 1 port) #t))
        (test-assert "connect/sockaddr"
          (begin (connect (socket AF_INET6 SOCK_STREAM 0) (make-socket-address AF_INET6 1 port)) #t))
        (test-assert "accept" (join-thread t))))))
