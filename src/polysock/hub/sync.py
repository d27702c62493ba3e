"""SRFI-18 synchronisation for green threads: mutexes, condition variables, join.

A mutex is unlocked/not-abandoned, unlocked/abandoned (its owner ended while holding
it), locked/owned (``owner`` is a thread) or locked/not-owned (``owner`` is None).
Unlocking hands the mutex directly to the first waiter that is still parked (FIFO, no
barging); waiters whose wait already ended (timeout, termination) are skipped. Every
waiter entry says whether it is still queued, so a waiter leaving early removes itself
and a granted one never scans the queue.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Deque, Optional

from ..values.misc import UNSPECIFIED
from .hub import HUB, Timeout
from .scheduler import SCHED, TERMINATED, GreenThread


class AbandonedMutex(Exception):
    """The mutex was acquired, but its previous owner had ended while holding it."""


class _Waiter:
    __slots__ = ("thread", "owner", "abandoned", "queued")

    def __init__(self, thread: GreenThread, owner: Optional[GreenThread] = None) -> None:
        self.thread = thread
        self.owner = owner
        self.abandoned = False
        self.queued = True


class Mutex:
    """An SRFI-18 mutex."""

    __slots__ = ("name", "specific", "locked", "owner", "abandoned", "waiters")

    def __init__(self, name: Any = None) -> None:
        self.name = name
        self.specific: Any = UNSPECIFIED
        self.locked = False
        self.owner: Optional[GreenThread] = None
        self.abandoned = False
        self.waiters: Deque[_Waiter] = deque()

    def __repr__(self) -> str:
        return f"#<mutex {self.name}>"

    def state(self) -> Any:
        """The owner thread, or "not-owned", "abandoned", "not-abandoned"."""
        if self.locked:
            return self.owner if self.owner is not None else "not-owned"
        return "abandoned" if self.abandoned else "not-abandoned"

    def _take(self, owner: Optional[GreenThread]) -> bool:
        """Lock for *owner* (None: not owned); False when *owner* has already ended,
        which leaves the mutex unlocked/abandoned."""
        if owner is not None and owner.state == TERMINATED:
            self.locked, self.owner, self.abandoned = False, None, True
            return False
        self.locked, self.owner, self.abandoned = True, owner, False
        if owner is not None:
            owner.owned.append(self)
        return True

    def _release(self, abandoned: bool = False) -> None:
        """Unlock (recording *abandoned*) and hand the mutex to the first live waiter."""
        owner = self.owner
        if owner is not None and not abandoned:
            try:
                owner.owned.remove(self)
            except ValueError:
                pass
        self.locked, self.owner, self.abandoned = False, None, abandoned
        waiters = self.waiters
        while waiters:
            w = waiters.popleft()
            w.queued = False
            if not w.thread.parked:
                continue
            w.abandoned = self.abandoned
            SCHED.wake(w.thread)
            if self._take(w.owner):
                return

    def _owner_exited(self, t: GreenThread) -> None:
        """Owner *t* ended while holding the mutex: it becomes abandoned."""
        if self.locked and self.owner is t:
            self._release(abandoned=True)

    def lock(self, owner: Optional[GreenThread], deadline: Optional[float] = None) -> bool:
        """Lock for *owner* (None: not owned), waiting until *deadline*; False on timeout.
        Raises AbandonedMutex after acquiring a mutex whose owner had ended."""
        if not self.locked:
            was = self.abandoned
            self._take(owner)
            if was:
                raise AbandonedMutex()
            return True
        w = _Waiter(SCHED.current, owner)
        self.waiters.append(w)
        try:
            HUB.park(deadline)
        except Timeout:
            return False
        finally:
            if w.queued:
                w.queued = False
                self.waiters.remove(w)
        if w.abandoned:
            raise AbandonedMutex()
        return True

    def unlock(self, cv: Optional["ConditionVariable"] = None, deadline: Optional[float] = None) -> bool:
        """Unlock; with *cv*, atomically also wait on it until signalled or *deadline*.
        Returns False when the deadline passed first. Unlocking an unlocked mutex is fine."""
        if cv is None:
            self._release()
            return True
        w = _Waiter(SCHED.current)
        cv.waiters.append(w)
        self._release()
        try:
            HUB.park(deadline)
        except Timeout:
            return False
        finally:
            if w.queued:
                w.queued = False
                cv.waiters.remove(w)
        return True


class ConditionVariable:
    """An SRFI-18 condition variable (threads wait on it through Mutex.unlock)."""

    __slots__ = ("name", "specific", "waiters")

    def __init__(self, name: Any = None) -> None:
        self.name = name
        self.specific: Any = UNSPECIFIED
        self.waiters: Deque[_Waiter] = deque()

    def __repr__(self) -> str:
        return f"#<condition-variable {self.name}>"

    def signal(self) -> None:
        """Wake one waiting thread, if any."""
        waiters = self.waiters
        while waiters:
            w = waiters.popleft()
            w.queued = False
            if SCHED.wake(w.thread):
                return

    def broadcast(self) -> None:
        """Wake every waiting thread."""
        waiters, self.waiters = self.waiters, deque()
        for w in waiters:
            w.queued = False
            SCHED.wake(w.thread)


def join(t: GreenThread, deadline: Optional[float] = None) -> None:
    """Wait until thread *t* has terminated. Raises Timeout at *deadline*
    (Deadlock if the main thread would wait forever)."""
    me = SCHED.current
    while t.state != TERMINATED:
        t.joiners.append(me)
        try:
            HUB.park(deadline)
        finally:
            if t.state != TERMINATED:
                try:
                    t.joiners.remove(me)
                except ValueError:
                    pass
