"""The net core's fast paths: poll-first reads, the lone-thread wait, lean accept/open,
datagram peer reuse. Each fast path must behave exactly like the general one."""
import errno
import fcntl
import os
import socket
import sys
import threading
import time

import pytest

from polysock.net import address as A
from polysock.net import options
from polysock.net.sockets import LONE_SLICE, POLL_FIRST, SEND_PIECE, CoreSocket, get_hub
from tests.fakes.helpers import condition_of, nap, spawn

AF_INET, AF_UNIX = socket.AF_INET, socket.AF_UNIX
STREAM, DGRAM = socket.SOCK_STREAM, socket.SOCK_DGRAM


def real_hub():
    from polysock.hub import hub
    if get_hub() is not hub:
        pytest.skip("needs the real hub")
    return hub


def nonblocking(fd):
    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)


def left_blocking(s):
    """The socket is blocking, and knows it (a lone read or accept(2) left it so)."""
    return s.blocking and not nonblocking(s.fd) and s.sock.gettimeout() is None


def consistent(s):
    """What the socket believes of its mode is what the kernel has."""
    return s.blocking != nonblocking(s.fd)


def later(seconds, fn):
    """Run fn in another OS thread after *seconds* (the lone path blocks this one)."""
    t = threading.Timer(seconds, fn)
    t.daemon = True
    t.start()
    return t


def when(ready, fn, delay=0.0):
    """Run fn in another OS thread once ready() holds, *delay* seconds later: data that
    must reach a read only after the read has started waiting, however late the machine
    schedules this thread (ready is polled every millisecond, for at most 10 s)."""
    def run():
        end = time.monotonic() + 10.0
        while not ready() and time.monotonic() < end:
            time.sleep(0.001)
        time.sleep(delay)
        fn()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_open_gives_nonblocking_fds_accept_blocking_ones_and_plain_ints(no_leaks):
    lst = CoreSocket.open(AF_INET, STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen(4)
    c = CoreSocket.open(AF_INET, STREAM)
    c.connect(lst.getsockname())
    a = lst.accept_socket()
    b = CoreSocket.open(AF_INET, STREAM)
    b.connect(lst.getsockname())
    d, peer = lst.accept()
    assert peer == b.getsockname()
    for s in (lst, c, a, b, d):
        assert type(s.family) is int and type(s.type) is int
        assert s.family == AF_INET and s.type == STREAM
        assert consistent(s)
    for s in (lst, c, b):
        assert nonblocking(s.fd) and s.sock.gettimeout() == 0.0
    if sys.platform.startswith("linux"):     # accept(2) hands out a blocking socket: kept so
        assert left_blocking(a) and left_blocking(d)
    assert d.fileno() == d.fd and nonblocking(d.fd) and not d.blocking   # the fd handed out
    assert a.getpeername() == c.getsockname()
    c.send_all(b"ping")
    assert a.recv(10) == b"ping"
    for s in (lst, c, a, b, d):
        s.close()


def test_reads_that_waited_poll_first_then_go_back_to_trying(no_leaks):
    a, b = CoreSocket.pair()
    reader = spawn(lambda: a.recv(10))
    nap(0.05)                                # the reader has to wait
    b.send_all(b"one")
    assert reader.join(2.0) == b"one"
    n = a.read_waited
    assert 0 < n <= POLL_FIRST
    for i in range(n):                       # data already there: still read correctly
        b.send_all(b"x%d" % i)
        assert a.recv(10) == b"x%d" % i
    assert a.read_waited == 0                # the budget is spent: try first again
    b.send_all(b"tail")
    assert a.recv(10) == b"tail" and a.read_waited == 0
    a.close()
    b.close()


def test_poll_first_read_still_sees_eof_errors_and_timeouts(no_leaks):
    a, b = CoreSocket.pair()
    a.read_waited = POLL_FIRST
    a.set_timeout("recv", 0.2)
    t0 = time.monotonic()
    cond = condition_of(lambda: a.recv(10))
    assert cond.kind == "timeout" and 0.15 < time.monotonic() - t0 < 1.0
    b.close()
    assert a.recv(10) == b""                 # EOF through the poll-first path
    a.close()
    cond = condition_of(lambda: a.recv(10))
    assert cond.kind == "closed"


def rcvtimeo(s):
    return s.get_option("SO_RCVTIMEO")


# A read with no timeout, or one of at least a slice, blocks in recv(2); a shorter
# timeout waits on the cached poll object.
@pytest.mark.parametrize("timeout,delay", [(None, 0.1 + LONE_SLICE), (5.0, 0.1 + LONE_SLICE),
                                           (LONE_SLICE * 0.9, LONE_SLICE * 0.3)])
def test_lone_wait_returns_when_data_arrives_from_another_os_thread(no_leaks, timeout, delay):
    hub = real_hub()
    hub.HUB.lone.clear()
    a, b = CoreSocket.pair()
    raw = socket.socket(fileno=os.dup(b.fd))
    t0 = time.monotonic()                    # sent once the read has spun (or polled)
    when(lambda: a.fd * 2 in hub.HUB.lone, lambda: raw.send(b"late"), delay)
    assert a.recv(10, timeout=timeout) == b"late"
    assert delay * 0.5 < time.monotonic() - t0 < 2.0
    assert hub.registrations() == 0          # the lone path registers nothing in epoll
    assert a.fd * 2 in hub.HUB.lone          # the poll object: the spin (None) or the wait
    blocks = timeout is None or timeout >= LONE_SLICE
    assert consistent(a) and a.blocking == blocks and rcvtimeo(a) == 0.0
    raw.close()
    a.close()
    b.close()


def test_lone_blocking_read_keeps_its_deadline_and_the_slice_comes_back(no_leaks, monkeypatch):
    from polysock.hub import clock
    from polysock.net import sockets
    real_hub()
    a, b = CoreSocket.pair()
    ticks = iter(range(1000))                 # the hub's clock reads one slice later each
    start = clock.monotonic()                 # time, so a late wake-up cannot skip the cut
    with monkeypatch.context() as m:
        m.setattr(clock, "monotonic", lambda: start + next(ticks) * LONE_SLICE)
        t0 = time.monotonic()
        cond = condition_of(lambda: a.recv(10, timeout=LONE_SLICE * 2.5))
        took = time.monotonic() - t0
    assert cond.kind == "timeout" and LONE_SLICE * 2.4 < took < LONE_SLICE * 2.5 + 0.5
    assert a.blocking and consistent(a) and a.sliced == sockets.CUT   # the last slice was cut
    assert rcvtimeo(a) == 0.0                               # ours: the program's 0 is reported
    raw = socket.socket(fileno=os.dup(b.fd))
    later(LONE_SLICE * 1.5, lambda: raw.send(b"next"))
    assert a.recv(10, timeout=5.0) == b"next"              # slept through whole slices again
    assert a.sliced is True and rcvtimeo(a) == 0.0
    raw.close()
    a.close()
    b.close()


@pytest.mark.parametrize("timeout", [None, 5.0])
def test_lone_wait_survives_a_wakeup_and_keeps_waiting(no_leaks, timeout):
    hub = real_hub()
    a, b = CoreSocket.pair()
    a.read_waited = POLL_FIRST               # wait first
    raw = socket.socket(fileno=os.dup(b.fd))
    later(0.05, hub.wakeup)                  # the Ctrl-C relay: poll returns, no data yet
    later(0.2, lambda: raw.send(b"data"))
    t0 = time.monotonic()
    assert a.recv(10, timeout=timeout) == b"data"
    assert time.monotonic() - t0 >= 0.15     # the wake-up did not end the read early
    raw.close()
    a.close()
    b.close()


def _async_raise(ident, exc):
    import ctypes
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc))


@pytest.mark.parametrize("what", ["recv", "recvfrom", "accept"])
def test_lone_blocking_wait_lets_an_interrupt_in_within_a_slice(no_leaks, what):
    real_hub()
    if what == "accept":
        a = CoreSocket.open(AF_INET, STREAM)
        a.bind(A.inet("127.0.0.1", 0))
        a.listen(4)
        b = None
        op = a.accept
    else:
        a, b = CoreSocket.pair(type=STREAM if what == "recv" else DGRAM)
        op = lambda: getattr(a, what)(10)   # noqa: E731
    me = threading.get_ident()
    later(0.1, lambda: _async_raise(me, KeyboardInterrupt))   # what the CLI does on Ctrl-C
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        op()
        time.sleep(5)                        # not reached: the wait ended otherwise
    assert time.monotonic() - t0 < 0.1 + LONE_SLICE + 0.5
    assert left_blocking(a) and rcvtimeo(a) == 0.0
    for s in (a, b):
        if s is not None:
            s.close()


def test_lone_blocking_read_sees_a_close_from_another_os_thread(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    later(0.1, a.close)
    t0 = time.monotonic()
    assert condition_of(lambda: a.recv(10)).kind == "closed"
    assert time.monotonic() - t0 < 0.1 + LONE_SLICE + 0.5
    b.close()


def kernel_rcvtimeo(s):
    return options.CODECS["timeval"].decode(s.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16))


def test_accepted_sockets_inherit_the_slice_and_report_no_timeout(no_leaks):
    real_hub()
    lst = CoreSocket.open(AF_INET, STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen(4)
    assert lst.sliced and kernel_rcvtimeo(lst) > 0       # sliced before listen(2)
    addr = lst.sock.getsockname()
    clients = []
    later(0.1, lambda: clients.extend(socket.create_connection(addr) for _ in range(2)))
    first = lst.accept_socket()                           # a lone accept
    nap(0.1)
    second = lst.accept_socket()
    for s in (first, second, lst):
        assert consistent(s) and rcvtimeo(s) == 0.0      # what the program sees
    for s in (first, second):
        assert s.sliced and kernel_rcvtimeo(s) > 0        # inherited: a lone read is interruptible
    me = threading.get_ident()
    later(0.1, lambda: _async_raise(me, KeyboardInterrupt))
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        second.recv(10)
        time.sleep(5)
    assert time.monotonic() - t0 < 0.1 + LONE_SLICE + 0.5
    for s in (first, second, lst, *clients):
        s.close()


def lone_read_leaves_blocking(a, b, what="recv"):
    """A lone read on a that waits for b's data: a is left blocking."""
    raw = socket.socket(fileno=os.dup(b.fd))
    when(lambda: a.blocking, lambda: raw.send(b"late"), 0.01)   # once the read blocks
    got = getattr(a, what)(10)
    raw.close()
    assert (got if what == "recv" else got[0]) == b"late"
    assert left_blocking(a)


@pytest.mark.parametrize("kind", [STREAM, DGRAM])
def test_sends_on_a_socket_left_blocking_never_block(no_leaks, kind, monkeypatch):
    real_hub()
    a, b = CoreSocket.pair(type=kind)
    lone_read_leaves_blocking(a, b)
    waits = []                                # the waiting path, spied on: never entered
    monkeypatch.setattr(CoreSocket, "_call", lambda self, *args: waits.append(args))
    if kind == STREAM:
        assert a.send_all(b"more", 1) == 3 and a.send_all(b"all") == 3
        n = a.send(b"x" * (8 << 20))          # one send: what fits now, never a wait
        assert 0 < n < 8 << 20
    else:
        for i in range(3):
            assert a.send(b"d%d" % i) == 2 and a.send_all(b"e%d" % i) == 2
    assert waits == []                        # MSG_DONTWAIT: one call, no wait
    assert left_blocking(a)                   # and no ioctl paid
    if kind == DGRAM:
        assert [b.recv(10) for _ in range(6)] == [b"d0", b"e0", b"d1", b"e1", b"d2", b"e2"]
    a.close()
    b.close()


def test_a_socket_left_blocking_turns_back_when_others_may_run(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    lone_read_leaves_blocking(a, b)
    t0 = time.monotonic()                     # a deadline under a slice: the poll path
    assert condition_of(lambda: a.recv(10, timeout=LONE_SLICE * 0.8)).kind == "timeout"
    assert LONE_SLICE * 0.7 < time.monotonic() - t0 < 1.0 and consistent(a) and not a.blocking
    lone_read_leaves_blocking(a, b)
    sleeper = spawn(lambda: nap(0.2))         # another green thread: not alone any more
    t0 = time.monotonic()
    b.send_all(b"now")
    assert a.recv(10) == b"now" and consistent(a) and not a.blocking
    assert condition_of(lambda: a.recv(10, timeout=0.05)).kind == "timeout"
    sleeper.join(2.0)
    lone_read_leaves_blocking(a, b)
    cond = condition_of(lambda: a.send_all(b"y" * (8 << 20), timeout=0.1))
    assert cond.kind == "timeout" and consistent(a) and not a.blocking   # the general loop
    a.close()
    b.close()


@pytest.mark.parametrize("what", ["recv", "recvfrom"])
def test_a_socket_left_blocking_reads_again_in_one_call(no_leaks, what):
    real_hub()
    a, b = CoreSocket.pair(type=STREAM if what == "recv" else DGRAM)
    lone_read_leaves_blocking(a, b, what)
    for i in range(3):                        # data there or late: the blocking call itself
        if i == 1:
            raw = socket.socket(fileno=os.dup(b.fd))
            later(0.05, lambda: raw.send(b"one"))
        else:
            b.send_all(b"one")
        got = getattr(a, what)(10)
        assert (got if what == "recv" else got[0]) == b"one" and left_blocking(a)
        if i == 1:
            raw.close()
    b.close()                                 # EOF (stream) arrives through the same call
    if what == "recv":
        assert a.recv(10) == b"" and left_blocking(a)
    a.close()


def test_handing_out_the_fd_makes_it_nonblocking_again(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    lone_read_leaves_blocking(a, b)
    assert a.fileno() == a.fd and nonblocking(a.fd) and not a.blocking
    lone_read_leaves_blocking(a, b)
    fd = a.detach()
    assert nonblocking(fd)
    os.close(fd)
    b.close()


@pytest.mark.parametrize("timeout", [LONE_SLICE * 0.8, LONE_SLICE * 2.5])   # poll path / blocking
def test_an_accepted_socket_used_first_by_a_read_with_a_deadline(no_leaks, timeout):
    real_hub()
    lst = CoreSocket.open(AF_INET, STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen(4)
    c = socket.create_connection(lst.sock.getsockname())
    conn = lst.accept_socket()
    t0 = time.monotonic()
    assert condition_of(lambda: conn.recv(10, timeout=timeout)).kind == "timeout"
    assert timeout * 0.9 < time.monotonic() - t0 < timeout + 1.0 and consistent(conn)
    assert conn.blocking == (timeout >= LONE_SLICE)
    c.close()
    conn.close()
    lst.close()


@pytest.fixture
def short_spin(no_leaks, monkeypatch):
    """A socket pair (a, b), spins of 2 ms, and late(): b"late" from b, sent by another
    OS thread only once a's next read has spun and found nothing (at once when that
    read skips its spin), whatever the scheduling."""
    from polysock.net import sockets
    hub = real_hub()
    monkeypatch.setattr(sockets, "LONE_SPIN", 0.002)
    a, b = CoreSocket.pair()
    raw = socket.socket(fileno=os.dup(b.fd))
    spun = threading.Event()
    real_spin = hub.spin

    def spin(fd, seconds):
        found = real_spin(fd, seconds)
        spun.set()
        return found

    def late():
        spun.clear()
        will_spin = a.spin >= 0
        when(lambda: spun.is_set() or not will_spin, lambda: raw.send(b"late"), 0.005)

    monkeypatch.setattr(hub, "spin", spin)
    yield a, b, late
    for s in (raw, a, b):
        s.close()


def test_a_lone_read_spins_and_backs_off_when_answers_come_late(short_spin):
    from polysock.net import sockets
    a, b, late = short_spin
    seen = []
    for i in range(9):                        # every answer comes after the spin: backs off
        late()
        assert a.recv(10) == b"late"
        seen.append((a.spin, a.spin_misses))
    #  miss: skip 2 | skip, skip | miss: skip 4 | ... | miss: skip 8
    assert seen == [(-2, 1), (-1, 1), (0, 1), (-4, 2), (-3, 2), (-2, 2), (-1, 2), (0, 2), (-8, 3)]
    for _ in range(8):                        # blocking at once still reads right
        b.send_all(b"now")
        assert a.recv(10) == b"now"
    assert (a.spin, a.spin_misses) == (0, 3)
    b.send_all(b"quick")                      # a spin that finds data: spinning is back
    assert a.recv(10) == b"quick" and (a.spin, a.spin_misses) == (0, 0)
    a.spin_misses = sockets.SPIN_BACKOFF_LOG  # the backoff is capped at 64 reads
    late()
    assert a.recv(10) == b"late" and a.spin == -(1 << sockets.SPIN_BACKOFF_LOG) == -64


def test_a_lone_read_that_fills_its_buffer_lets_the_next_skip_its_spin(short_spin, monkeypatch):
    from polysock.net import sockets
    a, b, late = short_spin
    late()
    assert a.recv(10) == b"late" and left_blocking(a)    # now reads take the lone path
    a.spin = a.spin_misses = 0
    monkeypatch.setattr(sockets, "BULK_READ", 10)
    hub = real_hub()
    spins = []
    counted = hub.spin
    monkeypatch.setattr(hub, "spin", lambda fd, seconds: spins.append(fd) or counted(fd, seconds))
    buf = bytearray(10)
    b.send_all(b"0123456789")
    assert a.recv_into(buf) == 10 and bytes(buf) == b"0123456789"
    assert len(spins) == 1 and a.spin == -1              # full: the next read skips its spin
    b.send_all(b"abc")
    assert a.recv_into(buf) == 3 and bytes(buf[:3]) == b"abc"
    assert len(spins) == 1 and a.spin == 0               # skipped; not full: the next spins
    b.send_all(b"xyz")
    assert a.recv_into(buf) == 3 and len(spins) == 2
    a.spin = -5                                          # a backoff under way is not cut short
    b.send_all(b"0123456789")
    assert a.recv_into(buf) == 10 and a.spin == -4
    a.spin = 0
    small = bytearray(4)                                 # a message read to its size keeps the spin
    b.send_all(b"ping")
    assert a.recv_into(small) == 4 and a.spin == 0 and len(spins) == 3
    b.send_all(b"pong")
    assert a.recv_into(small) == 4 and len(spins) == 4


def test_a_lone_read_with_a_deadline_spins_before_it_polls(short_spin, monkeypatch):
    from polysock.net import sockets
    monkeypatch.setattr(sockets, "LONE_SLICE", 60.0)   # every deadline here is under a slice
    a, b, late = short_spin
    late()
    assert a.recv(10, timeout=5.0) == b"late"
    assert (a.spin, a.spin_misses) == (-2, 1) and not a.blocking   # spun, then polled
    b.send_all(b"now")
    a.spin = 0
    assert a.read_waited                      # polls first: the spin finds the data at once
    assert a.recv(10, timeout=5.0) == b"now" and a.spin_misses == 0
    t0 = time.monotonic()                     # the deadline still holds after a spin
    assert condition_of(lambda: a.recv(10, timeout=0.1)).kind == "timeout"
    assert 0.08 < time.monotonic() - t0 < 1.0 and a.spin_misses == 1


def test_a_lone_read_with_a_long_deadline_spins_then_blocks(short_spin):
    a, b, late = short_spin
    late()
    assert a.recv(10, timeout=5.0) == b"late"
    assert (a.spin, a.spin_misses) == (-2, 1) and left_blocking(a)   # spun, then blocked


@pytest.mark.parametrize("env, cpus, expect", [
    (None, 2, 100e-6), ("50", 4, 50e-6), ("0", 2, 0.0), ("-5", 2, 0.0),
    ("bad", 2, 100e-6), (None, 1, 0.0), ("80", 1, 80e-6)])
def test_the_spin_window_comes_from_the_environment_and_the_cpus(monkeypatch, env, cpus, expect):
    from polysock.net import sockets
    if env is None:
        monkeypatch.delenv("POLYSOCK_SPIN_US", raising=False)
    else:
        monkeypatch.setenv("POLYSOCK_SPIN_US", env)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)))
    assert sockets._lone_spin() == pytest.approx(expect)


def test_the_users_receive_timeout_replaces_the_slice(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    b.send_all(b"x")
    a.read_waited = 1
    assert a.recv(10) == b"x" and a.sliced
    a.set_option("SO_RCVTIMEO", 0.3)
    assert not a.sliced and abs(rcvtimeo(a) - 0.3) < 0.01 and abs(kernel_rcvtimeo(a) - 0.3) < 0.01
    a.set_option("SO_RCVTIMEO", 0)
    assert rcvtimeo(a) == 0.0 and a.timeouts["recv"] is None
    a.close()
    b.close()


def test_a_receive_timeout_keeps_the_poll_path_and_the_users_sockopt(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    a.set_option("SO_RCVTIMEO", 0.15)        # the kernel's value is the user's: never touched
    t0 = time.monotonic()
    assert condition_of(lambda: a.recv(10)).kind == "timeout"
    assert 0.1 < time.monotonic() - t0 < 1.0
    assert abs(rcvtimeo(a) - 0.15) < 0.01
    a.close()
    b.close()


def test_lone_wait_with_deadline_times_out(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    a.read_waited = 1
    t0 = time.monotonic()
    cond = condition_of(lambda: a.recv(10, timeout=0.15))
    assert cond.kind == "timeout" and 0.1 < time.monotonic() - t0 < 1.0
    a.close()
    b.close()


def test_lone_poll_cache_is_bounded_and_reused_by_new_fds(no_leaks):
    hub = real_hub().HUB
    from polysock.hub.hub import LONE_MAX
    keep = []
    for i in range(LONE_MAX + 50):
        a, b = CoreSocket.pair()
        b.send_all(b"z")
        a.read_waited = 1
        assert a.recv(1, timeout=5.0) == b"z"  # a deadline: the poll path
        assert a.fd * 2 in hub.lone
        assert len(hub.lone) <= LONE_MAX
        if i % 2:
            keep += [a, b]                   # new fd numbers, not only reused ones
        else:
            a.close()
            b.close()
    for s in keep:
        s.close()


def test_reused_fd_number_waits_on_the_new_socket(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    a.read_waited = 1
    b.send_all(b"1")
    assert a.recv(1, timeout=5.0) == b"1"
    fd = a.fd
    a.sock.close()                           # closed behind the hub's back: cache stays
    a.sock = None
    c, d = CoreSocket.pair()
    sock = c if c.fd == fd else d
    other = d if sock is c else c
    if sock.fd != fd:
        pytest.skip("fd number not reused")
    sock.read_waited = 1
    raw = socket.socket(fileno=os.dup(other.fd))
    later(0.05, lambda: raw.send(b"new"))
    assert sock.recv(10, timeout=5.0) == b"new"
    for s in (raw,):
        s.close()
    for s in (b, c, d):
        s.close()


def test_close_from_another_thread_still_wakes_a_poll_first_reader(no_leaks):
    real_hub()
    a, b = CoreSocket.pair()
    a.read_waited = POLL_FIRST
    waiter = spawn(lambda: condition_of(lambda: a.recv(10)))
    nap(0.05)
    a.close()
    assert waiter.join(2.0).kind == "closed"
    b.close()


def drain(b):
    """Read *b* to its end in another green thread; join() gives the bytes."""
    def read_all():
        data = bytearray()
        while True:
            more = b.recv(1 << 16)
            if not more:
                return bytes(data)
            data += more
    return spawn(read_all)


def test_send_all_whole_buffer_and_spans(no_leaks):
    a, b = CoreSocket.pair()
    assert a.send_all(bytearray(b"")) == 0
    assert a.send_all(bytearray(b"hello")) == 5
    assert a.send_all(b"0123456789", 2, 5) == 3
    assert a.send_all(memoryview(b"abcdef"), 4) == 2
    assert b.recv(100) == b"hello234ef"
    big = os.urandom(4 << 20)                # more than the buffers hold: the wait loop
    reader = drain(b)
    assert a.send_all(big) == len(big)
    a.close()
    assert reader.join(10.0) == big
    b.close()


class SendLog:
    """Stands in for a core socket's OS socket: logs each send's size and, from send
    number *fail_at* on, fails like a reset connection."""

    def __init__(self, real, fail_at=None):
        self.real, self.sizes, self.fail_at = real, [], fail_at

    def send(self, data, flags=0):
        if self.fail_at is not None and len(self.sizes) >= self.fail_at:
            raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")
        self.sizes.append(len(data))
        return self.real.send(data, flags)

    def __getattr__(self, name):
        return getattr(self.real, name)


def tcp_pair():
    lst = CoreSocket.open(AF_INET, STREAM)
    lst.bind(A.inet("127.0.0.1", 0))
    lst.listen(4)
    c = CoreSocket.open(AF_INET, STREAM)
    c.connect(lst.getsockname())
    a, _ = lst.accept()
    lst.close()
    return c, a


@pytest.mark.parametrize("how", ["whole", "span", "send"])
def test_large_tcp_sends_go_in_pieces(no_leaks, how):
    a, b = tcp_pair()
    assert a.send_piece == SEND_PIECE
    log = a.sock = SendLog(a.sock)
    data = os.urandom(5 * SEND_PIECE + 123)
    reader = drain(b)
    if how == "whole":
        assert a.send_all(data) == len(data)
        sent = data
    elif how == "span":
        assert a.send_all(bytearray(data), 7, len(data) - 5) == len(data) - 12
        sent = data[7:-5]
    else:
        n = a.send(data)                      # one call: at least a piece, at most all
        assert SEND_PIECE <= n <= len(data) and n == sum(log.sizes)
        sent = data[:n]
    assert log.sizes and max(log.sizes) <= SEND_PIECE and sum(log.sizes) >= len(sent)
    assert len(log.sizes) >= len(sent) // SEND_PIECE
    a.sock = log.real
    a.close()
    assert reader.join(10.0) == sent
    b.close()


def test_small_tcp_sends_and_unix_sends_stay_whole(no_leaks):
    a, b = tcp_pair()
    log = a.sock = SendLog(a.sock)
    assert a.send_all(b"x" * SEND_PIECE) == SEND_PIECE and a.send(b"y" * 100) == 100
    assert log.sizes == [SEND_PIECE, 100]
    oob = b"o" * (2 * SEND_PIECE)            # urgent data marks each call's last byte
    assert a.send_all(oob, 0, None, socket.MSG_OOB) == len(oob)
    assert a.send(oob, 0, None, socket.MSG_OOB) == len(oob)
    assert log.sizes[2:] == [len(oob), len(oob)]
    a.sock = log.real
    u, v = CoreSocket.pair()
    assert u.send_piece == 0
    ulog = u.sock = SendLog(u.sock)
    reader = drain(v)
    big = os.urandom(3 * SEND_PIECE)
    assert u.send_all(big) == len(big)
    assert ulog.sizes[0] > SEND_PIECE        # the first call was the whole buffer
    u.sock = ulog.real
    u.close()
    assert reader.join(10.0) == big
    for s in (a, b, v):
        s.close()


def test_a_piece_send_stops_without_waiting_when_the_kernel_is_full(no_leaks, monkeypatch):
    a, b = tcp_pair()
    waits = []
    monkeypatch.setattr(CoreSocket, "_call", lambda self, *args: waits.append(args))
    n = a.send(b"z" * (64 << 20))             # far more than the socket buffers hold
    assert 0 < n < 64 << 20 and n >= SEND_PIECE // 2
    assert waits == []
    a.close()
    b.close()


def test_an_error_after_some_pieces_went_shows_on_the_next_call(no_leaks):
    a, b = tcp_pair()
    log = a.sock = SendLog(a.sock, fail_at=2)
    assert a.send(b"q" * (4 * SEND_PIECE)) == 2 * SEND_PIECE   # what went is reported
    assert condition_of(lambda: a.send(b"r" * (4 * SEND_PIECE))).kind == "socket"
    assert condition_of(lambda: a.send_all(b"s" * (4 * SEND_PIECE))).kind == "socket"
    a.sock = log.real
    a.close()
    b.close()


def test_udp_peer_is_reused_and_answerable(no_leaks):
    srv = CoreSocket.open(AF_INET, DGRAM)
    srv.bind(A.inet("127.0.0.1", 0))
    c1 = CoreSocket.open(AF_INET, DGRAM)
    c2 = CoreSocket.open(AF_INET, DGRAM)
    c1.connect(srv.getsockname())
    c2.connect(srv.getsockname())
    c1.send_all(b"a")
    d1, p1 = srv.recvfrom(10)
    c1.send_all(b"b")
    d2, p2 = srv.recvfrom(10)
    assert (d1, d2) == (b"a", b"b") and p1 is p2 and p1 == c1.getsockname()
    assert srv.sendto(b"r1", p1) == 2 and c1.recv(10) == b"r1"
    c2.send_all(b"c")
    d3, p3 = srv.recvfrom(10)
    assert d3 == b"c" and p3 == c2.getsockname() and p3 != p1
    assert srv.sendto(b"r2", p3) == 2 and c2.recv(10) == b"r2"
    assert srv.sendto(b"r3", p1) == 2 and c1.recv(10) == b"r3"   # an older peer still works
    assert srv.sendto(b"xyz123", p1, 3) == 3 and c1.recv(10) == b"123"
    for s in (srv, c1, c2):
        s.close()


@pytest.mark.parametrize("port", ["8080", 8080, None])
@pytest.mark.parametrize("host,family,type", [
    ("127.0.0.1", AF_INET, STREAM), ("127.0.0.1", 0, DGRAM), ("::1", socket.AF_INET6, STREAM),
    ("::1", 0, DGRAM), ("0:0::1", 0, STREAM), ("::ffff:127.0.0.1", socket.AF_INET6, STREAM)])
def test_literal_addrinfo_is_what_getaddrinfo_says(host, family, type, port):
    # compared with the system's getaddrinfo itself: resolve.getaddrinfo now answers
    # literals through literal_addrinfo
    from polysock.net import resolve
    from polysock.net.address import from_python
    fast = resolve.literal_addrinfo(host, port, family, type, 0)
    system = socket.getaddrinfo(host, port, family, type, 0, 0)
    rows = [(int(f), int(t), p, c, from_python(int(f), a)) for f, t, p, c, a in system]
    assert fast is not None and [(r.family, r.type, r.proto, r.canonname, r.addr) for r in fast] == rows
    assert all(x.__class__ is int for r in fast for x in (r.family, r.type, r.proto))   # never enums
    via = resolve.getaddrinfo(host, port, family, type, 0, 0)
    assert [(r.family, r.type, r.proto, r.canonname, r.addr) for r in via] == rows


@pytest.mark.parametrize("host,port,family,type,proto", [
    ("localhost", "80", AF_INET, STREAM, 0), ("127.1", "80", AF_INET, STREAM, 0),
    ("127.0.0.1", "http", AF_INET, STREAM, 0), ("127.0.0.1", "80", socket.AF_INET6, STREAM, 0),
    ("::1", "80", AF_INET, STREAM, 0), ("fe80::1%lo", "80", 0, STREAM, 0),
    ("127.0.0.1", "80", AF_INET, 0, 0), ("127.0.0.1", "80", AF_INET, STREAM, 17), (None, "80", 0, STREAM, 0)])
def test_literal_addrinfo_declines_what_needs_the_resolver(host, port, family, type, proto):
    from polysock.net import resolve
    assert resolve.literal_addrinfo(host, port, family, type, proto) is None


def test_literal_addrinfo_range_checks_the_port_and_defers_to_other_resolvers():
    from polysock.net import resolve
    assert condition_of(lambda: resolve.literal_addrinfo("127.0.0.1", "70000", AF_INET, STREAM, 0)).kind == "range"
    old = resolve.set_resolver(object())
    try:
        assert resolve.literal_addrinfo("127.0.0.1", "80", AF_INET, STREAM, 0) is None
    finally:
        resolve.set_resolver(old)


def test_flags_on_the_send_path_are_plain_ints():
    # socket.MSG_DONTWAIT is an IntFlag: `flags | it` builds an enum member (~2 µs) on
    # every send. The core keeps plain ints.
    from polysock.net import resolve, sockets
    from polysock.net.constants import CONSTANTS
    assert type(sockets._DONTWAIT) is int and type(resolve._AI_NUMERICHOST) is int
    assert all(type(v) is int for v in CONSTANTS.values())


def test_flags_that_change_the_answer_still_reach_the_resolver():
    from polysock.net import resolve
    want = socket.getaddrinfo("127.0.0.1", 80, AF_INET, STREAM, 0, socket.AI_CANONNAME)
    got = resolve.getaddrinfo("127.0.0.1", 80, AF_INET, STREAM, 0, socket.AI_CANONNAME)
    assert [r.canonname for r in got] == [c for _, _, _, c, _ in want] == ["127.0.0.1"]


@pytest.mark.parametrize("name", ["recv", "recv_into", "recvfrom", "recvfrom_into", "send",
                                  "send_all", "sendto"])
def test_data_transfer_methods_make_no_closure_cells_per_call(name):
    # a lambda for the slow path made every call allocate a cell per captured local
    assert getattr(CoreSocket, name).__code__.co_cellvars == ()
