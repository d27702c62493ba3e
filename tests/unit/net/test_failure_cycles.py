"""Issue 3, acceptance 3: 1,000 failures of each kind leave no fd and no hub registration behind."""
from __future__ import annotations

import socket as pysocket

import pytest

from polysock.net import address
from polysock.net.sockets import CoreSocket
from polysock.values.conditions import SchemeError

AF_INET, STREAM = pysocket.AF_INET, pysocket.SOCK_STREAM
N = 1000


def _listener():
    s = CoreSocket.open(AF_INET, STREAM)
    s.bind(address.inet("127.0.0.1", 0))
    s.listen(1024)
    return s, s.getsockname()


def _expect(kind, fn):
    with pytest.raises(SchemeError) as e:
        fn()
    assert e.value.payload.is_a(kind), e.value.payload
    return e.value.payload


def test_refused_reset_epipe_and_timeouts_leak_nothing(no_leaks, net_hub):
    # connection refused: bind a port, close it, connect N times
    s, addr = _listener()
    s.close()
    for _ in range(N):
        c = CoreSocket.open(AF_INET, STREAM)
        _expect("socket", lambda: c.connect(addr))
        c.close()

    srv, addr = _listener()
    for i in range(N):
        c = CoreSocket.open(AF_INET, STREAM)
        c.connect(addr)
        peer, _ = srv.accept()
        if i % 2 == 0:
            # reset by peer during a read: the peer closes with SO_LINGER 0
            peer.set_option("SO_LINGER", (True, 0))
            peer.close()
            _expect("socket", lambda: c.recv(10))
        else:
            # write after the peer closed: EPIPE (or a reset) on a later send
            peer.close()
            def write_until_error():
                for _ in range(100):
                    c.send(b"x" * 65536)
            _expect("socket", write_until_error)
        c.close()

    # timeouts: accept, receive
    for _ in range(N):
        _expect("timeout", lambda: srv.accept(timeout=0.0001))
    c = CoreSocket.open(AF_INET, STREAM)
    c.connect(addr)
    peer, _ = srv.accept()
    for _ in range(N):
        _expect("timeout", lambda: c.recv(10, timeout=0.0001))
    peer.close()
    c.close()
    srv.close()
    assert net_hub.registrations() == 0
