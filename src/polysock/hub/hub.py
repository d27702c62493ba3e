"""The hub: fd readiness, timers and worker completions, parking only the waiting thread.

Theory of operation
-------------------
``Hub`` is the scheduler's event source. It owns an epoll selector (``selectors``),
a heap of timers and a self-pipe for worker OS threads. The scheduler's hub greenlet
calls ``poll(block)``: select (blocking until the next timer when ``block``), wake the
thread parked on each ready fd, fire due timers, collect finished worker jobs.

Rules and invariants:

* One waiter per fd per direction (``waiters[fd] == [reader, writer]``); a second
  waiter gets ``Busy``.
* Registration rule: an fd is registered in epoll exactly while a thread waits on it,
  with the mask of the directions waited for. The waiter removes (or narrows) the
  registration in a ``finally`` as soon as its wait ends. No registration cache: the
  epoll interest list names *file descriptions*, so a cached registration of a closed
  fd would outlive ``close`` when the description is shared (dup, fork) and a reused
  fd number would then hit EEXIST or, worse, silently wait on the wrong file.
* ``notify_closing(fd)`` must be called *before* ``close(fd)``: it unregisters fd and
  wakes its waiters with ``Closed``; their ``finally`` sees the entry gone and leaves
  any later registration of the same number alone.
* Timers are (deadline, seq, Timer) heap entries; cancelling only marks the Timer, and
  the heap is rebuilt when more than half of it is dead. A fired timer wakes its
  thread with ``Timeout`` (or plainly, for sleeps); ``wake`` is a no-op if an event
  got there first, and the waiter cancels its timer in ``finally``.
* Fast path (DESIGN §5): when the run queue is empty and nothing else is registered,
  timed or running in a worker, nobody but the caller can ever run before its fd is
  ready, so the caller polls its own fd directly (``select.poll``: one system call,
  no epoll_ctl, no greenlet switch). Each fd number and direction keeps its poll
  object, with the interrupt pipe, between waits (``lone``), also after the fd is
  closed (short connections reuse the same numbers); the cache is emptied when it
  passes ``LONE_MAX`` entries. A stale entry is harmless: unlike epoll, poll(2)
  keeps no state and looks the fd number up afresh at each call. ``alone()`` states
  the same condition for callers that can do better still: the net core then blocks
  in the read itself (net/sockets.py, "a lone green thread"), after ``spin``: a
  bounded busy poll of the same cached poll object with a zero timeout, which keeps
  the CPU out of idle while an answer is on its way (the net core decides when).
* Workers: ``run_in_worker`` submits to a ThreadPoolExecutor; the future's done
  callback (in the worker OS thread) appends to a deque (append is atomic) and writes
  one byte to the self-pipe, which stays registered once created and is not counted
  by ``registrations()``.

OS facts relied on:

* epoll drops a file description from its interest list when the last fd referring to
  it is closed; ``EpollSelector.unregister`` ignores the resulting EBADF/ENOENT.
* epoll refuses regular files (EPERM); POSIX calls them always ready, so a wait on
  one returns at once.
* epoll reports EPOLLHUP/EPOLLERR whatever the mask; ``selectors`` turns them into
  the registered directions, so a hung-up fd wakes its waiters (the retried call then
  returns EOF or the error).
* Python retries ``epoll_wait``/``poll`` after EINTR (PEP 475) unless a signal
  handler raises; KeyboardInterrupt then reaches the main thread (see scheduler).
"""
from __future__ import annotations

import heapq
import itertools
import os
import select
import selectors
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, Optional, Tuple, Type, TypeVar

from . import clock
from .scheduler import SCHED, GreenThread

if TYPE_CHECKING:   # imported on the first job: concurrent.futures pulls in logging (~4 ms a start)
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")

READ, WRITE = 0, 1
_MASK = (selectors.EVENT_READ, selectors.EVENT_WRITE)
_POLLMASK = (select.POLLIN, select.POLLOUT)


class Timeout(Exception):
    """A wait's deadline passed."""


class Closed(Exception):
    """The fd was closed (``notify_closing``) while a thread waited on it."""


class Busy(Exception):
    """Another thread already waits on this fd in this direction."""


class Timer:
    """A pending wake-up of ``thread`` at ``deadline`` raising ``exc`` (None: plain wake)."""

    __slots__ = ("deadline", "thread", "exc", "live")

    def __init__(self, deadline: float, thread: GreenThread, exc: Optional[Type[BaseException]]) -> None:
        self.deadline = deadline
        self.thread = thread
        self.exc = exc
        self.live = True


LONE_MAX = 256     # cached lone-path poll objects (see Theory of operation)

_WAKE = object()   # selector data of the worker self-pipe
_INTR = object()   # selector data of the interrupt pipe (see Hub.wakeup)


class Hub:
    """Selector, timers and worker completions for the scheduler."""

    def __init__(self) -> None:
        self.sel = selectors.DefaultSelector()
        self.waiters: Dict[int, List[Optional[GreenThread]]] = {}
        self.timers: List[Tuple[float, int, Timer]] = []
        self.live_timers = 0
        self.seq = itertools.count()
        self.executor: Optional["ThreadPoolExecutor"] = None
        self.max_workers = 8
        self.jobs: Dict["Future[Any]", GreenThread] = {}     # futures someone is parked on
        self.done: Deque["Future[Any]"] = deque()
        self.pipe: Optional[Tuple[int, int]] = None
        # 2*fd + direction -> poll object of fd and the interrupt pipe (the lone path)
        self.lone: Dict[int, Any] = {}
        # The interrupt pipe: wakeup() (from any OS thread, e.g. the CLI relaying Ctrl-C
        # as an async exception) makes every blocking wait return so Python code runs.
        self.intr = os.pipe()
        for fd in self.intr:
            os.set_blocking(fd, False)
        self.intr_r = self.intr[0]
        self.sel.register(self.intr[0], selectors.EVENT_READ, _INTR)

    # -- event source protocol --------------------------------------------------------
    def pending(self) -> bool:
        """True when a fd waiter, live timer or awaited worker job exists."""
        return bool(self.waiters or self.live_timers or self.jobs)

    def poll(self, block: bool) -> None:
        """Wake threads whose fds are ready, timers due or jobs done; with *block*,
        wait until at least one of those may have happened."""
        timeout: Optional[float] = 0.0
        delay: Optional[float] = None
        clk = clock.CLOCK
        if block:
            if self.live_timers:
                delay = max(0.0, self._first_deadline() - clk.monotonic())
            timeout = clk.block_for(delay)
        wake = SCHED.wake
        ready = self.sel.select(timeout)
        for key, ev in ready:
            w = key.data
            if w is _WAKE:
                self._collect()
                continue
            if w is _INTR:
                self._drain_intr()
                continue
            if ev & selectors.EVENT_READ and w[0] is not None:
                wake(w[0])
            if ev & selectors.EVENT_WRITE and w[1] is not None:
                wake(w[1])
        if block and not ready:
            clk.idle(delay)
        if self.live_timers:
            self._fire(clk.monotonic())

    def _first_deadline(self) -> float:
        heap = self.timers
        while not heap[0][2].live:
            heapq.heappop(heap)
        return heap[0][0]

    def _fire(self, now: float) -> None:
        heap = self.timers
        wake = SCHED.wake
        while heap and heap[0][0] <= now:
            tm = heapq.heappop(heap)[2]
            if tm.live:
                tm.live = False
                self.live_timers -= 1
                wake(tm.thread, tm.exc() if tm.exc is not None else None)

    # -- timers -----------------------------------------------------------------------
    def add_timer(self, deadline: float, thread: GreenThread, exc: Optional[Type[BaseException]] = Timeout) -> Timer:
        """Schedule waking *thread* at *deadline* (raising *exc* in it)."""
        tm = Timer(deadline, thread, exc)
        heapq.heappush(self.timers, (deadline, next(self.seq), tm))
        self.live_timers += 1
        return tm

    def cancel_timer(self, tm: Timer) -> None:
        """Forget *tm* if it has not fired."""
        if tm.live:
            tm.live = False
            self.live_timers -= 1
            heap = self.timers
            if len(heap) > 64 and self.live_timers * 2 < len(heap):
                self.timers = [e for e in heap if e[2].live]
                heapq.heapify(self.timers)

    def park(self, deadline: Optional[float] = None) -> None:
        """Park the current thread until woken, or until *deadline*.
        Raises Timeout at the deadline, else whatever the waker delivers."""
        if deadline is None:
            SCHED.park()
            return
        tm = self.add_timer(deadline, SCHED.current)
        try:
            SCHED.park()
        finally:
            self.cancel_timer(tm)

    def alone(self) -> bool:
        """True when nobody but the caller can run before the caller's own fd is ready."""
        return not self.waiters and not SCHED.runq and not self.live_timers and not self.jobs and clock.CLOCK.real

    # -- fds --------------------------------------------------------------------------
    def wait(self, fd: int, d: int, deadline: Optional[float]) -> None:
        """Park until *fd* is ready in direction *d* (READ/WRITE).
        Raises Timeout, Closed, Busy, OSError/ValueError for an fd epoll rejects."""
        waiters = self.waiters
        if self.alone():
            p = self.lone.get(fd + fd + d)
            if p is None:
                p = self._lone_poll(fd, d)
            if deadline is None:
                evs = p.poll()
                if len(evs) != 1 or evs[0][0] != fd:   # the interrupt pipe is among them
                    self._drain_intr()   # woken to see an async exception; the caller retries
                return
            self._wait_alone(p, deadline)
            return
        t = SCHED.current
        w = waiters.get(fd)
        if w is None:
            w = [None, None]
            w[d] = t
            try:
                self.sel.register(fd, _MASK[d], w)
            except PermissionError:          # a regular file: always ready
                return
            waiters[fd] = w
        elif w[d] is not None:
            raise Busy(f"fd {fd} already has a {'reader' if d == READ else 'writer'}")
        else:
            w[d] = t
            try:
                self.sel.modify(fd, selectors.EVENT_READ | selectors.EVENT_WRITE, w)
            except (OSError, ValueError, KeyError):   # closed behind our back
                w[d] = None
                self._drop(fd)
                raise
        tm = self.add_timer(deadline, t) if deadline is not None else None
        try:
            SCHED.park()
        finally:
            if tm is not None:
                self.cancel_timer(tm)
            if waiters.get(fd) is w:
                w[d] = None
                other = w[1 - d]
                if other is None:
                    del waiters[fd]
                    self.sel.unregister(fd)
                else:
                    try:
                        self.sel.modify(fd, _MASK[1 - d], w)
                    except (OSError, ValueError, KeyError):   # closed behind our back
                        self._drop(fd)

    def _lone_poll(self, fd: int, d: int) -> Any:
        """The cached poll object of *fd* in direction *d* and the interrupt pipe."""
        if len(self.lone) >= LONE_MAX:
            self.lone.clear()
        p = select.poll()
        p.register(self.intr_r, select.POLLIN)
        p.register(fd, _POLLMASK[d])
        self.lone[fd + fd + d] = p
        return p

    def spin(self, fd: int, seconds: float) -> bool:
        """Busy-poll *fd* for readability for up to *seconds*, never sleeping: True as
        soon as it is ready (or the interrupt pipe is), False when the time is up."""
        p = self.lone.get(fd + fd)
        if p is None:
            p = self._lone_poll(fd, READ)
        poll = p.poll
        if poll(0):
            return True
        now = time.perf_counter
        end = now() + seconds
        while now() < end:
            if poll(0):
                return True
        return False

    def _wait_alone(self, p: Any, deadline: float) -> None:
        """The lone-thread fast path with a deadline: poll *p* until an event or the
        deadline. Raises Timeout, OSError."""
        intr = self.intr_r
        while True:
            left = deadline - clock.monotonic()
            evs = p.poll(max(0, int(left * 1000.0 + 0.999)) if left > 0 else 0)
            if evs:
                for efd, _ in evs:
                    if efd == intr:
                        self._drain_intr()
                return
            if deadline <= clock.monotonic():
                raise Timeout()

    def wakeup(self) -> None:
        """From any OS thread: make a blocking wait return (never raises)."""
        try:
            os.write(self.intr[1], b"\0")
        except OSError:
            pass

    def _drain_intr(self) -> None:
        try:
            while os.read(self.intr[0], 4096):
                pass
        except BlockingIOError:
            pass

    def _drop(self, fd: int) -> None:
        w = self.waiters.pop(fd, None)
        try:
            self.sel.unregister(fd)
        except (KeyError, ValueError):
            pass
        if w is not None:
            for t in w:
                if t is not None:
                    SCHED.wake(t, Closed(f"fd {fd} closed"))

    def notify_closing(self, fd: int) -> None:
        """Wake every waiter on *fd* with Closed and unregister it. Call before close(fd).
        Raises nothing."""
        if fd in self.waiters:
            self._drop(fd)

    def registrations(self) -> int:
        """How many fds threads are waiting on (the worker self-pipe is not counted)."""
        return len(self.waiters)

    # -- workers ----------------------------------------------------------------------
    def _start_workers(self) -> "ThreadPoolExecutor":
        from concurrent.futures import ThreadPoolExecutor
        r, w = os.pipe()
        os.set_blocking(r, False)
        os.set_blocking(w, False)
        self.pipe = (r, w)
        self.sel.register(r, selectors.EVENT_READ, _WAKE)
        self.executor = ThreadPoolExecutor(self.max_workers, thread_name_prefix="polysock-worker")
        return self.executor

    def _job_done(self, fut: "Future[Any]") -> None:
        """Done callback, in the worker OS thread: queue *fut* and poke the hub."""
        self.done.append(fut)
        assert self.pipe is not None
        try:
            os.write(self.pipe[1], b"\0")
        except BlockingIOError:     # pipe full: the hub is already due to wake
            pass

    def _collect(self) -> None:
        assert self.pipe is not None
        try:
            while os.read(self.pipe[0], 4096):
                pass
        except BlockingIOError:
            pass
        done = self.done
        while done:
            t = self.jobs.pop(done.popleft(), None)
            if t is not None:
                SCHED.wake(t)

    def run_in_worker(self, fn: Callable[..., T], *args: Any, deadline: Optional[float] = None) -> T:
        """Run ``fn(*args)`` in a worker OS thread, parking only the calling green thread.
        Returns its result or re-raises its exception; raises Timeout at *deadline*
        (the job is cancelled if not started, else left to finish unobserved)."""
        ex = self.executor or self._start_workers()
        fut = ex.submit(fn, *args)
        t = SCHED.current
        self.jobs[fut] = t
        fut.add_done_callback(self._job_done)
        try:
            while not fut.done():
                self.park(deadline)
        except BaseException:
            fut.cancel()
            raise
        finally:
            self.jobs.pop(fut, None)
        return fut.result()


HUB = Hub()
SCHED.source = HUB


# The net core calls these on every lone read and every close: they are the hub's bound
# methods themselves, not functions calling them (a Python call each time saved).
#: alone() -> bool: True when the calling thread is the only one that can run until its
#: own fd is ready: the net core may then block in the system call itself.
alone = HUB.alone
#: spin(fd, seconds) -> bool: busy-poll *fd* for readability up to *seconds* (only for
#: the lone thread): True when it became ready. Raises OSError for a bad fd.
spin = HUB.spin


def wait_readable(fd: int, deadline: Optional[float] = None) -> None:
    """Park until *fd* is readable. Raises Timeout (absolute monotonic *deadline*
    passed), Closed (notify_closing), Busy (another reader waits), OSError (bad fd)."""
    HUB.wait(fd, READ, deadline)


def wait_writable(fd: int, deadline: Optional[float] = None) -> None:
    """Park until *fd* is writable. Raises Timeout, Closed, Busy, OSError as wait_readable."""
    HUB.wait(fd, WRITE, deadline)


#: notify_closing(fd): wake *fd*'s waiters with Closed and unregister it; call before
#: closing. Raises nothing.
notify_closing = HUB.notify_closing


def sleep_until(deadline: float) -> None:
    """Park the current thread until monotonic *deadline*. Raises only what a waker delivers
    (ThreadTerminated, KeyboardInterrupt)."""
    if deadline <= clock.monotonic():
        SCHED.yield_()
        return
    tm = HUB.add_timer(deadline, SCHED.current, None)
    try:
        SCHED.park()
    finally:
        HUB.cancel_timer(tm)


def sleep(seconds: float) -> None:
    """Park the current thread for *seconds*; see sleep_until."""
    sleep_until(clock.monotonic() + seconds)


def yield_() -> None:
    """Let other runnable threads and pending I/O run. Raises like sleep_until."""
    SCHED.yield_()


def park(deadline: Optional[float] = None) -> None:
    """Park the current thread until ``scheduler.wake``; raises Timeout at *deadline*."""
    HUB.park(deadline)


def run_in_worker(fn: Callable[..., T], *args: Any, deadline: Optional[float] = None) -> T:
    """Run blocking ``fn(*args)`` in a worker OS thread; see Hub.run_in_worker."""
    return HUB.run_in_worker(fn, *args, deadline=deadline)


def registrations() -> int:
    """How many fds are registered for waiting threads (0 once everything is closed)."""
    return HUB.registrations()


def wakeup() -> None:
    """From any OS thread: make the hub's blocking wait return (Ctrl-C relay)."""
    HUB.wakeup()
