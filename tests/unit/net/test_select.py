import socket
import time

from polysock.net import address as A
from polysock.net.select import select
from polysock.net.sockets import CoreSocket, socketpair
from tests.fakes.helpers import condition_of, nap, spawn


class BufferedPort:
    """Stands in for a port: buffered data makes it ready although its fd is not."""

    def __init__(self, sock, buffered):
        self.sock, self.buffered = sock, buffered

    def fileno(self):
        return self.sock.fd

    def ready(self):
        return self.buffered


def test_poll_readiness(no_leaks):
    a, b = socketpair()
    r, w, e = select([a, b], [a], [], 0)
    assert (r, w, e) == ([], [a], [])
    b.send_all(b"x")
    r, w, e = select([a, b], [], [], 0)
    assert r == [a]
    a.close()
    b.close()


def test_buffered_port_and_fdless_items(no_leaks):
    a, b = socketpair()
    port = BufferedPort(a, True)
    plain = object()
    t0 = time.monotonic()
    r, w, _ = select([port, b], [plain], [], None)
    assert r == [port] and w == [plain] and time.monotonic() - t0 < 1.0   # else blocked for good
    a.close()
    b.close()


def test_timeout_and_wakeup(no_leaks):
    a, b = socketpair()
    t0 = time.monotonic()
    assert select([a], [], [], 0.2) == ([], [], [])
    assert abs(time.monotonic() - t0 - 0.2) < 0.05 + 0.02
    writer = spawn(lambda: (nap(0.1), b.send_all(b"y")))
    r, _, _ = select([a, b], [], [], 5)                 # several fds: worker/wait_any path
    assert r == [a]
    writer.join()
    a.close()
    b.close()


def test_raw_fds_and_errors(no_leaks):
    a, b = socketpair()
    r, _, _ = select([a.fd], [], [], 0)
    assert r == []
    a.close()
    assert condition_of(lambda: select([a], [], [], 0)).kind == "closed"
    assert condition_of(lambda: select([-1], [], [], 0)).kind == "range"
    assert condition_of(lambda: select([], [], [], -1)).kind == "range"
    b.close()


def test_listener_readable_on_pending_connection(no_leaks):
    lst = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen()
    c = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(lst.getsockname())
    r, _, _ = select([lst], [], [], 1)
    assert r == [lst]
    conn, _ = lst.accept()
    for s in (conn, c, lst):
        s.close()
