;; Every socket-option constant (undefined ones are #f).
;; Recorded from CHICKEN 5.3 + socket egg 0.3.3 (see record.py); loopback only.
(import scheme (chicken base) (chicken condition) (chicken format) (chicken port) (chicken io) (chicken blob) socket)
(define (kinds e)
  (let loop ((ks '(exn i/o net timeout transient unsupported type bounds domain arity)) (acc '()))
    (cond ((null? ks) (reverse acc))
          (((condition-predicate (car ks)) e) (loop (cdr ks) (cons (car ks) acc)))
          (else (loop (cdr ks) acc)))))
(define (report label e)
  (printf "~a => ERROR ~s ~s: ~a~%" label (kinds e)
          ((condition-property-accessor 'exn 'location #f) e)
          ((condition-property-accessor 'exn 'message "") e)))
(define-syntax try
  (syntax-rules ()
    ((_ label expr)
     (handle-exceptions e (report label e)
       (let ((v expr)) (printf "~a => ~s~%" label v))))))
;; A listening TCP socket on 127.0.0.1 with a port chosen by the OS.
(define (tcp-listener)
  (let ((l (socket af/inet sock/stream)))
    (set! (so-reuse-address? l) #t)
    (socket-bind l (inet-address "127.0.0.1" 0))
    (socket-listen l 16)
    l))
;; A connected pair (client . server-side) through listener l.
(define (tcp-pair l)
  (let ((c (socket af/inet sock/stream)))
    (socket-connect c (socket-name l))
    (cons c (socket-accept l))))
;; ---
(try "so" (list so/reuseaddr so/debug so/acceptconn so/keepalive so/dontroute so/broadcast
                so/linger so/oobinline so/sndbuf so/rcvbuf so/sndlowat so/rcvlowat so/sndtimeo
                so/rcvtimeo so/error so/type so/useloopback so/reuseport so/timestamp
                so/exclusiveaddruse))
(try "tcp" (list tcp/nodelay tcp/maxseg tcp/nopush tcp/noopt tcp/keepalive))
(try "ip" (list ip/options ip/hdrincl ip/tos ip/ttl ip/mtu ip/mtu-discover ip/pktinfo ip/recverr
                ip/recvtos ip/recvttl ip/router-alert ip/recvopts ip/recvretopts ip/retopts
                ip/recvdstaddr ip/multicast-if ip/multicast-ttl ip/multicast-loop
                ip/add-membership ip/drop-membership))
(try "ipv6" (list ipv6/v6only ipv6/addrform ipv6/mtu ipv6/mtu-discover ipv6/multicast-hops
                  ipv6/multicast-if ipv6/multicast-loop ipv6/pktinfo ipv6/rthdr ipv6/authhdr
                  ipv6/dstopts ipv6/hopopts ipv6/flowinfo ipv6/hoplimit ipv6/recverr
                  ipv6/router-alert ipv6/unicast-hops ipv6/nexthop ipv6/port-range
                  ipv6/join-group ipv6/leave-group ipv6/checksum))
