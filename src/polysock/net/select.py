"""select(2) for Scheme: readiness of sockets, fds and ports, parking one green thread.

``select(readers, writers, errors, timeout)`` takes Python lists of *items*: a
CoreSocket, an fd (int >= 0), anything with ``fileno()``, or anything with
``ready()`` (a port: buffered input counts as readable at once, and a port without
an fd is always ready). It returns three lists holding the ready items themselves,
in their input order. ``timeout`` None waits forever; 0 polls.

How it waits: items already ready (buffered ports) make it poll the rest without
waiting. A single fd is waited on directly through the hub (the common case: one
socket plus a timeout). Several fds, or any exceptional-condition set, are polled
by ``select.poll`` in a hub worker thread, in slices of at most ``SLICE`` seconds so a
worker is never held long. If the hub offers ``wait_any(rfds, wfds, deadline)``
it is used instead of the worker.

Raises: "closed" for a closed socket in a set, "range" for a negative fd or
timeout, "socket" (EBADF...) for an fd the kernel rejects.
"""
from __future__ import annotations

import errno as _errno
import select as _select
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..values.conditions import SchemeError, throw
from .errors import closed_condition, os_condition
from .sockets import CoreSocket, get_hub

SLICE = 0.25
_POLLIN = _select.POLLIN | _select.POLLHUP | _select.POLLERR
_POLLOUT = _select.POLLOUT | _select.POLLERR | _select.POLLHUP
_POLLPRI = _select.POLLPRI


def fd_of(who: str, item: Any) -> Optional[int]:
    """The fd behind *item*, or None for an fd-less port."""
    if isinstance(item, CoreSocket):
        if item.sock is None:
            raise SchemeError(closed_condition(who, "select", item))
        return item.fd
    if item.__class__ is int:
        if item < 0:
            throw("range", who, "file descriptor out of range", item, value=item)
        return item
    f = getattr(item, "fileno", None)
    if f is not None:
        try:
            fd = f()
        except SchemeError:
            raise
        except (OSError, ValueError, AttributeError):
            fd = None
        if isinstance(fd, int) and fd >= 0:
            return fd
    return None


def _buffered(item: Any) -> bool:
    """True when *item* is a port whose own buffer makes it ready now."""
    r = getattr(item, "ready", None)
    if r is None or isinstance(item, CoreSocket):
        return False
    try:
        return bool(r())
    except SchemeError:
        return True           # a closed port is "ready": reading it reports the error


def _poll(fds: Dict[int, int], timeout: Optional[float]) -> Dict[int, int]:
    p = _select.poll()
    for fd, mask in fds.items():
        p.register(fd, mask)
    ms = None if timeout is None else max(0, int(timeout * 1000 + 0.999))
    return dict(p.poll(ms))


def select(readers: Sequence[Any], writers: Sequence[Any], errors: Sequence[Any],
           timeout: Optional[float] = None, who: str = "select") -> Tuple[List[Any], List[Any], List[Any]]:
    """Ready subsets of *readers*, *writers*, *errors* (see module docstring)."""
    if timeout is not None and timeout < 0:
        throw("range", who, "timeout out of range", timeout, value=timeout)
    rfd = [(x, fd_of(who, x)) for x in readers]
    wfd = [(x, fd_of(who, x)) for x in writers]
    efd = [(x, fd_of(who, x)) for x in errors]
    pre_r = [x for x, fd in rfd if fd is None or _buffered(x)]
    pre_w = [x for x, fd in wfd if fd is None]
    masks: Dict[int, int] = {}
    for _, fd in rfd:
        if fd is not None:
            masks[fd] = masks.get(fd, 0) | _POLLIN
    for _, fd in wfd:
        if fd is not None:
            masks[fd] = masks.get(fd, 0) | _POLLOUT
    for _, fd in efd:
        if fd is not None:
            masks[fd] = masks.get(fd, 0) | _POLLPRI
    hub = get_hub()
    deadline = None if timeout is None else hub.clock.monotonic() + timeout
    events = _poll(masks, 0) if masks else {}
    if not (events or pre_r or pre_w or timeout == 0):
        events = _wait(who, hub, masks, bool(efd), deadline)
    for fd, ev in events.items():
        if ev & _select.POLLNVAL:
            raise SchemeError(os_condition(who, "select", _errno.EBADF))
    pre_r_ids = {id(x) for x in pre_r}
    pre_w_ids = {id(x) for x in pre_w}
    r = [x for x, fd in rfd if id(x) in pre_r_ids or (fd is not None and events.get(fd, 0) & _POLLIN)]
    w = [x for x, fd in wfd if id(x) in pre_w_ids or (fd is not None and events.get(fd, 0) & _POLLOUT)]
    e = [x for x, fd in efd if fd is not None and events.get(fd, 0) & _POLLPRI]
    return r, w, e


def _wait(who: str, hub: Any, masks: Dict[int, int], exceptional: bool,
          deadline: Optional[float]) -> Dict[int, int]:
    """Park until one of *masks* is ready or *deadline* passes; the poll result."""
    if not masks:
        if deadline is not None:
            sleep = getattr(hub, "sleep_until", None)
            if sleep is not None:
                sleep(deadline)
            else:
                hub.run_in_worker(__import__("time").sleep, max(0.0, deadline - hub.clock.monotonic()))
        return {}
    if len(masks) == 1 and not exceptional:
        (fd, mask), = masks.items()
        if mask in (_POLLIN, _POLLOUT):
            wait = hub.wait_readable if mask == _POLLIN else hub.wait_writable
            try:
                wait(fd, deadline)
            except hub.Timeout:
                return {}
            except hub.Busy:
                pass            # someone else waits on it: fall back to polling below
            except hub.Closed:
                raise SchemeError(closed_condition(who, "select")) from None
            else:
                return _poll(masks, 0)
    wait_any = getattr(hub, "wait_any", None)
    if wait_any is not None and not exceptional:
        rfds = [fd for fd, m in masks.items() if m & _select.POLLIN]
        wfds = [fd for fd, m in masks.items() if m & _select.POLLOUT]
        try:
            wait_any(rfds, wfds, deadline)
        except hub.Timeout:
            return {}
        return _poll(masks, 0)
    while True:
        left = None if deadline is None else deadline - hub.clock.monotonic()
        if left is not None and left <= 0:
            return {}
        piece = SLICE if left is None else min(SLICE, left)
        events = hub.run_in_worker(_poll, masks, piece)
        if events:
            return events  # type: ignore[no-any-return]
