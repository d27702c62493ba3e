"""A manual clock: time moves only when a test calls advance()."""
from __future__ import annotations


class ManualClock:
    """monotonic() returns ``now``; ``advance(dt)`` moves it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def advance(self, dt: float) -> None:
        self.now += dt
