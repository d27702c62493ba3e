"""Net-core test fixtures: a hub for the net core, fd/registration leak checks."""
from __future__ import annotations

import os
import sys
from typing import Any, Iterator

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from polysock.net import sockets
from tests.fakes.helpers import fd_count


def _real_hub() -> Any:
    try:
        from polysock.hub import hub as real
        real.wait_readable  # noqa: B018 - the hub is usable
        return real
    except (ImportError, AttributeError):
        return None


REAL_HUB = _real_hub()


@pytest.fixture(autouse=True)
def net_hub() -> Iterator[Any]:
    """The hub the net core waits on: the real one when present, else the blocking fake."""
    if REAL_HUB is not None:
        h = REAL_HUB
    else:
        from tests.fakes.blocking_hub import hub as h
    old = sockets.use_hub(h)
    yield h
    if old is not None:
        sockets.use_hub(old)


@pytest.fixture()
def no_leaks(net_hub: Any) -> Iterator[None]:
    """Fail if the test leaves fds open or hub registrations behind."""
    before = fd_count()
    yield
    assert net_hub.registrations() == 0
    assert fd_count() <= before + 2


