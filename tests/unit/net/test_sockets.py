import errno
import hashlib
import os
import socket
import time

import pytest

from polysock.net import address as A
from polysock.net.sockets import CoreSocket, socketpair
from tests.fakes.helpers import condition_of, fd_count, nap, spawn

AF_INET, AF_INET6, AF_UNIX = socket.AF_INET, socket.AF_INET6, socket.AF_UNIX
STREAM, DGRAM = socket.SOCK_STREAM, socket.SOCK_DGRAM


def listener(family=AF_INET, host="127.0.0.1"):
    s = CoreSocket.open(family, STREAM)
    s.bind(A.inet(host, 0) if family == AF_INET else A.inet6(host, 0))
    s.listen(16)
    return s


def tcp_pair(family=AF_INET, host="127.0.0.1"):
    lst = listener(family, host)
    c = CoreSocket.open(family, STREAM)
    c.connect(lst.getsockname())
    a, peer = lst.accept()
    assert peer == c.getsockname()
    lst.close()
    return c, a


def within(elapsed, expected):
    return abs(elapsed - expected) <= 0.05 + 0.1 * expected


@pytest.mark.parametrize("family,host", [(AF_INET, "127.0.0.1"), (AF_INET6, "::1")])
def test_tcp_roundtrip(no_leaks, family, host):
    c, a = tcp_pair(family, host)
    assert c.send_all(b"hello world") == 11
    assert a.recv(5) == b"hello"
    buf = bytearray(10)
    assert a.recv_into(buf, 2, 8) == 6 and bytes(buf[2:8]) == b" world"
    assert c.getpeername() == a.getsockname()
    c.close()
    assert a.recv(10) == b""                         # EOF
    a.close()


def test_send_offsets_peek_and_waitall(no_leaks):
    c, a = tcp_pair()
    assert c.send(b"0123456789", 2, 5) == 3
    assert a.recv(10, socket.MSG_PEEK) == b"234"
    assert a.recv(10) == b"234"
    got = spawn(lambda: a.recv(6, socket.MSG_WAITALL))
    for ch in (b"ab", b"cd", b"ef"):
        nap(0.02)
        c.send_all(ch)
    assert got.join() == b"abcdef"
    for bad in (lambda: c.send(b"abc", 4), lambda: c.send(b"abc", 2, 1),
                lambda: a.recv_into(bytearray(3), 0, 9), lambda: a.recv(-1)):
        assert condition_of(bad).kind == "range"
    c.close()
    a.close()


def test_recv_bytearray_sizes_eof_waitall_and_closed(no_leaks, monkeypatch):
    from polysock.net import sockets
    c, a = tcp_pair()
    c.send_all(b"abcdef")
    nap(0.02)
    got = a.recv_bytearray(4)
    assert got == bytearray(b"abcd") and got.__class__ is bytearray
    got = a.recv_bytearray(65536)                    # a short read: the rest only
    assert got == bytearray(b"ef") and len(got) == 2
    assert a.recv_bytearray(0) == bytearray()
    monkeypatch.setattr(sockets, "RECV_FRESH_MAX", 4)   # past it: recv's buffer, same result
    c.send_all(b"0123456789")
    nap(0.02)
    assert a.recv_bytearray(6) == bytearray(b"012345")
    monkeypatch.undo()
    assert a.recv_bytearray(100) == bytearray(b"6789")
    late = spawn(lambda: a.recv_bytearray(6, socket.MSG_WAITALL))
    for ch in (b"67", b"89", b"xy"):
        nap(0.02)
        c.send_all(ch)
    assert late.join() == bytearray(b"6789xy")
    assert condition_of(lambda: a.recv_bytearray(-1)).kind == "range"
    c.close()
    assert a.recv_bytearray(10) == bytearray()        # EOF
    a.close()
    assert condition_of(lambda: a.recv_bytearray(10, 0, "socket-recv")).who == "socket-recv"


def test_bulk_transfer_sha256(no_leaks):
    c, a = tcp_pair()
    data = os.urandom(4 * 1024 * 1024)
    sender = spawn(lambda: c.send_all(data))
    h = hashlib.sha256()
    n = 0
    for _ in range(100000):
        chunk = a.recv(65536)
        if not chunk:
            break
        h.update(chunk)
        n += len(chunk)
        if n == len(data):
            break
    assert sender.join() == len(data) and h.digest() == hashlib.sha256(data).digest()
    c.close()
    a.close()


def test_udp(no_leaks):
    r = CoreSocket.open(AF_INET, DGRAM)
    r.bind(A.inet("127.0.0.1", 0))
    s = CoreSocket.open(AF_INET, DGRAM)
    assert s.sendto(b"datagram!", r.getsockname()) == 9
    data, sender = r.recvfrom(100)
    assert data == b"datagram!" and sender.port == s.getsockname().port
    s.sendto(b"0123456789", r.getsockname())
    assert r.recvfrom(4)[0] == b"0123"              # truncated, rest lost
    s.sendto(b"xyz", r.getsockname())
    buf = bytearray(5)
    n, who = r.recvfrom_into(buf, 1)
    assert n == 3 and bytes(buf) == b"\0xyz\0" and who.port == s.getsockname().port
    r.close()
    s.close()


def test_udp_connected_refused(no_leaks):
    r = CoreSocket.open(AF_INET, DGRAM)
    r.bind(A.inet("127.0.0.1", 0))
    dead = r.getsockname()
    r.close()
    s = CoreSocket.open(AF_INET, DGRAM)
    s.connect(dead)
    s.send(b"x")
    c = condition_of(lambda: s.recv(10, timeout=2.0))
    assert c.kind == "socket" and c.data["errno"] == errno.ECONNREFUSED
    s.close()


@pytest.mark.parametrize("kind", [STREAM, DGRAM])
def test_unix(no_leaks, tmp_path, kind):
    path = str(tmp_path / "sock")
    srv = CoreSocket.open(AF_UNIX, kind)
    srv.bind(A.unix(path))
    assert srv.getsockname() == A.unix(path)
    cli = CoreSocket.open(AF_UNIX, kind)
    if kind == STREAM:
        srv.listen()
        cli.connect(A.unix(path))
        conn, peer = srv.accept()
        assert peer == A.SockAddr(AF_UNIX, path="")    # unnamed client
        cli.send_all(b"unix!")
        assert conn.recv(10) == b"unix!"
        conn.close()
    else:
        cli.bind(A.unix(str(tmp_path / "cli")))
        cli.sendto(b"dgram", A.unix(path))
        data, sender = srv.recvfrom(100)
        assert data == b"dgram" and sender == A.unix(str(tmp_path / "cli"))
    cli.close()
    srv.close()
    assert os.path.exists(path)                  # never deleted for the user
    again = CoreSocket.open(AF_UNIX, kind)
    c = condition_of(lambda: again.bind(A.unix(path)))
    assert c.data["errno"] == errno.EADDRINUSE and path in c.message
    again.close()


def test_unix_abstract_and_missing(no_leaks, tmp_path):
    name = "\0polysock-test-%d" % os.getpid()
    s = CoreSocket.open(AF_UNIX, STREAM)
    s.bind(A.unix(name))
    s.listen()
    c = CoreSocket.open(AF_UNIX, STREAM)
    c.connect(A.unix(name))
    c.close()
    s.close()
    d = CoreSocket.open(AF_UNIX, STREAM)
    cond = condition_of(lambda: d.connect(A.unix(str(tmp_path / "missing"))))
    assert cond.kind == "socket" and cond.data["errno"] == errno.ENOENT
    d.close()


def test_socketpair_and_half_close(no_leaks):
    a, b = socketpair()
    blob = os.urandom(1 << 20)
    sender = spawn(lambda: (a.send_all(blob), a.shutdown(socket.SHUT_WR)))
    got = bytearray()
    for _ in range(100000):
        chunk = b.recv(65536)
        if not chunk:
            break
        got += chunk
    sender.join()
    assert got == blob                                    # exactly 1 MiB then EOF
    back = spawn(lambda: b.send_all(blob))
    n = 0
    while n < len(blob):
        n += len(a.recv(65536))
    back.join()
    c = condition_of(lambda: a.send(b"x"))
    assert c.kind == "socket" and c.data["errno"] == errno.EPIPE
    a.shutdown(socket.SHUT_WR)                            # repeat: no-op on Linux AF_UNIX
    assert condition_of(lambda: a.shutdown(7)).kind == "range"
    a.close()
    b.close()


def test_connection_refused_releases_fd(no_leaks):
    lst = listener()
    addr = lst.getsockname()
    lst.close()
    before = fd_count()
    for _ in range(50):
        s = CoreSocket.open(AF_INET, STREAM)
        c = condition_of(lambda: s.connect(addr))
        assert c.kind == "socket" and c.data["errno"] == errno.ECONNREFUSED
        assert c.message == f"connection refused ({addr})" and c.data["call"] == "connect"
        s.close()
    assert fd_count() == before


def test_reset_by_peer_during_read(no_leaks):
    c, a = tcp_pair()
    reader = spawn(lambda: condition_of(lambda: a.recv(10)))
    nap(0.05)
    c.set_option("SO_LINGER", (True, 0))
    c.close()                                              # RST
    cond = reader.join(2.0)
    assert cond.kind == "socket" and cond.data["errno"] == errno.ECONNRESET
    a.close()


def test_epipe_after_peer_close(no_leaks):
    c, a = tcp_pair()
    a.close()
    chunk = b"x" * 65536
    first = None
    t0 = time.monotonic()
    for _ in range(1000):
        try:
            c.send_all(chunk)
        except Exception as e:                                 # noqa: BLE001
            first = e.payload
            break
    assert first is not None and first.kind == "socket"
    assert first.data["errno"] in (errno.EPIPE, errno.ECONNRESET)
    later = condition_of(lambda: c.send_all(chunk))
    assert later.data["errno"] == errno.EPIPE                   # stays broken
    assert time.monotonic() - t0 < 2
    c.close()


def test_address_in_use_and_rebind(no_leaks):
    lst = listener()
    addr = lst.getsockname()
    s = CoreSocket.open(AF_INET, STREAM)
    s.set_option("SO_REUSEADDR", True)
    c = condition_of(lambda: s.bind(addr))
    assert c.kind == "socket" and c.data["errno"] == errno.EADDRINUSE and c.data["call"] == "bind"
    lst.close()
    s.bind(addr)
    s.close()


def test_closed_socket_operations(no_leaks):
    s = CoreSocket.open(AF_INET, STREAM)
    s.close()
    s.close()                                                  # idempotent
    ops = [lambda: s.send(b"x"), lambda: s.recv(1), lambda: s.accept(), lambda: s.listen(),
           lambda: s.connect(A.inet("127.0.0.1", 1)), lambda: s.bind(A.inet("127.0.0.1", 0)),
           lambda: s.getsockname(), lambda: s.set_option("SO_REUSEADDR", True), lambda: s.fileno()]
    for op in ops:
        c = condition_of(op)
        assert c.kind == "closed" and c.data["errno"] == errno.EBADF


def test_wrong_state(no_leaks):
    s = CoreSocket.open(AF_INET, STREAM)
    c = condition_of(lambda: s.accept())
    assert c.kind == "socket" and c.data["errno"] == errno.EINVAL
    c = condition_of(lambda: s.send(b"x"))
    assert c.data["errno"] in (errno.EPIPE, errno.ENOTCONN)
    assert condition_of(lambda: s.getpeername()).data["errno"] == errno.ENOTCONN
    s.close()
    assert condition_of(lambda: CoreSocket.open(12345, STREAM)).kind in ("unsupported", "socket")


def test_backlog_clamped(no_leaks):
    for n in (-1, 0, 65536, 2 ** 40):
        s = CoreSocket.open(AF_INET, STREAM)
        s.bind(A.inet("127.0.0.1", 0))
        s.listen(n)
        s.close()


def test_recv_timeout_then_still_usable(no_leaks):
    c, a = tcp_pair()
    a.set_timeout("recv", 0.3)
    t0 = time.monotonic()
    cond = condition_of(lambda: a.recv(10))
    assert cond.kind == "timeout" and cond.is_a("socket") and within(time.monotonic() - t0, 0.3)
    c.send_all(b"later")
    assert a.recv(10) == b"later"
    c.close()
    a.close()


def test_accept_timeout(no_leaks):
    lst = listener()
    t0 = time.monotonic()
    cond = condition_of(lambda: lst.accept(timeout=0.2))
    assert cond.kind == "timeout" and within(time.monotonic() - t0, 0.2)
    lst.close()


def test_send_timeout(no_leaks):
    c, a = tcp_pair()
    c.set_option("SO_SNDBUF", 4096)
    for _ in range(5):                        # fill both buffers; the peer never reads
        for _ in range(100000):
            try:
                c.sock.send(b"x" * 65536)
            except BlockingIOError:
                break
        nap(0.05)
    t0 = time.monotonic()
    cond = condition_of(lambda: c.send_all(b"x" * 65536, timeout=0.3))
    assert cond.kind == "timeout" and cond.data["call"] == "send"
    assert within(time.monotonic() - t0, 0.3)
    c.close()
    a.close()


def test_connect_timeout_on_full_backlog(no_leaks):
    lst = CoreSocket.open(AF_INET, STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen(0)
    addr = lst.getsockname()
    fillers = []
    cond = None
    for _ in range(64):                     # fill the accept queue until a connect hangs
        s = CoreSocket.open(AF_INET, STREAM)
        fillers.append(s)
        t0 = time.monotonic()
        try:
            s.connect(addr, timeout=0.5)
        except Exception as e:               # noqa: BLE001
            cond = e.payload
            elapsed = time.monotonic() - t0
            break
    assert cond is not None and cond.kind == "timeout" and within(elapsed, 0.5)
    for s in fillers:
        s.close()
    lst.close()


@pytest.mark.parametrize("op", ["recv", "accept", "send"])
def test_close_wakes_blocked_thread(no_leaks, op):
    c, a = tcp_pair()
    lst = listener()
    if op == "send":
        c.set_option("SO_SNDBUF", 4096)
        target, call = c, (lambda: c.send_all(b"x" * (8 << 20)))
    elif op == "accept":
        target, call = lst, lst.accept
    else:
        target, call = a, (lambda: a.recv(10))
    waiter = spawn(lambda: condition_of(call))
    nap(0.1)
    t0 = time.monotonic()
    target.close()
    cond = waiter.join(2.0)
    assert cond.kind == "closed" and time.monotonic() - t0 < 1.0   # woken, not timed out
    for s in (c, a, lst):
        s.close()


def test_repr_and_adopt(no_leaks):
    s = CoreSocket.open(AF_INET, STREAM)
    assert repr(s) == f"#<socket fd:{s.fd} inet>"
    fd = s.detach()
    t = CoreSocket.adopt(fd)
    assert t.family == AF_INET and t.type == STREAM
    t.close()
    assert repr(t) == "#<socket closed inet>"


def test_100k_open_close_cycles(no_leaks, net_hub):
    before = fd_count()
    for _ in range(100_000):
        CoreSocket.open(AF_INET, STREAM).close()
    assert fd_count() == before and net_hub.registrations() == 0
