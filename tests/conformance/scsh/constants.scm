;; The constant lists the manual's tables name (sections 4.2-4.5); values from spec/scsh.md.
(for-each (lambda (x) (display x) (newline))
  (list protocol-family/unix protocol-family/internet protocol-family/unspecified
        address-family/unix address-family/internet address-family/unspecified
        socket-type/stream socket-type/datagram socket-type/raw
        internet-address/any internet-address/loopback internet-address/broadcast
        shutdown/receives shutdown/sends shutdown/sends+receives
        message/out-of-band message/peek message/dont-route
        (bitwise-or message/peek message/out-of-band)
        level/socket herror/host-not-found herror/try-again herror/no-recovery
        herror/no-data herror/no-address))
(display (= protocol-family/internet address-family/internet)) (newline)
(display (number->string internet-address/loopback 16)) (newline)
