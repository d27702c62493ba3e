"""SRFI-18 mutex, condition variable and join semantics, timeouts included."""
from __future__ import annotations

import time
from typing import Any, List

import pytest

from polysock.hub import clock, hub, scheduler, sync
from polysock.hub.scheduler import SCHED
from tests.fakes.helpers import within


def soon(s: float) -> float:
    return clock.monotonic() + s


def test_mutex_states() -> None:
    m = sync.Mutex("m")
    assert m.state() == "not-abandoned"
    assert m.lock(SCHED.main) is True
    assert m.state() is SCHED.main
    m.unlock()
    assert m.state() == "not-abandoned"
    assert m.lock(None) is True
    assert m.state() == "not-owned"
    m.unlock()
    m.unlock()                       # unlocking an unlocked mutex is allowed
    assert m.state() == "not-abandoned"
    assert not SCHED.main.owned


def test_any_thread_may_unlock_a_not_owned_mutex() -> None:
    m = sync.Mutex()
    m.lock(None)
    t = scheduler.spawn(m.unlock)
    sync.join(t)
    assert m.state() == "not-abandoned"


def test_mutex_hands_over_in_fifo_order() -> None:
    m = sync.Mutex()
    m.lock(SCHED.main)
    order: List[str] = []

    def worker(tag: str) -> None:
        m.lock(scheduler.current_thread())
        order.append(tag)
        hub.yield_()
        m.unlock()

    ts = [scheduler.spawn(lambda tag=tag: worker(tag)) for tag in "abcd"]
    hub.yield_()
    assert len(m.waiters) == 4
    m.unlock()
    m.lock(SCHED.main)               # queues behind a..d: no barging
    assert order == ["a", "b", "c", "d"]
    m.unlock()
    for t in ts:
        sync.join(t)


def test_lock_timeout_returns_false_and_leaves_queue() -> None:
    m = sync.Mutex()
    holder_done: List[bool] = []

    def holder() -> None:
        m.lock(scheduler.current_thread())
        hub.sleep(1.0)                  # longer than a late timeout may take
        m.unlock()
        holder_done.append(True)

    h = scheduler.spawn(holder)
    hub.yield_()
    t0 = time.monotonic()
    assert m.lock(SCHED.main, soon(0.1)) is False
    assert within(time.monotonic() - t0, 0.1)
    assert not m.waiters and m.state() is h
    assert m.lock(SCHED.main, soon(3.0)) is True
    assert holder_done == [True]
    m.unlock()
    sync.join(h)


def test_lock_with_past_deadline_still_takes_a_free_mutex() -> None:
    m = sync.Mutex()
    assert m.lock(SCHED.main, soon(-1)) is True
    m.unlock()


def test_abandoned_mutex() -> None:
    m = sync.Mutex()
    t = scheduler.spawn(lambda: m.lock(scheduler.current_thread()))
    sync.join(t)
    assert m.state() == "abandoned"
    with pytest.raises(sync.AbandonedMutex):
        m.lock(SCHED.main)
    assert m.state() is SCHED.main   # acquired despite the exception
    m.unlock()
    assert m.state() == "not-abandoned"


def test_waiter_gets_abandoned_when_owner_dies() -> None:
    m = sync.Mutex()
    got: List[str] = []

    def owner() -> None:
        m.lock(scheduler.current_thread())
        hub.sleep(0.02)

    def waiter() -> None:
        try:
            m.lock(scheduler.current_thread())
        except sync.AbandonedMutex:
            got.append("abandoned")
        m.unlock()

    o = scheduler.spawn(owner)
    w = scheduler.spawn(waiter)
    sync.join(o)
    sync.join(w)
    assert got == ["abandoned"]
    assert m.state() == "not-abandoned"


def test_lock_for_a_terminated_thread_leaves_it_abandoned() -> None:
    dead = scheduler.spawn(lambda: None)
    sync.join(dead)
    m = sync.Mutex()
    m.lock(dead)
    assert m.state() == "abandoned"


def test_terminated_waiter_is_skipped_on_handover() -> None:
    m = sync.Mutex()
    m.lock(SCHED.main)
    victim = scheduler.spawn(lambda: m.lock(scheduler.current_thread()))
    got: List[int] = []
    other = scheduler.spawn(lambda: (m.lock(scheduler.current_thread()), got.append(1), m.unlock()))
    hub.yield_()
    scheduler.terminate(victim)
    assert len(m.waiters) == 1
    m.unlock()
    sync.join(other)
    assert got == [1] and m.state() == "not-abandoned"


def test_condition_variable_signal_and_broadcast() -> None:
    m = sync.Mutex()
    cv = sync.ConditionVariable("cv")
    items: List[int] = []
    consumed: List[int] = []

    def consumer() -> None:
        while True:
            m.lock(scheduler.current_thread())
            if items:
                x = items.pop(0)
                m.unlock()
                if x < 0:
                    return
                consumed.append(x)
            else:
                m.unlock(cv)        # atomically unlock and wait

    cs = [scheduler.spawn(consumer) for _ in range(3)]
    hub.yield_()
    assert len(cv.waiters) == 3
    for i in range(6):
        m.lock(SCHED.main)
        items.append(i)
        m.unlock()
        cv.signal()
        hub.yield_()
    m.lock(SCHED.main)
    items.extend([-1, -1, -1])
    m.unlock()
    cv.broadcast()
    for c in cs:
        sync.join(c)
    assert sorted(consumed) == list(range(6))
    assert not cv.waiters


def test_signal_wakes_exactly_one() -> None:
    m = sync.Mutex()
    cv = sync.ConditionVariable()
    woke: List[int] = []

    def w(i: int) -> None:
        m.lock(scheduler.current_thread())
        if m.unlock(cv, soon(0.1)):
            woke.append(i)

    ts = [scheduler.spawn(lambda i=i: w(i)) for i in range(3)]
    hub.yield_()
    cv.signal()
    for t in ts:
        sync.join(t)
    assert woke == [0]              # the other two timed out
    cv.signal()                     # nobody waits: a no-op


def test_unlock_wait_timeout() -> None:
    m = sync.Mutex()
    cv = sync.ConditionVariable()
    m.lock(SCHED.main)
    t0 = time.monotonic()
    assert m.unlock(cv, soon(0.1)) is False
    assert within(time.monotonic() - t0, 0.1)
    assert m.state() == "not-abandoned" and not cv.waiters


def test_join_waits_and_times_out() -> None:
    t = scheduler.spawn(lambda: (hub.sleep(1.0), "done")[1])
    t0 = time.monotonic()
    with pytest.raises(hub.Timeout):
        sync.join(t, soon(0.05))
    assert within(time.monotonic() - t0, 0.05)
    assert not t.joiners
    sync.join(t, soon(2))
    assert t.result == "done"
    sync.join(t, soon(-1))          # already terminated: returns at once


def test_join_a_thread_before_it_starts() -> None:
    t = scheduler.GreenThread(lambda: 5)
    j = scheduler.spawn(lambda: sync.join(t))
    hub.yield_()
    scheduler.start(t)
    sync.join(j)
    assert t.result == 5 and j.end == "normal"


def test_many_joiners() -> None:
    t = scheduler.spawn(lambda: hub.sleep(0.02))
    js = [scheduler.spawn(lambda: sync.join(t)) for _ in range(50)]
    for j in js:
        sync.join(j)
        assert j.end == "normal"
