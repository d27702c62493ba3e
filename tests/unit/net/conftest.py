"""Net-core test fixtures: a hub for the net core, fd/registration leak checks."""
from __future__ import annotations

import os
import sys
from typing import Any, Iterator

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from tests.fakes.helpers import fd_count, hub_for_net_core


@pytest.fixture(autouse=True)
def net_hub() -> Iterator[Any]:
    """The hub the net core waits on: the real one when present, else the blocking fake."""
    with hub_for_net_core() as h:
        yield h


@pytest.fixture()
def no_leaks(net_hub: Any) -> Iterator[None]:
    """Fail if the test leaves fds open or hub registrations behind."""
    before = fd_count()
    yield
    assert net_hub.registrations() == 0
    assert fd_count() <= before + 2


