"""SRFI 18 through the registered (srfi 18) wrappers: threads, mutexes, condition
variables, time objects, thread conditions and dynamic-state inheritance."""
from __future__ import annotations

import time
from typing import Any, Iterator, List

import pytest

import polysock.runtime.srfi18 as srfi18
from polysock.hub import hub, scheduler
from polysock.runtime import dynamic
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import Condition, SchemeError, SchemeExit, make_condition
from polysock.values.misc import UNSPECIFIED, MultipleValues
from polysock.values.symbols import Symbol, intern

S = LIBRARIES["(srfi 18)"]

NAMES = """current-thread thread? make-thread thread-name thread-specific thread-specific-set!
thread-start! thread-yield! thread-sleep! thread-terminate! thread-join! mutex? make-mutex
mutex-name mutex-specific mutex-specific-set! mutex-state mutex-lock! mutex-unlock!
condition-variable? make-condition-variable condition-variable-name
condition-variable-specific condition-variable-specific-set! condition-variable-signal!
condition-variable-broadcast! current-time time? time->seconds seconds->time
join-timeout-exception? abandoned-mutex-exception? terminated-thread-exception?
uncaught-exception? uncaught-exception-reason""".split()


@pytest.fixture(autouse=True)
def clean() -> Iterator[None]:
    yield
    for _ in range(1000):
        if not scheduler.SCHED.runq:
            break
        hub.yield_()
    assert hub.registrations() == 0
    assert S["current-thread"]() is scheduler.SCHED.main


def raised(fn: Any, *args: Any) -> Any:
    with pytest.raises(SchemeError) as ei:
        fn(*args)
    return ei.value.payload


def spawn(thunk: Any, *name: Any) -> Any:
    return S["thread-start!"](S["make-thread"](thunk, *name))


def test_every_name_is_exported_in_both_libraries() -> None:
    threads = LIBRARIES["(polysock threads)"]
    for n in NAMES:
        assert n in S, n
        assert threads[n] is S[n]


def test_current_thread_is_the_primordial_thread() -> None:
    t = S["current-thread"]()
    assert S["thread?"](t) and not S["thread?"](5)
    assert S["thread-name"](t) is intern("primordial")
    assert S["thread-specific"](t) is UNSPECIFIED


def test_make_thread_names_and_specific() -> None:
    t = S["make-thread"](lambda: 1)
    assert isinstance(S["thread-name"](t), Symbol)
    named = S["make-thread"](lambda: 1, intern("worker"))
    assert S["thread-name"](named) is intern("worker")
    assert S["thread-specific"](t) is UNSPECIFIED
    S["thread-specific-set!"](t, 42)
    assert S["thread-specific"](t) == 42
    assert raised(S["thread-name"], 5).kind == "wrong-type"
    assert raised(S["make-thread"], 5).kind == "wrong-type"


def test_start_and_join_return_the_result() -> None:
    t = S["make-thread"](lambda: intern("done"))
    assert S["thread-start!"](t) is t
    assert S["thread-join!"](t) is intern("done")
    assert S["thread-join!"](t) is intern("done")      # joining again is fine
    mv = MultipleValues((1, 2))
    assert S["thread-join!"](spawn(lambda: mv)) is mv
    c = raised(S["thread-start!"], t)
    assert c.kind == "thread" and c.who == "thread-start!"


def test_yield_interleaves_threads() -> None:
    log: List[str] = []

    def body(tag: str) -> Any:
        for _ in range(2):
            log.append(tag)
            S["thread-yield!"]()
        return UNSPECIFIED

    ts = [spawn(lambda tag=tag: body(tag)) for tag in "ab"]
    for t in ts:
        S["thread-join!"](t)
    assert log == ["a", "b", "a", "b"]


def test_join_timeout_value_and_exception() -> None:
    gate = S["make-mutex"]()
    S["mutex-lock!"](gate)                    # the thread ends only once the joins timed out
    t = spawn(lambda: (S["mutex-lock!"](gate), S["mutex-unlock!"](gate), 7)[2])
    assert S["thread-join!"](t, 0.02, intern("late")) is intern("late")
    c = raised(S["thread-join!"], t, 0.02)
    S["mutex-unlock!"](gate)
    assert isinstance(c, Condition) and c.kind == "join-timeout"
    assert S["join-timeout-exception?"](c) and not S["uncaught-exception?"](c)
    assert S["thread-join!"](t, False) == 7
    deadline = S["seconds->time"](time.time() + 1)
    assert S["thread-join!"](t, deadline) == 7


def test_terminated_thread_exception() -> None:
    t = spawn(lambda: S["thread-sleep!"](10))
    S["thread-yield!"]()
    S["thread-terminate!"](t)
    c = raised(S["thread-join!"], t)
    assert S["terminated-thread-exception?"](c) and c.kind == "terminated-thread"
    new = S["make-thread"](lambda: 1)
    S["thread-terminate!"](new)
    assert S["terminated-thread-exception?"](raised(S["thread-join!"], new))


def test_uncaught_exception_carries_the_reason() -> None:
    def fail() -> Any:
        raise SchemeError(intern("boom"))

    t = spawn(fail)
    c = raised(S["thread-join!"], t)
    assert S["uncaught-exception?"](c)
    assert S["uncaught-exception-reason"](c) is intern("boom")
    assert raised(S["uncaught-exception-reason"], intern("boom")).kind == "wrong-type"
    cond = make_condition("assertion", "f", "bad")

    def fail2() -> Any:
        raise SchemeError(cond)

    assert S["uncaught-exception-reason"](raised(S["thread-join!"], spawn(fail2))) is cond


def test_python_bug_in_a_thread_becomes_an_internal_condition() -> None:
    t = spawn(lambda: 1 // 0)
    reason = S["uncaught-exception-reason"](raised(S["thread-join!"], t))
    assert isinstance(reason, Condition) and reason.kind == "internal"
    assert "ZeroDivisionError" in reason.message


def test_thread_sleep_with_seconds_and_time_objects() -> None:
    t0 = time.monotonic()
    S["thread-sleep!"](0.05)
    S["thread-sleep!"](S["seconds->time"](time.time() + 0.05))
    S["thread-sleep!"](-1)
    S["thread-sleep!"](S["seconds->time"](0))
    assert 0.09 <= time.monotonic() - t0 < 1.0     # not early; the bound only catches a hang
    assert raised(S["thread-sleep!"], False).kind == "wrong-type"
    assert raised(S["thread-sleep!"], intern("x")).kind == "wrong-type"


def test_time_objects() -> None:
    now = S["current-time"]()
    assert S["time?"](now) and not S["time?"](1.0)
    assert abs(S["time->seconds"](now) - time.time()) < 1
    t = S["seconds->time"](12)
    assert S["time->seconds"](t) == 12.0
    assert raised(S["time->seconds"], 12).kind == "wrong-type"


def test_mutex_api() -> None:
    m = S["make-mutex"](intern("m"))
    assert S["mutex?"](m) and not S["mutex?"](1)
    assert S["mutex-name"](m) is intern("m")
    assert isinstance(S["mutex-name"](S["make-mutex"]()), Symbol)
    assert S["mutex-specific"](m) is UNSPECIFIED
    S["mutex-specific-set!"](m, "x")
    assert S["mutex-specific"](m) == "x"
    assert S["mutex-state"](m) is intern("not-abandoned")
    assert S["mutex-lock!"](m) is True
    assert S["mutex-state"](m) is S["current-thread"]()
    assert S["mutex-unlock!"](m) is True
    assert S["mutex-lock!"](m, False, False) is True
    assert S["mutex-state"](m) is intern("not-owned")
    S["mutex-unlock!"](m)
    other = S["make-thread"](lambda: 1)
    S["mutex-lock!"](m, False, other)
    assert S["mutex-state"](m) is other
    t0 = time.monotonic()
    assert S["mutex-lock!"](m, 0.05) is False
    assert 0.04 < time.monotonic() - t0 < 1.0      # the owner never unlocks: a hang fails
    S["mutex-unlock!"](m)
    assert raised(S["mutex-lock!"], m, intern("soon")).kind == "wrong-type"


def test_abandoned_mutex_exception() -> None:
    m = S["make-mutex"]()
    S["thread-join!"](spawn(lambda: S["mutex-lock!"](m)))
    assert S["mutex-state"](m) is intern("abandoned")
    c = raised(S["mutex-lock!"], m)
    assert S["abandoned-mutex-exception?"](c)
    assert S["mutex-state"](m) is S["current-thread"]()
    S["mutex-unlock!"](m)


def test_condition_variables_producer_consumer() -> None:
    m = S["make-mutex"]()
    cv = S["make-condition-variable"](intern("cv"))
    assert S["condition-variable?"](cv) and not S["condition-variable?"](m)
    assert S["condition-variable-name"](cv) is intern("cv")
    assert S["condition-variable-specific"](cv) is UNSPECIFIED
    S["condition-variable-specific-set!"](cv, 3)
    assert S["condition-variable-specific"](cv) == 3
    box: List[Any] = []

    def consumer() -> Any:
        # the SRFI 18 idiom: lock, test, unlock-and-wait, loop
        while True:
            S["mutex-lock!"](m)
            if box:
                v = box.pop()
                S["mutex-unlock!"](m)
                return v
            S["mutex-unlock!"](m, cv)

    c = spawn(consumer)
    S["thread-yield!"]()
    S["mutex-lock!"](m)
    box.append(intern("item"))
    S["condition-variable-signal!"](cv)
    S["mutex-unlock!"](m)
    assert S["thread-join!"](c) is intern("item")
    S["mutex-lock!"](m)
    assert S["mutex-unlock!"](m, cv, 0.02) is False
    waiters = [spawn(lambda: S["mutex-lock!"](m) and S["mutex-unlock!"](m, cv, 1.0)) for _ in range(3)]
    S["thread-yield!"]()
    S["condition-variable-broadcast!"](cv)
    assert [S["thread-join!"](w) for w in waiters] == [True, True, True]


def test_new_threads_inherit_parameters_at_make_thread() -> None:
    p = dynamic.Parameter(1, name="p")
    made: List[Any] = []

    def inside() -> Any:
        made.append(S["make-thread"](lambda: p()))
        return UNSPECIFIED

    dynamic.parameterize({p: 5}, inside)
    late = spawn(lambda: p())
    assert S["thread-join!"](S["thread-start!"](made[0])) == 5   # binding kept after parameterize ended
    assert S["thread-join!"](late) == 1

    def rebinding() -> Any:
        return dynamic.parameterize({p: 9}, lambda: (S["thread-yield!"](), p())[1])

    r = spawn(rebinding)
    S["thread-yield!"]()
    assert p() == 1                   # the other thread's parameterize is not visible here
    assert S["thread-join!"](r) == 9
    assert p() == 1


def test_handlers_are_not_inherited() -> None:
    old = dynamic.current().handlers
    dynamic.current().handlers = (lambda c: c,)
    try:
        t = spawn(lambda: len(dynamic.current().handlers))
        assert S["thread-join!"](t) == 0
        assert len(dynamic.current().handlers) == 1
    finally:
        dynamic.current().handlers = old


def test_terminating_the_primordial_thread_exits() -> None:
    with pytest.raises(SchemeExit) as ei:
        S["thread-terminate!"](S["current-thread"]())
    assert ei.value.code == 0


def test_many_threads_through_srfi18() -> None:
    counter = [0]
    m = S["make-mutex"]()

    def body() -> Any:
        S["mutex-lock!"](m)
        v = counter[0]
        S["thread-yield!"]()
        counter[0] = v + 1
        S["mutex-unlock!"](m)
        return v

    ts = [spawn(body) for _ in range(300)]
    results = sorted(S["thread-join!"](t) for t in ts)
    assert results == list(range(300)) and counter[0] == 300


def test_printing() -> None:
    from polysock.reader import printer
    assert printer.write_string(S["make-thread"](lambda: 1, intern("w"))) == "#<thread w>"
    assert printer.write_string(S["make-mutex"](intern("m"))) == "#<mutex m>"
    assert printer.write_string(S["make-condition-variable"](intern("c"))) == "#<condition-variable c>"
    assert printer.write_string(S["seconds->time"](1.5)) == "#<time 1.5>"
