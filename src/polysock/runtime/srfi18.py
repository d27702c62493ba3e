"""SRFI 18 (multithreading) over the hub's green threads; also exported as (polysock threads).

Threads are ``hub.scheduler.GreenThread``; mutexes and condition variables are
``hub.sync`` objects; time objects are ``Time`` (absolute wall-clock seconds). A
timeout argument is #f (none), a real number of seconds from now, or a time object.
Thread conditions are ``Condition`` kinds "join-timeout", "abandoned-mutex",
"terminated-thread" and "uncaught-exception" (the reason in ``data["reason"]``). A new
thread starts with the creator's dynamic state at ``make-thread`` (parameters shared,
no handlers); the scheduler swaps states through ``dynamic.switch_hook``.
"""
from __future__ import annotations

from typing import Any, Optional

from ..hub import clock, hub, scheduler, sync
from ..hub.scheduler import SCHED, GreenThread
from ..reader import printer
from ..values.conditions import Condition, SchemeError, SchemeExit, make_condition, throw
from ..values.misc import UNSPECIFIED
from ..values.numbers import REAL_CLASSES
from ..values.symbols import gensym, intern
from . import dynamic
from .argtypes import A, Arg
from .registry import primitive

LIB = "(srfi 18)"
ALSO = ("(polysock threads)",)


class Time:
    """An SRFI-18 time object: an absolute point, in seconds since the epoch."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __repr__(self) -> str:
        return f"#<time {self.seconds}>"


def _is_real(x: Any) -> bool:
    return x.__class__ in REAL_CLASSES


A.define("thread", "thread", pred=lambda x: x.__class__ is GreenThread)
A.define("mutex", "mutex", pred=lambda x: x.__class__ is sync.Mutex)
A.define("condvar", "condition variable", pred=lambda x: x.__class__ is sync.ConditionVariable)
A.define("time", "time", pred=lambda x: x.__class__ is Time)
A.define("timeout", "timeout (seconds, time or #f)",
         pred=lambda x: x is False or x.__class__ is Time or _is_real(x))
_TIMEOUT_REQUIRED = Arg("timeout (seconds or time)", pred=lambda x: x.__class__ is Time or _is_real(x))
_OWNER = A.or_false(A.thread)
_CONDVAR_OR_FALSE = A.or_false(A.condvar)
_UNCAUGHT = Arg("uncaught exception",
                pred=lambda x: x.__class__ is Condition and x.is_a("uncaught-exception"))

_ABSENT: Any = object()     # optional argument not given


def deadline_of(timeout: Any) -> Optional[float]:
    """The hub deadline (clock.monotonic seconds) of an SRFI-18 timeout, None for #f."""
    if timeout is False or timeout is _ABSENT:
        return None
    if timeout.__class__ is Time:
        return clock.monotonic() + (timeout.seconds - clock.time())
    return clock.monotonic() + float(timeout)


# The dynamic state (parameters, handlers) follows the running thread.
scheduler.add_switch_hook(dynamic.switch_hook)


# -- threads -----------------------------------------------------------------------

@primitive("current-thread", lib=LIB, also=ALSO)
def current_thread() -> GreenThread:
    """(current-thread) -> thread"""
    return SCHED.current


@primitive("thread?", lib=LIB, also=ALSO)
def thread_p(obj: Any) -> bool:
    """(thread? obj) -> boolean"""
    return obj.__class__ is GreenThread


@primitive("make-thread", A.procedure, A.any, lib=LIB, also=ALSO)
def make_thread(thunk: Any, name: Any = _ABSENT) -> GreenThread:
    """(make-thread thunk [name]) -> thread"""
    t = GreenThread(thunk, gensym("thread") if name is _ABSENT else name)
    t.dyn = dynamic.current().inherit()
    return t


@primitive("thread-name", A.thread, lib=LIB, also=ALSO)
def thread_name(t: GreenThread) -> Any:
    """(thread-name thread) -> name"""
    return t.name


@primitive("thread-specific", A.thread, lib=LIB, also=ALSO)
def thread_specific(t: GreenThread) -> Any:
    """(thread-specific thread) -> obj"""
    return t.specific


@primitive("thread-specific-set!", A.thread, A.any, lib=LIB, also=ALSO)
def thread_specific_set_bang(t: GreenThread, obj: Any) -> Any:
    """(thread-specific-set! thread obj)"""
    t.specific = obj
    return UNSPECIFIED


_THREAD_OR_THUNK = Arg("thread or procedure",
                      pred=lambda x: x.__class__ is GreenThread or callable(x))


@primitive("thread-start!", _THREAD_OR_THUNK, lib=LIB, also=ALSO)
def thread_start_bang(t: Any) -> GreenThread:
    """(thread-start! thread-or-thunk) -> thread"""
    if t.__class__ is not GreenThread:      # CHICKEN's srfi-18: a thunk is made a thread first
        t = make_thread(t)
    if t.state != scheduler.NEW:
        throw("thread", "thread-start!", "thread already started", t)
    return scheduler.start(t)


@primitive("thread-yield!", lib=LIB, also=ALSO)
def thread_yield_bang() -> Any:
    """(thread-yield!)"""
    hub.yield_()
    return UNSPECIFIED


@primitive("thread-sleep!", _TIMEOUT_REQUIRED, lib=LIB, also=ALSO)
def thread_sleep_bang(timeout: Any) -> Any:
    """(thread-sleep! timeout)"""
    deadline = deadline_of(timeout)
    assert deadline is not None
    hub.sleep_until(deadline)
    return UNSPECIFIED


@primitive("thread-terminate!", A.thread, lib=LIB, also=ALSO)
def thread_terminate_bang(t: GreenThread) -> Any:
    """(thread-terminate! thread)"""
    # Terminating the primordial thread ends the program (SRFI 18).
    scheduler.terminate(t, SchemeExit(0) if t is SCHED.main else None)
    return UNSPECIFIED


def _reason(t: GreenThread) -> Any:
    """The object a thread's uncaught exception raised (a condition for Python errors)."""
    e = t.exception
    if isinstance(e, SchemeError):
        return e.payload
    return make_condition("internal", t.name, f"this is a bug in polysock: {type(e).__name__}: {e}",
                          exception=e)


@primitive("thread-join!", A.thread, A.timeout, A.any, lib=LIB, also=ALSO)
def thread_join_bang(t: GreenThread, timeout: Any = _ABSENT, timeout_val: Any = _ABSENT) -> Any:
    """(thread-join! thread [timeout [timeout-val]]) -> obj"""
    try:
        sync.join(t, deadline_of(timeout))
    except hub.Timeout:
        if timeout_val is not _ABSENT:
            return timeout_val
        throw("join-timeout", "thread-join!", "timed out waiting for thread", t)
    if t.end == "normal":
        return t.result
    if t.end == "terminated":
        throw("terminated-thread", "thread-join!", "thread was terminated", t)
    throw("uncaught-exception", "thread-join!", "thread ended with an uncaught exception", t,
          reason=_reason(t))


# -- mutexes -----------------------------------------------------------------------

@primitive("mutex?", lib=LIB, also=ALSO)
def mutex_p(obj: Any) -> bool:
    """(mutex? obj) -> boolean"""
    return obj.__class__ is sync.Mutex


@primitive("make-mutex", A.any, lib=LIB, also=ALSO)
def make_mutex(name: Any = _ABSENT) -> sync.Mutex:
    """(make-mutex [name]) -> mutex"""
    m = sync.Mutex(gensym("mutex") if name is _ABSENT else name)
    return m


@primitive("mutex-name", A.mutex, lib=LIB, also=ALSO)
def mutex_name(m: sync.Mutex) -> Any:
    """(mutex-name mutex) -> name"""
    return m.name


@primitive("mutex-specific", A.mutex, lib=LIB, also=ALSO)
def mutex_specific(m: sync.Mutex) -> Any:
    """(mutex-specific mutex) -> obj"""
    return m.specific


@primitive("mutex-specific-set!", A.mutex, A.any, lib=LIB, also=ALSO)
def mutex_specific_set_bang(m: sync.Mutex, obj: Any) -> Any:
    """(mutex-specific-set! mutex obj)"""
    m.specific = obj
    return UNSPECIFIED


@primitive("mutex-state", A.mutex, lib=LIB, also=ALSO)
def mutex_state(m: sync.Mutex) -> Any:
    """(mutex-state mutex) -> thread | not-owned | abandoned | not-abandoned"""
    s = m.state()
    return intern(s) if isinstance(s, str) else s


@primitive("mutex-lock!", A.mutex, A.timeout, _OWNER, lib=LIB, also=ALSO)
def mutex_lock_bang(m: sync.Mutex, timeout: Any = _ABSENT, owner: Any = _ABSENT) -> bool:
    """(mutex-lock! mutex [timeout [thread]]) -> boolean"""
    who: Optional[GreenThread] = SCHED.current if owner is _ABSENT else (owner or None)
    try:
        return m.lock(who, deadline_of(timeout))
    except sync.AbandonedMutex:
        throw("abandoned-mutex", "mutex-lock!", "mutex was abandoned by its owner", m)


@primitive("mutex-unlock!", A.mutex, _CONDVAR_OR_FALSE, A.timeout, lib=LIB, also=ALSO)
def mutex_unlock_bang(m: sync.Mutex, cv: Any = _ABSENT, timeout: Any = _ABSENT) -> bool:
    """(mutex-unlock! mutex [condition-variable [timeout]]) -> boolean"""
    if cv is _ABSENT or cv is False:
        m.unlock()
        return True
    return m.unlock(cv, deadline_of(timeout))


# -- condition variables -----------------------------------------------------------

@primitive("condition-variable?", lib=LIB, also=ALSO)
def condition_variable_p(obj: Any) -> bool:
    """(condition-variable? obj) -> boolean"""
    return obj.__class__ is sync.ConditionVariable


@primitive("make-condition-variable", A.any, lib=LIB, also=ALSO)
def make_condition_variable(name: Any = _ABSENT) -> sync.ConditionVariable:
    """(make-condition-variable [name]) -> condition-variable"""
    cv = sync.ConditionVariable(gensym("condition-variable") if name is _ABSENT else name)
    return cv


@primitive("condition-variable-name", A.condvar, lib=LIB, also=ALSO)
def condition_variable_name(cv: sync.ConditionVariable) -> Any:
    """(condition-variable-name condition-variable) -> name"""
    return cv.name


@primitive("condition-variable-specific", A.condvar, lib=LIB, also=ALSO)
def condition_variable_specific(cv: sync.ConditionVariable) -> Any:
    """(condition-variable-specific condition-variable) -> obj"""
    return cv.specific


@primitive("condition-variable-specific-set!", A.condvar, A.any, lib=LIB, also=ALSO)
def condition_variable_specific_set_bang(cv: sync.ConditionVariable, obj: Any) -> Any:
    """(condition-variable-specific-set! condition-variable obj)"""
    cv.specific = obj
    return UNSPECIFIED


@primitive("condition-variable-signal!", A.condvar, lib=LIB, also=ALSO)
def condition_variable_signal_bang(cv: sync.ConditionVariable) -> Any:
    """(condition-variable-signal! condition-variable)"""
    cv.signal()
    return UNSPECIFIED


@primitive("condition-variable-broadcast!", A.condvar, lib=LIB, also=ALSO)
def condition_variable_broadcast_bang(cv: sync.ConditionVariable) -> Any:
    """(condition-variable-broadcast! condition-variable)"""
    cv.broadcast()
    return UNSPECIFIED


# -- time --------------------------------------------------------------------------

@primitive("current-time", lib=LIB, also=ALSO)
def current_time() -> Time:
    """(current-time) -> time"""
    return Time(clock.time())


@primitive("time?", lib=LIB, also=ALSO)
def time_p(obj: Any) -> bool:
    """(time? obj) -> boolean"""
    return obj.__class__ is Time


@primitive("time->seconds", A.time, lib=LIB, also=ALSO)
def time_to_seconds(t: Time) -> float:
    """(time->seconds time) -> real"""
    return t.seconds


@primitive("seconds->time", A.real, lib=LIB, also=ALSO)
def seconds_to_time(x: Any) -> Time:
    """(seconds->time real) -> time"""
    return Time(float(x))


# -- exception objects -------------------------------------------------------------

def _kind_p(kind: str) -> Any:
    def pred(obj: Any) -> bool:
        return obj.__class__ is Condition and obj.is_a(kind)
    return pred


_join_timeout_p = _kind_p("join-timeout")
_abandoned_p = _kind_p("abandoned-mutex")
_terminated_p = _kind_p("terminated-thread")
_uncaught_p = _kind_p("uncaught-exception")


@primitive("join-timeout-exception?", lib=LIB, also=ALSO)
def join_timeout_exception_p(obj: Any) -> bool:
    """(join-timeout-exception? obj) -> boolean"""
    return _join_timeout_p(obj)  # type: ignore[no-any-return]


@primitive("abandoned-mutex-exception?", lib=LIB, also=ALSO)
def abandoned_mutex_exception_p(obj: Any) -> bool:
    """(abandoned-mutex-exception? obj) -> boolean"""
    return _abandoned_p(obj)  # type: ignore[no-any-return]


@primitive("terminated-thread-exception?", lib=LIB, also=ALSO)
def terminated_thread_exception_p(obj: Any) -> bool:
    """(terminated-thread-exception? obj) -> boolean"""
    return _terminated_p(obj)  # type: ignore[no-any-return]


@primitive("uncaught-exception?", lib=LIB, also=ALSO)
def uncaught_exception_p(obj: Any) -> bool:
    """(uncaught-exception? obj) -> boolean"""
    return _uncaught_p(obj)  # type: ignore[no-any-return]


@primitive("uncaught-exception-reason", _UNCAUGHT, lib=LIB, also=ALSO)
def uncaught_exception_reason(c: Condition) -> Any:
    """(uncaught-exception-reason exc) -> obj"""
    return c.data.get("reason", False)


# -- printing ----------------------------------------------------------------------

def _named(kind: str) -> Any:
    def show(x: Any, write: bool) -> str:
        return f"#<{kind} {printer.write_string(x.name)}>"
    return show


printer.PRINTERS[GreenThread] = _named("thread")
printer.PRINTERS[sync.Mutex] = _named("mutex")
printer.PRINTERS[sync.ConditionVariable] = _named("condition-variable")
printer.PRINTERS[Time] = lambda x, write: f"#<time {x.seconds}>"

