"""Green threads: the only place a thread is parked or resumed.

Theory of operation
-------------------
Each green thread (``GreenThread``) runs on its own greenlet. The *main* thread is the
greenlet that imported this module (the program's main code); it is a GreenThread
from the start, so ``current_thread()`` always answers. One more greenlet, the *hub*,
runs ``Scheduler._loop``: it resumes runnable threads from the run queue in FIFO
batches and, between batches, asks the event source (hub.py: selector, timers, worker
completions) to poll — without blocking while threads are runnable, blocking until
the next event otherwise.

A thread leaves the CPU only through ``park()`` (wait to be woken), ``yield_()``
(go to the back of the run queue) or by finishing. All three switch to the hub
greenlet; the hub alone switches to threads. New thread greenlets have the hub as
parent, so a finished thread falls back into the hub loop.

Invariants:

* ``t.parked`` is true exactly while ``t`` waits to be woken; ``wake(t)`` is a no-op
  otherwise, so a late wake-up (a timer racing an event) can never resume a thread
  for the wrong reason. Whoever parks a thread removes it from every wait queue
  (mutex, condition variable, fd, timer) in a ``finally`` before returning.
* A thread is in the run queue at most once, and only when not parked.
* Exceptions are delivered to a thread by setting ``t.pending_exc`` before it resumes;
  ``park``/``yield_`` raise it on return. Greenlet ``throw`` is never used, so the
  scheduler's own bookkeeping is never interrupted half-way.
* Switch hooks ``hook(old, new)`` run in the hub just before a different thread than
  the last one resumes (runtime.dynamic saves and installs the dynamic state there).
* The hub greenlet never dies. An exception escaping the loop (KeyboardInterrupt
  during ``epoll_wait``) is delivered to the main thread, and so is any
  BaseException that is not a normal end (KeyboardInterrupt, SystemExit, SchemeExit)
  escaping another thread: Ctrl-C stops the program, not just one thread.
* Deadlock: the run queue is empty and the event source has nothing pending (no fd
  waiter, timer or worker) — no thread can ever run again. The main thread (which must
  then be parked) is woken with ``Deadlock`` instead of hanging forever.

The scheduler belongs to the OS thread that imported it; worker OS threads
(hub.run_in_worker) never touch it.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable, Deque, List, Optional, Protocol

from greenlet import GreenletExit, getcurrent, greenlet  # type: ignore[import-untyped]

from ..values.conditions import SchemeError, make_condition
from ..values.misc import UNSPECIFIED
from ..values.symbols import intern

NEW, RUNNABLE, BLOCKED, TERMINATED = "new", "runnable", "blocked", "terminated"


class Deadlock(SchemeError):
    """Every thread is blocked and nothing (fd, timer, worker) can wake one."""

    def __init__(self) -> None:
        super().__init__(make_condition(
            "thread", "scheduler", "deadlock: every thread is blocked and nothing can wake one"))


class ThreadTerminated(BaseException):
    """Delivered to a thread by ``terminate``; unwinds it (finally blocks run) and ends it."""


import weakref as _weakref

_ALL: "_weakref.WeakSet[GreenThread]" = _weakref.WeakSet()


def all_threads() -> list:
    """Every green thread that has not terminated (for the REPL's ,threads)."""
    return [t for t in list(_ALL) if t.state != TERMINATED]


class GreenThread:
    """A green thread: a thunk run on its own greenlet, with its name, specific and outcome.

    ``end`` is None until the thread terminates, then "normal" (``result`` holds the
    value), "exception" (``exception`` holds it) or "terminated" (thread-terminate!).
    ``dyn`` is runtime.dynamic's slot; ``owned`` lists objects with ``_owner_exited``
    (mutexes) told when the thread ends; ``joiners`` are threads waiting for the end."""

    __slots__ = ("name", "specific", "state", "result", "exception", "end", "dyn", "fn",
                 "glet", "parked", "pending_exc", "joiners", "owned", "__weakref__")

    def __init__(self, fn: Optional[Callable[[], Any]], name: Any = None) -> None:
        _ALL.add(self)
        self.name = name
        self.specific: Any = UNSPECIFIED
        self.state = NEW
        self.result: Any = None
        self.exception: Optional[BaseException] = None
        self.end: Optional[str] = None
        self.dyn: Any = None
        self.fn = fn
        self.glet: Optional[greenlet] = None
        self.parked = False
        self.pending_exc: Optional[BaseException] = None
        self.joiners: List[GreenThread] = []
        self.owned: List[Any] = []

    def __repr__(self) -> str:
        return f"#<thread {self.name}>"

    def _run(self) -> None:
        """Body of the thread's greenlet."""
        s = SCHED
        try:
            exc = self.pending_exc
            if exc is not None:
                self.pending_exc = None
                raise exc
            fn = self.fn
            assert fn is not None
            self.result = fn()
            self.end = "normal"
        except (ThreadTerminated, GreenletExit):
            self.end = "terminated"
        except SchemeError as e:
            e.__traceback__ = None       # the payload carries the information
            self.exception = e
            self.end = "exception"
        except Exception as e:           # a bug below Scheme: keep the traceback for the report
            self.exception = e
            self.end = "exception"
        except BaseException as e:       # KeyboardInterrupt, SystemExit, SchemeExit: stop the program
            self.exception = e
            self.end = "exception"
            s.interrupt_main(e)
        finally:
            self.state = TERMINATED
            self.fn = None
            s._exited(self)


class EventSource(Protocol):
    """What the hub loop asks of the I/O side (hub.Hub implements it)."""

    def pending(self) -> bool:
        """True when a fd waiter, timer or worker may still wake a thread."""

    def poll(self, block: bool) -> None:
        """Wake the threads whose events happened; with *block*, wait for the next one."""


class _NoEvents:
    def pending(self) -> bool:
        return False

    def poll(self, block: bool) -> None:
        return None


class Scheduler:
    """The run queue, the hub greenlet and the switch hooks."""

    def __init__(self) -> None:
        self.runq: Deque[GreenThread] = deque()
        self.main = GreenThread(None, intern("primordial"))
        self.main.state = RUNNABLE
        self.main.glet = getcurrent()
        self.current: GreenThread = self.main
        self.last: GreenThread = self.main       # whose dynamic state is installed
        self.hooks: List[Callable[[Any, Any], None]] = []
        self.source: EventSource = _NoEvents()
        self.hub_glet = greenlet(self._loop)

    def rebind_to_this_os_thread(self) -> None:
        """Make the calling OS thread's current greenlet the main green thread.

        Greenlets belong to the OS thread that made them; the CLI imports polysock in
        the process's main thread but runs the program on a big-stack thread, which
        calls this first. Only valid while no other green thread exists."""
        self.main.glet = getcurrent()
        self.current = self.main
        self.last = self.main
        self.hub_glet = greenlet(self._loop)

    # -- the loop (runs only in the hub greenlet) -----------------------------------
    def _loop(self) -> None:
        runq = self.runq
        resume = self._resume
        while True:
            try:
                for _ in range(len(runq)):
                    resume(runq.popleft())
                src = self.source
                if src.pending():
                    src.poll(not runq)
                elif not runq:
                    self._deadlock()
            except GreenletExit:
                raise
            except BaseException as e:   # Ctrl-C in epoll_wait: the main thread stops
                self.interrupt_main(e)

    def _resume(self, t: GreenThread) -> None:
        if t is not self.last:
            for h in self.hooks:
                try:
                    h(self.last, t)
                except BaseException as e:   # a broken hook must not lose thread t
                    self.interrupt_main(e)
            self.last = t
        self.current = t
        t.state = RUNNABLE
        g = t.glet
        assert g is not None
        g.switch()

    def _deadlock(self) -> None:
        main = self.main
        if not self.wake(main, Deadlock()):
            raise RuntimeError("scheduler: deadlock while the main thread is not parked")

    # -- parking and waking ---------------------------------------------------------
    def park(self) -> None:
        """Block the current thread until ``wake``; raises what the waker delivered
        (Timeout, Closed, ThreadTerminated, Deadlock, KeyboardInterrupt...)."""
        t = self.current
        g = getcurrent()
        if g is self.hub_glet:
            raise RuntimeError("scheduler: cannot block inside the hub")
        t.glet = g
        t.parked = True
        t.state = BLOCKED
        try:
            self.hub_glet.switch()
        finally:
            if t.parked:        # left by an exception thrown into the greenlet
                t.parked = False
        exc = t.pending_exc
        if exc is not None:
            t.pending_exc = None
            raise exc

    def wake(self, t: GreenThread, exc: Optional[BaseException] = None) -> bool:
        """Make parked thread *t* runnable (raising *exc* in it); False if it was not parked."""
        if not t.parked:
            return False
        t.parked = False
        t.pending_exc = exc
        t.state = RUNNABLE
        self.runq.append(t)
        return True

    def yield_(self) -> None:
        """Let every other runnable thread (and pending I/O) run once; raises like ``park``."""
        if not self.runq and not self.source.pending():
            return
        t = self.current
        g = getcurrent()
        if g is self.hub_glet:
            raise RuntimeError("scheduler: cannot yield inside the hub")
        t.glet = g
        self.runq.append(t)
        self.hub_glet.switch()
        exc = t.pending_exc
        if exc is not None:
            t.pending_exc = None
            raise exc

    def interrupt_main(self, exc: BaseException) -> None:
        """Deliver *exc* to the main thread (Ctrl-C, exit from another thread)."""
        main = self.main
        if main.state == TERMINATED or main is self.current and getcurrent() is not self.hub_glet:
            return
        if not self.wake(main, exc):
            main.pending_exc = exc

    # -- thread life ----------------------------------------------------------------
    def start(self, t: GreenThread) -> GreenThread:
        """Make new thread *t* runnable. Raises RuntimeError if it was already started."""
        if t.state != NEW:
            raise RuntimeError(f"thread {t.name} already started")
        t.glet = greenlet(t._run, parent=self.hub_glet)
        t.state = RUNNABLE
        self.runq.append(t)
        return t

    def terminate(self, t: GreenThread, exc: Optional[BaseException] = None) -> None:
        """End thread *t* abruptly (its finally blocks run); returns once it has ended.
        Ending the current thread raises *exc* (default ThreadTerminated) right here."""
        if t.state == TERMINATED:
            return
        if exc is None:
            exc = ThreadTerminated()
        if t is self.current:
            raise exc
        if t.state == NEW:
            t.state = TERMINATED
            t.end = "terminated"
            t.fn = None
            self._exited(t)
            return
        if not self.wake(t, exc):
            t.pending_exc = exc
        if t is self.main:
            return                   # the main thread ends the program; nothing to wait for
        while t.state != TERMINATED:
            self.yield_()

    def _exited(self, t: GreenThread) -> None:
        """Tell joiners and owned objects (mutexes) that *t* ended."""
        for j in t.joiners:
            self.wake(j)
        t.joiners = []
        owned, t.owned = t.owned, []
        for m in owned:
            m._owner_exited(t)


SCHED = Scheduler()


def current_thread() -> GreenThread:
    """The green thread running now."""
    return SCHED.current


def add_switch_hook(fn: Callable[[Any, Any], None]) -> None:
    """Call ``fn(old_thread, new_thread)`` whenever a different thread resumes."""
    if fn not in SCHED.hooks:
        SCHED.hooks.append(fn)


def spawn(fn: Callable[[], Any], name: Any = None) -> GreenThread:
    """Create and start a thread running ``fn()``."""
    return SCHED.start(GreenThread(fn, name))


park = SCHED.park
wake = SCHED.wake
start = SCHED.start
terminate = SCHED.terminate
