"""Shared test helpers: condition capture, concurrency, fd counting, cyclic garbage, timing."""
from __future__ import annotations

import contextlib
import gc
import os
import threading
from typing import Any, Callable, Iterator, List

import pytest

from polysock.values.conditions import Condition, SchemeError


def within(elapsed: float, expected: float) -> bool:
    """A wait of *expected* seconds took *elapsed*: never early (beyond clock grain), and
    late by at most half a second plus half the wait, which a loaded machine can cost.
    A test whose wrong outcome is a longer wait makes that wait longer than this bound."""
    return expected - 0.01 <= elapsed <= expected + 0.5 + 0.5 * expected


def cyclic_garbage_kinds(fn: Callable[[], Any]) -> set:
    """The type names of what *fn* leaves for the cycle collector (objects that reference
    counting alone does not free), found with the collector off and DEBUG_SAVEALL."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        fn()
        gc.collect()
        return {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()


def fd_count() -> int:
    """Open fds of this process."""
    return len(os.listdir("/proc/self/fd"))


def condition_of(fn: Callable[[], Any]) -> Condition:
    """Run *fn*, expecting a SchemeError carrying a Condition; return the condition."""
    try:
        fn()
    except SchemeError as e:
        assert isinstance(e.payload, Condition)
        return e.payload
    raise AssertionError("no condition raised")


def _green() -> bool:
    """True when the net core uses the real hub (green threads), not the blocking fake."""
    from polysock.net.sockets import get_hub
    return type(get_hub()).__name__ != "BlockingHub"


def nap(seconds: float) -> None:
    """Sleep without blocking other (green) threads."""
    if _green():
        from polysock.hub import hub
        hub.sleep(seconds)
    else:
        import time
        time.sleep(seconds)


def spawn(fn: Callable[[], Any]) -> Any:
    """Run *fn* concurrently: a green thread with the real hub, an OS thread with the fake."""
    out: List[Any] = []

    def run() -> None:
        try:
            out.append(("ok", fn()))
        except BaseException as e:  # noqa: BLE001 - reported to the joiner
            out.append(("err", e))

    if _green():
        from polysock.hub import scheduler, sync
        from polysock.hub.hub import Timeout
        from polysock.hub.clock import monotonic
        g = scheduler.spawn(run)

        class GreenHandle:
            def join(self, timeout: float = 10.0) -> Any:
                try:
                    sync.join(g, monotonic() + timeout)
                except Timeout:
                    raise AssertionError("thread did not finish") from None
                kind, v = out[0]
                if kind == "err":
                    raise v
                return v

        return GreenHandle()

    t = threading.Thread(target=run, daemon=True)
    t.start()

    class Handle:
        def join(self, timeout: float = 10.0) -> Any:
            t.join(timeout)
            assert not t.is_alive(), "thread did not finish"
            kind, v = out[0]
            if kind == "err":
                raise v
            return v

    return Handle()


@contextlib.contextmanager
def hub_for_net_core() -> Iterator[Any]:
    """Make the net core wait on the real hub (the blocking fake when the hub is absent),
    restoring the previous one afterwards."""
    from polysock.net import sockets
    try:
        from polysock.hub import hub as h
        h.wait_readable  # noqa: B018 - the hub is usable
    except (ImportError, AttributeError):
        from tests.fakes.blocking_hub import hub as h
    old = sockets.use_hub(h)
    try:
        yield h
    finally:
        if old is not None:
            sockets.use_hub(old)



@pytest.fixture(autouse=True)
def net_core_hub() -> Iterator[Any]:
    """Autouse in the test modules that import it: every test runs with the net core on
    the hub (hub_for_net_core)."""
    with hub_for_net_core() as h:
        yield h
