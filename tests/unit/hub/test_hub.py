"""fd waits, timeouts, notify_closing, Busy, workers, the fast path and registration hygiene."""
from __future__ import annotations

import os
import socket
import tempfile
import time
from typing import Any, Iterator, List, Tuple

import pytest

from polysock.hub import clock, hub, scheduler, sync
from tests.fakes.helpers import within


def pair() -> Tuple[socket.socket, socket.socket]:
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    return a, b


@pytest.fixture
def sp() -> Iterator[Tuple[socket.socket, socket.socket]]:
    a, b = pair()
    yield a, b
    for s in (a, b):
        hub.notify_closing(s.fileno())
        s.close()


def recv_some(s: socket.socket, deadline: Any = None) -> bytes:
    while True:
        try:
            return s.recv(65536)
        except BlockingIOError:
            hub.wait_readable(s.fileno(), deadline)


def send_all(s: socket.socket, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[s.send(view):]
        except BlockingIOError:
            hub.wait_writable(s.fileno())


def test_many_threads_ping_pong_through_socketpairs() -> None:
    pairs = [pair() for _ in range(20)]
    rounds = 50
    got: List[int] = []

    def pinger(s: socket.socket) -> None:
        for i in range(rounds):
            send_all(s, b"p")
            assert recv_some(s) == b"q"

    def ponger(s: socket.socket) -> None:
        n = 0
        while n < rounds:
            data = recv_some(s)
            assert data == b"p"
            n += 1
            send_all(s, b"q")
        got.append(n)

    ts = []
    for a, b in pairs:
        ts.append(scheduler.spawn(lambda b=b: ponger(b)))
        ts.append(scheduler.spawn(lambda a=a: pinger(a)))
    for t in ts:
        sync.join(t)
        assert t.end == "normal", t.exception
    assert got == [rounds] * 20
    assert hub.registrations() == 0
    for a, b in pairs:
        a.close()
        b.close()


def test_bulk_transfer_with_writer_blocking() -> None:
    a, b = pair()
    payload = os.urandom(4 * 1024 * 1024)
    received = bytearray()

    def reader() -> None:
        while len(received) < len(payload):
            received.extend(recv_some(b))

    r = scheduler.spawn(reader)
    w = scheduler.spawn(lambda: send_all(a, payload))
    sync.join(w)
    sync.join(r)
    assert bytes(received) == payload
    a.close()
    b.close()


def test_timeout_fires_on_time_while_others_run(sp: Tuple[socket.socket, socket.socket]) -> None:
    a, _ = sp
    ticks = [0]
    result: List[Any] = []

    def waiter() -> None:
        t0 = time.monotonic()
        try:
            hub.wait_readable(a.fileno(), clock.monotonic() + 0.2)
        except hub.Timeout:
            result.append(time.monotonic() - t0)

    def ticker() -> None:
        end = time.monotonic() + 1.0     # runs past the waiter's latest on-time end
        while time.monotonic() < end:
            ticks[0] += 1
            hub.sleep(0.005)

    w = scheduler.spawn(waiter)
    k = scheduler.spawn(ticker)
    sync.join(w)
    sync.join(k)
    assert len(result) == 1 and within(result[0], 0.2), result
    assert ticks[0] >= 20


def test_timeouts_fire_in_deadline_order() -> None:
    socks = [pair() for _ in range(4)]
    order: List[int] = []
    delays = [0.15, 0.05, 0.2, 0.1]

    def waiter(i: int) -> None:
        try:
            hub.wait_readable(socks[i][0].fileno(), clock.monotonic() + delays[i])
        except hub.Timeout:
            order.append(i)

    t0 = time.monotonic()
    ts = [scheduler.spawn(lambda i=i: waiter(i)) for i in range(4)]
    for t in ts:
        sync.join(t)
    assert order == [1, 3, 0, 2]
    assert within(time.monotonic() - t0, 0.2)
    for a, b in socks:
        a.close()
        b.close()


def test_ready_fd_beats_its_deadline(sp: Tuple[socket.socket, socket.socket]) -> None:
    a, b = sp
    b.send(b"x")
    scheduler.spawn(hub.yield_)     # not alone: exercise the epoll path
    hub.wait_readable(a.fileno(), clock.monotonic() - 1.0)   # already ready: no Timeout
    assert a.recv(1) == b"x"


def test_notify_closing_wakes_waiter_with_closed() -> None:
    a, b = pair()
    out: List[Any] = []

    def waiter() -> None:
        t0 = time.monotonic()
        try:
            hub.wait_readable(a.fileno())
        except hub.Closed:
            out.append(time.monotonic() - t0)

    t = scheduler.spawn(waiter)
    hub.sleep(0.02)
    assert hub.registrations() == 1
    t1 = time.monotonic()
    hub.notify_closing(a.fileno())
    a.close()
    sync.join(t)
    assert len(out) == 1 and time.monotonic() - t1 < 1.0   # woken by the close, not stuck
    assert hub.registrations() == 0
    b.close()


def test_notify_closing_wakes_both_directions_and_ignores_unknown_fds() -> None:
    a, b = pair()
    # fill a's send buffer so a writer waits too
    try:
        while True:
            a.send(b"x" * 65536)
    except BlockingIOError:
        pass
    errs: List[str] = []

    def wait(fn: Any) -> None:
        try:
            fn(a.fileno())
        except hub.Closed:
            errs.append(fn.__name__)

    r = scheduler.spawn(lambda: wait(hub.wait_readable))
    w = scheduler.spawn(lambda: wait(hub.wait_writable))
    hub.yield_()
    assert hub.registrations() == 1
    hub.notify_closing(a.fileno())
    hub.notify_closing(a.fileno())      # twice is harmless
    hub.notify_closing(987654)          # never registered
    sync.join(r)
    sync.join(w)
    assert sorted(errs) == ["wait_readable", "wait_writable"]
    a.close()
    b.close()


def test_second_waiter_same_direction_is_busy(sp: Tuple[socket.socket, socket.socket]) -> None:
    a, b = sp
    first = scheduler.spawn(lambda: hub.wait_readable(a.fileno()))
    hub.yield_()
    with pytest.raises(hub.Busy):
        hub.wait_readable(a.fileno())
    # the other direction is free: a is writable at once
    hub.wait_writable(a.fileno(), clock.monotonic() + 1)
    assert hub.registrations() == 1
    b.send(b"!")
    sync.join(first)
    assert first.end == "normal"
    assert hub.registrations() == 0


def test_reader_and_writer_on_one_fd_share_a_registration(sp: Tuple[socket.socket, socket.socket]) -> None:
    a, b = sp
    try:
        while True:
            a.send(b"y" * 65536)
    except BlockingIOError:
        pass
    done: List[str] = []
    r = scheduler.spawn(lambda: (hub.wait_readable(a.fileno()), done.append("r")))
    w = scheduler.spawn(lambda: (hub.wait_writable(a.fileno()), done.append("w")))
    hub.yield_()
    assert hub.registrations() == 1
    b.send(b"z")
    sync.join(r)
    assert done == ["r"] and hub.registrations() == 1   # writer still registered
    while True:                                          # drain so a becomes writable
        try:
            if not b.recv(1 << 20):
                break
        except BlockingIOError:
            break
    sync.join(w)
    assert done == ["r", "w"]


def test_fd_reuse_after_close_is_not_confused() -> None:
    a, b = pair()
    fd = a.fileno()
    t = scheduler.spawn(lambda: hub.wait_readable(fd))
    hub.yield_()
    hub.notify_closing(fd)
    a.close()
    sync.join(t)
    c, d = pair()                    # likely reuses fd
    d.send(b"k")
    scheduler.spawn(hub.yield_)
    hub.wait_readable(c.fileno(), clock.monotonic() + 1)
    assert c.recv(1) == b"k"
    for s in (b, c, d):
        s.close()


def test_lone_thread_fast_path_waits_and_times_out(sp: Tuple[socket.socket, socket.socket]) -> None:
    a, b = sp
    t0 = time.monotonic()
    with pytest.raises(hub.Timeout):
        hub.wait_readable(a.fileno(), clock.monotonic() + 0.1)
    assert within(time.monotonic() - t0, 0.1)
    b.send(b"a")
    hub.wait_readable(a.fileno(), clock.monotonic() + 1)
    assert a.recv(1) == b"a"
    hub.wait_writable(a.fileno())
    assert hub.registrations() == 0


def test_spin_finds_data_there_or_arriving_and_gives_up_on_time(
        sp: Tuple[socket.socket, socket.socket]) -> None:
    import threading
    a, b = sp
    t0 = time.perf_counter()
    assert hub.spin(a.fileno(), 0.02) is False          # nothing comes: about the window
    assert 0.02 <= time.perf_counter() - t0 < 0.5
    b.send(b"x")
    assert hub.spin(a.fileno(), 0.0) is True            # already there: the first poll
    assert a.recv(10) == b"x"
    threading.Timer(0.05, lambda: os.write(b.fileno(), b"y")).start()
    t0 = time.perf_counter()
    assert hub.spin(a.fileno(), 5.0) is True            # arrives mid-spin: seen at once
    assert 0.04 < time.perf_counter() - t0 < 1.0
    assert hub.registrations() == 0                     # the spin registers nothing


def test_regular_file_is_always_ready() -> None:
    with tempfile.TemporaryFile() as f:
        hub.wait_readable(f.fileno(), clock.monotonic() + 1)       # fast path
        a, b = pair()
        t = scheduler.spawn(lambda: hub.wait_readable(a.fileno(), clock.monotonic() + 2))
        hub.yield_()                                                # now epoll is in use
        hub.wait_writable(f.fileno(), clock.monotonic() + 1)
        b.send(b"1")
        sync.join(t)
        a.close()
        b.close()


def test_bad_fd_raises_os_error() -> None:
    a, b = pair()
    keep = scheduler.spawn(lambda: hub.wait_readable(a.fileno()))
    hub.yield_()
    r, w = os.pipe()
    os.close(r)
    with pytest.raises(OSError):
        hub.wait_readable(r)
    b.send(b"x")
    sync.join(keep)
    os.close(w)
    a.close()
    b.close()


def test_sleep_accuracy_and_sleep_until_past() -> None:
    t0 = time.monotonic()
    hub.sleep(0.1)
    assert within(time.monotonic() - t0, 0.1)
    t0 = time.monotonic()
    hub.sleep_until(clock.monotonic() - 5)
    hub.sleep(0)
    assert time.monotonic() - t0 < 0.5


def test_yield_lets_io_threads_run(sp: Tuple[socket.socket, socket.socket]) -> None:
    a, b = sp
    flag: List[bytes] = []
    scheduler.spawn(lambda: flag.append(recv_some(a)))
    hub.yield_()
    b.send(b"go")
    for _ in range(10_000):        # busy-waiting with yields must not starve the reader
        if flag:
            break
        hub.yield_()
    assert flag == [b"go"]


def test_run_in_worker_does_not_stall_green_threads() -> None:
    ticks = [0]

    def ticker() -> None:
        for _ in range(30):
            ticks[0] += 1
            hub.sleep(0.005)

    k = scheduler.spawn(ticker)
    t0 = time.monotonic()
    r = hub.run_in_worker(lambda x: (time.sleep(0.25), x * 2)[1], 21)
    assert r == 42
    assert ticks[0] >= 5           # the ticker kept going while the worker slept (a stall: 0)
    assert within(time.monotonic() - t0, 0.25)
    sync.join(k)


def test_run_in_worker_reraises_and_times_out() -> None:
    def boom() -> None:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        hub.run_in_worker(boom)
    t0 = time.monotonic()
    with pytest.raises(hub.Timeout):
        hub.run_in_worker(time.sleep, 1.0, deadline=clock.monotonic() + 0.05)
    assert within(time.monotonic() - t0, 0.05)
    assert not hub.HUB.jobs
    hub.sleep(1.0)                  # let the abandoned job finish


def test_run_in_worker_from_many_threads() -> None:
    results: List[int] = []

    def job(i: int) -> None:
        results.append(hub.run_in_worker(lambda: (time.sleep(0.01), i)[1]))

    ts = [scheduler.spawn(lambda i=i: job(i)) for i in range(40)]
    for t in ts:
        sync.join(t)
    assert sorted(results) == list(range(40))


def test_park_with_deadline_and_explicit_wake() -> None:
    me = scheduler.current_thread()
    scheduler.spawn(lambda: scheduler.wake(me))
    hub.park(clock.monotonic() + 2)         # woken by the other thread, no Timeout
    with pytest.raises(hub.Timeout):
        hub.park(clock.monotonic() + 0.02)
    assert hub.HUB.live_timers == 0
