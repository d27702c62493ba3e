"""A tiny hub with the real hub's interface that blocks the calling OS thread in select().

Used by net tests when polysock.hub is not available. Each wait also watches a private
wake pipe so notify_closing (from another OS thread) wakes the waiter with Closed.
"""
from __future__ import annotations

import os
import select
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Optional, Tuple


class Timeout(Exception):
    """The deadline passed."""


class Closed(Exception):
    """The fd was closed while waited on."""


class Busy(Exception):
    """Another waiter already waits on this fd in this direction."""


class _Clock:
    def monotonic(self) -> float:
        return time.monotonic()


class BlockingHub:
    """wait_readable / wait_writable by select(), one waiter per (fd, direction)."""

    Timeout = Timeout
    Closed = Closed
    Busy = Busy

    def __init__(self) -> None:
        self.clock = _Clock()
        self._lock = threading.Lock()
        self._waiters: Dict[Tuple[int, str], int] = {}   # (fd, dir) -> wake pipe write end
        self._pool: Optional[ThreadPoolExecutor] = None

    def _wait(self, fd: int, direction: str, deadline: Optional[float]) -> None:
        key = (fd, direction)
        r, w = os.pipe()
        with self._lock:
            if key in self._waiters:
                os.close(r)
                os.close(w)
                raise Busy(fd)
            self._waiters[key] = w
        try:
            while True:
                timeout = None if deadline is None else max(0.0, deadline - self.clock.monotonic())
                rl = [fd, r] if direction == "r" else [r]
                wl = [fd] if direction == "w" else []
                try:
                    rr, ww, _ = select.select(rl, wl, [], timeout)
                except (OSError, ValueError):
                    raise Closed(fd)
                if r in rr:
                    raise Closed(fd)
                if rr or ww:
                    return
                if deadline is not None and self.clock.monotonic() >= deadline:
                    raise Timeout(fd)
        finally:
            with self._lock:
                self._waiters.pop(key, None)
            os.close(r)
            os.close(w)

    def alone(self) -> bool:
        """Never: a close from another OS thread must wake a waiter through the pipe."""
        return False

    def spin(self, fd: int, seconds: float) -> bool:
        """Never asked (never alone); would find nothing."""
        return False

    def wait_readable(self, fd: int, deadline: Optional[float] = None) -> None:
        self._wait(fd, "r", deadline)

    def wait_writable(self, fd: int, deadline: Optional[float] = None) -> None:
        self._wait(fd, "w", deadline)

    def notify_closing(self, fd: int) -> None:
        with self._lock:     # waiters close their pipe only after leaving the table
            for (f, _), w in self._waiters.items():
                if f == fd:
                    os.write(w, b"x")

    def run_in_worker(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)

    def registrations(self) -> int:
        with self._lock:
            return len(self._waiters)


hub = BlockingHub()
