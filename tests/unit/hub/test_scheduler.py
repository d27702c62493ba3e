"""Green threads: creation, ordering, switch hooks, outcomes, termination, Ctrl-C, deadlock."""
from __future__ import annotations

import signal
import socket
import time
from typing import Any, List

import pytest

from polysock.hub import hub, scheduler, sync
from polysock.hub.scheduler import SCHED, GreenThread
from polysock.values.conditions import SchemeError, make_condition
from polysock.values.misc import UNSPECIFIED
from polysock.values.symbols import intern


def test_main_thread_exists_from_the_start() -> None:
    t = scheduler.current_thread()
    assert isinstance(t, GreenThread)
    assert t is SCHED.main
    assert t.name is intern("primordial")
    assert t.specific is UNSPECIFIED
    assert t.state == scheduler.RUNNABLE


def test_new_thread_runs_only_when_started() -> None:
    ran: List[int] = []
    t = GreenThread(lambda: ran.append(1), "x")
    assert t.state == scheduler.NEW
    hub.yield_()
    assert ran == []
    scheduler.start(t)
    assert t.state == scheduler.RUNNABLE
    sync.join(t)
    assert ran == [1] and t.state == scheduler.TERMINATED and t.end == "normal"
    with pytest.raises(RuntimeError):
        scheduler.start(t)


def test_threads_run_fifo_and_interleave_on_yield() -> None:
    log: List[str] = []

    def body(tag: str) -> None:
        for i in range(3):
            log.append(f"{tag}{i}")
            hub.yield_()

    ts = [scheduler.spawn(lambda tag=tag: body(tag)) for tag in "abc"]
    for t in ts:
        sync.join(t)
    assert log == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]


def test_current_thread_inside_thread() -> None:
    seen: List[Any] = []
    t = scheduler.spawn(lambda: seen.append(scheduler.current_thread()), "me")
    sync.join(t)
    assert seen == [t]
    assert scheduler.current_thread() is SCHED.main


def test_outcomes_are_stored() -> None:
    cond = make_condition("assertion", "f", "boom")

    def fail() -> None:
        raise SchemeError(cond)

    def bug() -> None:
        raise ZeroDivisionError("x")

    ok = scheduler.spawn(lambda: 42)
    bad = scheduler.spawn(fail)
    buggy = scheduler.spawn(bug)
    for t in (ok, bad, buggy):
        sync.join(t)
    assert (ok.end, ok.result) == ("normal", 42)
    assert bad.end == "exception" and isinstance(bad.exception, SchemeError)
    assert bad.exception.payload is cond
    assert buggy.end == "exception" and isinstance(buggy.exception, ZeroDivisionError)


def test_switch_hooks_see_every_change_of_thread() -> None:
    calls: List[Any] = []

    def hook(old: Any, new: Any) -> None:
        calls.append((old, new))

    scheduler.add_switch_hook(hook)
    try:
        a = scheduler.spawn(hub.yield_, "a")
        b = scheduler.spawn(hub.yield_, "b")
        sync.join(a)
        sync.join(b)
    finally:
        SCHED.hooks.remove(hook)
    main = SCHED.main
    # main -> a -> b -> a (ends) -> b (ends) -> main; no hook when the same thread resumes
    assert calls[0] == (main, a)
    assert calls[-1][1] is main
    for (o1, n1), (o2, n2) in zip(calls, calls[1:]):
        assert n1 is o2 and o1 is not n1


def test_dyn_slot_is_saved_and_restored_by_a_hook() -> None:
    state = {"cur": "main-state"}

    def hook(old: Any, new: Any) -> None:
        old.dyn = state["cur"]
        state["cur"] = new.dyn

    saved = SCHED.hooks[:]
    SCHED.hooks[:] = [hook]          # alone: runtime.dynamic's hook would install these strings
    seen: List[str] = []
    try:
        t = GreenThread(lambda: (seen.append(state["cur"]), hub.yield_(), seen.append(state["cur"])), "t")
        t.dyn = "t-state"
        scheduler.start(t)
        hub.yield_()
        seen.append(state["cur"])
        sync.join(t)
        seen.append(state["cur"])
    finally:
        SCHED.hooks[:] = saved
    assert seen == ["t-state", "main-state", "t-state", "main-state"]


def test_terminate_blocked_thread_runs_its_finally_and_wakes_joiners() -> None:
    a, b = socket.socketpair()
    a.setblocking(False)
    cleaned: List[bool] = []

    def body() -> None:
        try:
            hub.wait_readable(a.fileno())
        finally:
            cleaned.append(True)

    try:
        t = scheduler.spawn(body)
        joiner = scheduler.spawn(lambda: sync.join(t))
        hub.yield_()
        assert hub.registrations() == 1
        scheduler.terminate(t)
        assert t.state == scheduler.TERMINATED and t.end == "terminated"
        assert cleaned == [True]
        assert hub.registrations() == 0
        sync.join(joiner)
        assert joiner.end == "normal"
    finally:
        a.close()
        b.close()


def test_terminate_new_and_runnable_and_self() -> None:
    ran: List[int] = []
    new = GreenThread(lambda: ran.append(1))
    scheduler.terminate(new)
    assert new.end == "terminated"
    runnable = scheduler.spawn(lambda: ran.append(2))
    scheduler.terminate(runnable)
    assert runnable.end == "terminated"
    after: List[int] = []

    def suicide() -> None:
        scheduler.terminate(scheduler.current_thread())
        after.append(1)

    s = scheduler.spawn(suicide)
    sync.join(s)
    assert s.end == "terminated" and ran == [] and after == []


def test_keyboard_interrupt_in_a_thread_reaches_main() -> None:
    def body() -> None:
        raise KeyboardInterrupt

    t = scheduler.spawn(body)
    with pytest.raises(KeyboardInterrupt):
        sync.join(t, time.monotonic() + 5)
    assert t.state == scheduler.TERMINATED


def _alarm_raises(delay: float) -> Any:
    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, delay)
    return old


def test_ctrl_c_while_the_hub_blocks_stops_main_not_the_hub() -> None:
    other = scheduler.spawn(lambda: hub.sleep(0.25))
    old = _alarm_raises(0.05)
    t0 = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            hub.sleep(5)         # the hub greenlet is in epoll_wait when SIGALRM comes
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert time.monotonic() - t0 < 1.0
    # the hub survived: other threads and timers still work
    sync.join(other)
    assert other.end == "normal"
    hub.sleep(0.01)


def test_ctrl_c_during_lone_fast_path_wait() -> None:
    a, b = socket.socketpair()
    a.setblocking(False)
    old = _alarm_raises(0.05)
    try:
        with pytest.raises(KeyboardInterrupt):
            hub.wait_readable(a.fileno())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        a.close()
        b.close()


def test_deadlock_is_reported_to_main() -> None:
    m = sync.Mutex("m")
    m.lock(SCHED.main)
    t = scheduler.spawn(lambda: m.lock(scheduler.current_thread()))
    with pytest.raises(scheduler.Deadlock) as info:
        sync.join(t)
    assert info.value.payload.kind == "thread"
    assert "deadlock" in info.value.payload.message
    m.unlock()          # now t gets the mutex and ends
    sync.join(t)
    assert t.end == "normal"
    assert m.state() == "abandoned"     # t ended while holding it


def test_self_join_in_main_is_a_deadlock_not_a_hang() -> None:
    with pytest.raises(scheduler.Deadlock):
        sync.join(SCHED.main)


def test_no_deadlock_while_a_timer_is_pending() -> None:
    m = sync.Mutex()
    m.lock(SCHED.main)

    def later() -> None:
        hub.sleep(0.05)
        m.unlock()

    scheduler.spawn(later)
    assert m.lock(SCHED.main, time.monotonic() + 2) is True
    m.unlock()


def test_ten_thousand_threads_created_and_joined() -> None:
    n = 10_000
    total = [0]

    def body(i: int) -> int:
        total[0] += i
        return i

    t0 = time.monotonic()
    ts = [scheduler.spawn(lambda i=i: body(i)) for i in range(n)]
    for t in ts:
        sync.join(t)
    assert total[0] == n * (n - 1) // 2
    assert [t.result for t in ts[:3]] == [0, 1, 2] and ts[-1].result == n - 1
    assert time.monotonic() - t0 < 10


def test_ten_thousand_sleeping_threads() -> None:
    woke = [0]

    def body(i: int) -> None:
        hub.sleep(0.001 * (i % 50))
        woke[0] += 1

    ts = [scheduler.spawn(lambda i=i: body(i)) for i in range(10_000)]
    for t in ts:
        sync.join(t)
    assert woke[0] == 10_000
    assert hub.HUB.live_timers == 0


_CHILD = r"""
import socket, sys
from polysock.hub import hub, scheduler, sync
a, b = socket.socketpair()
a.setblocking(False)
server = scheduler.spawn(lambda: hub.wait_readable(a.fileno()))
ticker = scheduler.spawn(lambda: [hub.sleep(0.01) for _ in range(100000)])
print("ready", flush=True)
try:
    sync.join(server)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(3)
"""


def test_sigint_stops_a_program_whose_main_thread_is_joining() -> None:
    import subprocess
    import sys
    p = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "ready"
        time.sleep(0.05)
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate(timeout=5)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert out.strip() == "interrupted" and p.returncode == 3
