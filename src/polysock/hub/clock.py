"""The hub's clock: ``monotonic()`` for deadlines and ``time()`` for wall time, replaceable.

Every deadline in the hub is an absolute ``monotonic()`` value. Tests install a
``ManualClock`` with ``set_clock`` so timeouts fire without waiting on real time: when
the hub would block with only timers pending, the manual clock jumps straight to the
next deadline (``block_for`` returns 0 and ``idle`` advances the time).
"""
from __future__ import annotations

import time as _time
from typing import Optional


class Clock:
    """The real clock (time.monotonic / time.time)."""

    real = True

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        return _time.monotonic()

    def time(self) -> float:
        """Seconds since the epoch (wall time)."""
        return _time.time()

    def block_for(self, delay: Optional[float]) -> Optional[float]:
        """How long the hub may really block when the next timer is *delay* away."""
        return delay

    def idle(self, delay: Optional[float]) -> None:
        """Told that the hub blocked for ``block_for(delay)`` and nothing happened."""


class ManualClock(Clock):
    """A clock that moves only when told to (``advance``) or when the hub is idle (autojump)."""

    real = False

    def __init__(self, start: float = 1000.0, wall: float = 1_700_000_000.0) -> None:
        self.now = start
        self.wall_offset = wall - start

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now + self.wall_offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by *seconds*."""
        self.now += seconds

    def block_for(self, delay: Optional[float]) -> Optional[float]:
        return None if delay is None else 0.0

    def idle(self, delay: Optional[float]) -> None:
        if delay is not None and delay > 0:
            self.now += delay


CLOCK: Clock = Clock()


def monotonic() -> float:
    """The current clock's monotonic seconds."""
    return CLOCK.monotonic()


def time() -> float:
    """The current clock's wall-clock seconds since the epoch."""
    return CLOCK.time()


def get_clock() -> Clock:
    """The clock in use."""
    return CLOCK


def set_clock(clock: Clock) -> Clock:
    """Install *clock*; return the previous one."""
    global CLOCK
    old = CLOCK
    CLOCK = clock
    return old
