"""Hub tests share one scheduler: each test must leave no registration and no runnable thread."""
from __future__ import annotations

from typing import Iterator

import pytest

from polysock.hub import clock, hub, scheduler


@pytest.fixture(autouse=True)
def clean_hub() -> Iterator[None]:
    """Run the test, let leftover runnable threads finish, check nothing stays registered."""
    old = clock.get_clock()
    yield
    clock.set_clock(old)
    for _ in range(1000):
        if not scheduler.SCHED.runq:
            break
        hub.yield_()
    assert not scheduler.SCHED.runq
    assert hub.registrations() == 0
    assert scheduler.current_thread() is scheduler.SCHED.main
