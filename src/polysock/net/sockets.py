"""CoreSocket: the one socket object every dialect wraps.

Theory of operation
-------------------
Every OS socket is non-blocking from birth. A *blocking* Scheme-level operation is
run by ``CoreSocket._call``: try the system call; if the kernel says it would block
(``BlockingIOError``: EAGAIN/EWOULDBLOCK), park the current green thread on the hub
until the fd is ready or the deadline passes, then try again. This try-first rule
keeps the fast path a plain system call (DESIGN.md §5: waiting only on EAGAIN is what
lets a green-thread hub keep blocking-socket throughput).

Reads adapt: in request/response traffic the answer is rarely there yet when the
reader asks, and try, fail (an exception), wait, retry costs three system calls where
wait, then read costs two. So once a read on a socket has had to wait, its next
``POLL_FIRST`` reads wait first (``read_waited`` counts them down); the read after
those tries first again, so a stream whose data has started arriving ahead of the
reader goes back to one system call per read.

The hot paths (``recv``, ``send_all``, ``accept``) are written out without the
``_call`` closure: one attribute test for "closed", one system call, and the general
loop only when the kernel says it would block.

A lone green thread waits inside the system call. When the hub says nobody else can
run before this socket is ready (``hub.alone()``: empty run queue, no other waiter,
timer or worker job), a read or accept with no deadline makes the socket blocking for
the call (``_block_alone``) instead of polling and then reading: on a 2-vCPU
machine the wake-up through ``poll(2)`` plus the second system call cost a unix-socket
ping-pong about half its rate. The call must stay interruptible (Ctrl-C arrives as an
async exception that Python only raises between bytecodes, and CPython retries EINTR
outside the main thread), so for the call SO_RCVTIMEO is ``LONE_SLICE``: the kernel
returns EAGAIN every slice, the loop runs a bytecode, and a pending interrupt or a
close from another OS thread is seen. The slice stays set (``sliced``; setting
SO_RCVTIMEO costs 2 µs): a non-blocking socket ignores it, and ``get_option`` reports
the 0 the program set or found. A listener is sliced before ``listen`` so that every
connection the kernel clones from it inherits the slice and its accepted sockets
start sliced. The path is skipped when the socket has a receive timeout: the kernel's
SO_RCVTIMEO is then the user's (``set_option`` clears ``sliced``). A call's own timeout
(CHICKEN's default receive timeout is a minute) does not keep a read off this path when
it is at least a slice on the real clock: the deadline is checked between slices, and
the last slice is cut to what is left of it (``sliced`` is then CUT, and the next
lone read sets the slice again).

Before it blocks, a lone read spins (``LONE_SPIN``, ``_spin``): it busy-polls the fd
for up to 100 µs; so does a lone read with a deadline before it polls. In
request/response traffic the answer usually comes within that (a short-connection
client's close, socket and connect take 50-100 µs between two accepts: 50 µs left
Guile's accept pair at 4.7-7.4k conn/s, 100 µs gave 6.6-9.0k), and a
process that blocks hands its CPU to idle: on a virtual machine waking an idle vCPU
costs tens of microseconds per hop, several times the work of a round trip (a 64-byte
UDP ping-pong between two blocking CPython processes: about 10k round trips/s here,
over 100k when either keeps polling). The spin adapts: after k spins in a row ended
without data, the socket's next 2**k lone reads (at most 64, ``SPIN_BACKOFF_LOG``)
block at once (``spin`` < 0 counts them), so a socket whose peer is slow or idle
spins on one read in 64 and costs next to no CPU, while one late answer among quick
ones costs a single read its spin. A lone ``recv_into`` that fills a buffer of at
least ``BULK_READ`` bytes (bulk data: more is queued behind it) lets the next read skip
its spin, one poll(2) fewer per buffer; a smaller full buffer is a request/response
message read to its size (a 64-byte ping-pong into a 64-byte bytevector) and keeps
the spin.
With one CPU there is nobody to answer during a spin, and ``POLYSOCK_SPIN_US=0`` turns
it off.

A TCP send larger than ``SEND_PIECE`` (32 KiB) goes to the kernel in pieces of that
size, one system call each (``send``, ``send_all``; the socket's ``send_piece``, 0 for
every other kind of socket). Linux's TCP sends what one call queued when the call ends,
so a 64 KiB call keeps the receiving side idle until the whole 64 KiB is copied; in
pieces the receiver copies one while the sender copies the next. Over loopback here a
1 GiB transfer in 64 KiB calls went from about 2,000 to 3,400-4,000 MB/s against the
same polysock receiver (2,100 to 2,400 against CPython's), measured from a plain Python
client with each size. Unix-domain stream sockets queue each kernel buffer as it
fills, so they are left whole. ``send`` sends the first piece as it would the whole
buffer (waiting if it must) and the rest only while the kernel takes them at once, so
it still returns after one wait at most with the count sent; ``send_all`` sends every
piece. A send with MSG_OOB stays whole: urgent data marks the last byte of each call.

The socket is left blocking afterwards (``blocking``), because switching the mode
back costs an ioctl on the critical path of every round trip, right after the answer
arrives. A socket left blocking keeps every other operation non-blocking as follows:
the next lone read or accept is the blocking call itself; sends on the fast paths
pass MSG_DONTWAIT, which makes the one call non-blocking whatever the mode; anything
else (the general ``_call`` loop, accept's try-first, connect, a read that is not
alone, handing out the fd) first switches the socket back (``_nonblocking``). An
accepted socket starts blocking — accept(2) returns one, and whichever use comes
first either keeps it so or pays the one ioctl then.

``connect`` is the one special case: a non-blocking connect answers EINPROGRESS;
the connection completes in the background and the fd turns writable when it has
succeeded or failed, after which SO_ERROR holds the outcome (0 or the errno).
Over loopback the handshake has already finished when connect returns EINPROGRESS,
so ``getpeername`` is asked first: success means connected, without waiting.
An EINTR from connect likewise means "still in progress" (POSIX), so it is handled
the same way rather than retried (a retried connect would report EALREADY).

OS facts relied on, with the reason:
* EINTR: CPython retries interrupted calls itself (PEP 475) unless a signal handler
  raises, in which case the handler's exception propagates — we let it.
  ``InterruptedError`` reaching us is retried anyway.
* SIGPIPE is ignored process-wide (set below, as CPython's startup already does),
  so writing to a closed peer is EPIPE -> a "socket" condition, never a signal death.
* Closing an fd that another thread is parked on is undefined for select/epoll
  (the fd number may be reused at once). So ``close`` first tells the hub
  (``notify_closing``), which wakes every waiter on the fd with ``Closed``, and only
  then closes the fd. Waiters see a "closed" condition.
* ``fileno()`` of a closed Python socket is -1; we never hand that out: a closed
  CoreSocket has ``sock is None`` and every operation raises "closed".
* Non-blocking sockets ignore SO_RCVTIMEO/SO_SNDTIMEO; setting those options through
  ``set_option`` also sets this socket's recv/send deadlines so they keep meaning.
* Linux stores the listen backlog in 16 bits; ``listen`` clamps to [0, 65535].

Invariants:
* every raise out of this module is ``SchemeError(Condition)`` (net/errors.py);
* a CoreSocket holds at most one fd; ``close`` is idempotent;
* per-operation timeouts (seconds or None) live in ``timeouts`` under "connect",
  "accept", "recv", "send"; a call may override with ``timeout=``.

Raises (all methods): "closed" on a closed socket or when closed while waiting;
"timeout" when a deadline expires; "socket" (errno, call, address) for OS errors;
"range" for bad sizes/offsets/values; "unsupported" for unknown options.
"""
from __future__ import annotations

import errno as _errno
import select as _select
import signal
import sys as _sys
import socket as _socket
from functools import partial as _partial
from typing import Any, Callable, Dict, Optional, Tuple, Union

from ..values.conditions import SchemeError, make_condition, throw
from . import errors, options
from .address import SockAddr, from_python
from .constants import AF_UNIX, CONSTANTS, SOCK_STREAM, name_of
from .errors import VALUE_ERRORS, closed_condition, raise_os_error, timeout_condition
from .options import Option, by_number, lookup

try:  # only the main thread may set signal handlers; CPython already ignores SIGPIPE
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
except (ValueError, AttributeError, OSError):  # pragma: no cover
    pass

MSG_WAITALL = CONSTANTS.get("MSG_WAITALL", 0)
MSG_PEEK = CONSTANTS.get("MSG_PEEK", 0)
_DONTWAIT = int(getattr(_socket, "MSG_DONTWAIT", 0))   # int: an IntFlag operand costs ~2 µs an op
BACKLOG_MAX = 0xFFFF
RECV_CHUNK = 65536
# accept errors that concern only one pending connection: skip it, keep accepting.
ACCEPT_TRANSIENT = frozenset({_errno.ECONNABORTED, _errno.EPROTO, _errno.EPERM})

Buffer = Union[bytes, bytearray, memoryview]

POLL_FIRST = 32          # reads that wait before trying, after one had to wait
BULK_READ = 1 << 15       # a full lone read at least this long skips the next read's spin
RECV_FRESH_MAX = 1 << 18  # recv_bytearray's largest zero-filled buffer (larger: recv's)
SEND_PIECE = 1 << 15      # a TCP send larger than this goes in pieces this long (see Theory)
_OOB = int(getattr(_socket, "MSG_OOB", 0))
_TCP_FAMILIES = frozenset(int(f) for f in (_socket.AF_INET, getattr(_socket, "AF_INET6", -1)))
LONE_SLICE = 0.05        # SO_RCVTIMEO of a lone thread's blocking read (see Theory)
CUT = 2                  # CoreSocket.sliced: the slice was cut short for a deadline
SPIN_BACKOFF_LOG = 6     # after k spins in a row found nothing, 2**k (at most 64)
                         # lone reads block at once


def _lone_spin() -> float:
    """Seconds a lone read busy-polls before blocking: POLYSOCK_SPIN_US, 100 µs by
    default, 0 with a single CPU (see Theory)."""
    import os
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):   # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    try:
        us = float(os.environ.get("POLYSOCK_SPIN_US", "100" if cpus > 1 else "0"))
    except ValueError:
        us = 100.0 if cpus > 1 else 0.0
    return max(0.0, us) / 1e6


LONE_SPIN = _lone_spin()
try:
    _RCVTIMEO = (_socket.SOL_SOCKET, _socket.SO_RCVTIMEO)
    _SLICE_TV = options.CODECS["timeval"].encode("recv", LONE_SLICE)
    _ZERO_TV = options.CODECS["timeval"].encode("recv", 0)
except AttributeError:   # pragma: no cover - no SO_RCVTIMEO: lone reads poll like the rest
    _RCVTIMEO = None
SOCK_NONBLOCK = getattr(_socket, "SOCK_NONBLOCK", 0)
# Linux's accept(2) returns a blocking socket whatever the listener's mode (BSDs copy it).
_ACCEPTED_BLOCKING = _sys.platform.startswith("linux")
# The C-level members give plain ints; socket.socket's properties build an enum each time.
_FAMILY_OF = _socket.SocketType.family.__get__   # SocketType is the C base class
_TYPE_OF = _socket.SocketType.type.__get__
# The C socket class, not socket.socket: the Python subclass adds only what the core
# never uses (makefile, sendfile, enum-valued family/type) and costs three Python calls
# per connection (__init__, close, _real_close).
_CSocket = _socket.SocketType

# ---------------------------------------------------------------------------
# The hub seam. The real hub is imported on first use; tests may install another
# object with the same interface (alone, spin, wait_readable, wait_writable, notify_closing,
# run_in_worker, registrations, clock, Timeout, Closed, Busy).

_HUB: Any = None


def use_hub(h: Any) -> Any:
    """Install *h* as the hub the net core waits on; return the previous one."""
    global _HUB
    old = _HUB
    _HUB = h
    errors.HUB_KINDS.clear()
    errors.HUB_KINDS.update({h.Timeout: "timeout", h.Closed: "closed", h.Busy: "busy"})
    return old


def get_hub() -> Any:
    """The hub in use (the real ``polysock.hub.hub`` unless a test installed another)."""
    if _HUB is None:
        from ..hub import hub as real_hub
        use_hub(real_hub)
    return _HUB


def deadline_of(timeout: Optional[float]) -> Optional[float]:
    """Absolute hub-clock deadline *timeout* seconds from now (None = no deadline)."""
    return None if timeout is None else get_hub().clock.monotonic() + timeout


_UNSET: Any = object()


def _check_span(who: str, size: int, start: int, end: Optional[int]) -> int:
    """Validated end of [start, end) within a buffer of *size*; raises range."""
    if end is None:
        end = size
    if not 0 <= start <= size:
        throw("range", who, "start index out of range", start, value=start)
    if not start <= end <= size:
        throw("range", who, "end index out of range", end, value=end)
    return end


import weakref as _weakref

# fd -> weak reference to its CoreSocket, for the REPL's ,sockets. A dict store of a
# weakref is C work; a WeakSet's add is a Python call per socket. A socket collected
# without close leaves a dead reference until its fd is reused.
_OPEN: "Dict[int, _weakref.ReferenceType[CoreSocket]]" = {}
_ref = _weakref.ref


def open_sockets() -> list:
    """Every CoreSocket not yet closed (for the REPL's ,sockets)."""
    live = (r() for r in list(_OPEN.values()))
    return [s for s in live if s is not None and s.sock is not None]


class CoreSocket:
    """A non-blocking OS socket whose blocking operations park only the calling green thread."""

    __slots__ = ("sock", "fd", "family", "type", "proto", "timeouts", "owner", "read_waited",
                 "last_peer", "sliced", "blocking", "spin", "spin_misses", "send_piece",
                 "__weakref__")

    def __init__(self, sock: _socket.socket, nonblocking: bool = False, blocking: bool = False) -> None:
        if not (nonblocking or blocking):   # nonblocking: created with SOCK_NONBLOCK
            sock.setblocking(False)
        self.sock: Optional[_socket.socket] = sock
        self.fd: int = sock.fileno()
        self.family: int = _FAMILY_OF(sock)
        self.type: int = _TYPE_OF(sock)
        self.proto: int = sock.proto
        self.timeouts: Dict[str, Optional[float]] = {"connect": None, "accept": None,
                                                     "recv": None, "send": None}
        self.owner: Any = None          # weakref to the dialect object wrapping this socket
        self.read_waited = 0            # reads left that wait before trying (see Theory)
        self.last_peer: Any = None      # (Python address, SockAddr) of the last datagram's sender
        self.sliced: Any = False        # True: the kernel's SO_RCVTIMEO is LONE_SLICE;
                                        # CUT: ours, cut shorter for a deadline (see Theory)
        self.blocking = blocking        # the OS socket is blocking, left so by a lone read
        self.spin = 0                   # >= 0: a lone read spins first; < 0: blocks (see Theory)
        self.spin_misses = 0            # spins in a row that found nothing
        # a send longer than this goes in pieces (TCP only: see Theory); 0: whole
        self.send_piece = SEND_PIECE if self.type == SOCK_STREAM and self.family in _TCP_FAMILIES else 0
        _OPEN[self.fd] = _ref(self)

    # -- construction -----------------------------------------------------

    @classmethod
    def open(cls, family: int, type: int, proto: int = 0, who: str = "socket") -> "CoreSocket":
        """A new socket (socket(2)); raises socket/unsupported/range."""
        try:
            if SOCK_NONBLOCK and type.__class__ is int and 0 < type < SOCK_NONBLOCK:
                return cls(_CSocket(family, type | SOCK_NONBLOCK, proto), True)
            return cls(_CSocket(family, type, proto))
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "socket", e)

    @classmethod
    def pair(cls, family: int = AF_UNIX or 1, type: int = SOCK_STREAM, proto: int = 0,
             who: str = "socketpair") -> Tuple["CoreSocket", "CoreSocket"]:
        """Two connected sockets (socketpair(2)); a Python pair, not a Scheme value."""
        try:
            a, b = _socket.socketpair(family, type, proto)
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "socketpair", e)
        return cls(a), cls(b)

    @classmethod
    def adopt(cls, fd: int, who: str = "fdes->socket") -> "CoreSocket":
        """Wrap an existing socket fd (family/type read from the kernel)."""
        try:
            return cls(_CSocket(fileno=fd))
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "getsockopt", e)

    # -- state ------------------------------------------------------------

    def __repr__(self) -> str:
        fam = (name_of("AF_", self.family) or "AF_" + str(self.family))[3:].lower()
        if self.sock is None:
            return f"#<socket closed {fam}>"
        return f"#<socket fd:{self.fd} {fam}>"

    @property
    def closed(self) -> bool:
        return self.sock is None

    def _live(self, who: str, call: str) -> _socket.socket:
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, call, self))
        return s

    def _nb(self, who: str, call: str) -> _socket.socket:
        """The live socket, non-blocking for a call that must not block (see Theory)."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, call, self))
        if self.blocking:
            self._nonblocking(s)
        return s

    def _nonblocking(self, s: _socket.socket) -> None:
        """Switch a socket left blocking by a lone read back to non-blocking."""
        s.settimeout(0.0)
        self.blocking = False

    def fileno(self, who: str = "socket-fileno") -> int:
        """The fd, non-blocking as a socket's fd always is to its users; raises closed
        (never returns -1)."""
        self._nb(who, "fileno")
        return self.fd

    def set_timeout(self, op: str, seconds: Optional[float]) -> None:
        """Set the default timeout of *op* ("connect", "accept", "recv", "send", or "all")."""
        for k in (self.timeouts if op == "all" else (op,)):
            self.timeouts[k] = seconds

    # -- the one try-then-wait helper --------------------------------------

    def _call(self, who: str, call: str, op: Callable[[], Any], write: bool,
              timeout: Optional[float], address: Any = None, deadline: Any = _UNSET) -> Any:
        """Run *op* until it does not block; wait on the hub between tries.

        A read on a socket whose reads have been waiting waits first (see Theory of
        operation). *deadline*, when given, is the absolute deadline already running
        for this operation (a caller that waited before calling)."""
        hub = _HUB if _HUB is not None else get_hub()
        if deadline is _UNSET:
            deadline = None if timeout is None else hub.clock.monotonic() + timeout
        if self.blocking and self.sock is not None:
            if not write and deadline is None and self._may_block(hub):
                if self.read_waited:
                    self.read_waited -= 1
                return self._block_alone(who, call, op, address)
            self._nonblocking(self.sock)
        if not write and self.read_waited:
            self.read_waited -= 1
            if self.sock is not None:
                if deadline is None and self._may_block(hub):
                    return self._block_alone(who, call, op, address)
                if LONE_SPIN and hub.alone():
                    self._spin(hub)
                self._wait(hub, who, call, write, deadline, timeout, address)
        while True:
            if self.sock is None:
                raise SchemeError(closed_condition(who, call, self))
            try:
                return op()
            except (BlockingIOError, InterruptedError):
                pass
            except (OSError, *VALUE_ERRORS) as e:
                raise_os_error(who, call, e, address, self)
            if not write:
                self.read_waited = POLL_FIRST
                if deadline is None and self._may_block(hub):
                    return self._block_alone(who, call, op, address)
                if LONE_SPIN and hub.alone():
                    self._spin(hub)
            self._wait(hub, who, call, write, deadline, timeout, address)

    def _may_block(self, hub: Any, timeout: Any = _UNSET) -> bool:
        """True when a read may block in the system call (see Theory): the thread is
        alone (which needs the real clock), the socket has no receive timeout of its
        own, and the call's *timeout* (_UNSET or None: none) is at least a slice."""
        return (_RCVTIMEO is not None and self.timeouts["recv"] is None  # type: ignore[no-any-return]
                and (timeout is _UNSET or timeout is None or timeout >= LONE_SLICE)
                and hub.alone())

    def _block_alone(self, who: str, call: str, op: Callable[..., Any], address: Any, *args: Any,
                     timeout: Any = None) -> Any:
        """Run the read or accept ``op(*args)`` blocking, in LONE_SLICE slices, and leave
        the socket blocking (see Theory). A *timeout* (seconds; None or _UNSET: none) is
        checked between slices; the last slice is cut to what is left of it."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, call, self))
        deadline = None if timeout is None or timeout is _UNSET else _HUB.clock.monotonic() + timeout
        if not (self.blocking and self.sliced is True):
            try:
                if self.sliced is not True:
                    s.setsockopt(*_RCVTIMEO, _SLICE_TV)  # type: ignore[misc]
                    self.sliced = True
                if not self.blocking:
                    s.settimeout(None)
                    self.blocking = True
            except OSError as e:
                raise_os_error(who, "setsockopt", e, address, self)
        if LONE_SPIN:
            self._spin(_HUB)
        while True:
            try:
                return op(*args)
            except (BlockingIOError, InterruptedError):
                pass              # a slice passed: a pending interrupt is raised here
            except (OSError, *VALUE_ERRORS) as e:
                if self.sock is None:   # closed by another OS thread
                    break
                raise_os_error(who, call, e, address, self)
            if self.sock is None:
                break
            if deadline is not None:
                left = deadline - _HUB.clock.monotonic()
                if left <= 0:
                    raise SchemeError(timeout_condition(who, call, timeout, self, address))
                if left < LONE_SLICE:   # the kernel's slice is set again by the next call
                    self._slice(s, who, address, left)
        raise SchemeError(closed_condition(who, call, self))

    def _slice(self, s: _socket.socket, who: str, address: Any, seconds: float) -> None:
        """Cut a lone read's kernel timeout to *seconds* (the end of its deadline)."""
        self.sliced = CUT           # still ours: get_option reports the program's 0
        try:
            s.setsockopt(*_RCVTIMEO, options.CODECS["timeval"].encode("recv", max(seconds, 0.001)))  # type: ignore[misc]
        except OSError as e:
            raise_os_error(who, "setsockopt", e, address, self)

    def _spin(self, hub: Any) -> None:
        """A lone read's spin before it blocks or polls, and its backoff (see Theory)."""
        if self.spin < 0:
            self.spin += 1
            return
        try:
            found = hub.spin(self.fd, LONE_SPIN)
        except (OSError, ValueError):
            return                    # the wait or the call that follows reports it
        if found:
            self.spin_misses = 0
        else:
            m = self.spin_misses = min(self.spin_misses + 1, SPIN_BACKOFF_LOG)
            self.spin = -(1 << m)

    def _wait(self, hub: Any, who: str, call: str, write: bool, deadline: Optional[float],
              timeout: Optional[float], address: Any) -> None:
        """Park until the fd is ready; hub exceptions become this socket's conditions."""
        try:
            (hub.wait_writable if write else hub.wait_readable)(self.fd, deadline)
        except hub.Timeout:
            raise SchemeError(timeout_condition(who, call, timeout, self, address)) from None
        except hub.Closed:
            raise SchemeError(closed_condition(who, call, self)) from None
        except hub.Busy:
            raise SchemeError(make_condition(
                "socket", who, "another thread is already waiting on this socket", self,
                call=call, errno=_errno.EBUSY, errno_name="EBUSY", socket=self,
                strerror="Device or resource busy")) from None
        except (OSError, ValueError) as e:     # the hub rejected the fd (closed underneath)
            raise_os_error(who, call, e, address, self)

    def _timeout(self, op: str, timeout: Any) -> Optional[float]:
        return self.timeouts[op] if timeout is _UNSET else timeout

    # -- connection setup -------------------------------------------------

    def bind(self, addr: SockAddr, who: str = "bind") -> None:
        """bind(2) to *addr*."""
        s = self._live(who, "bind")
        try:
            s.bind(addr.to_python())
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "bind", e, addr, self)

    def listen(self, backlog: int = 128, who: str = "listen") -> None:
        """listen(2); backlog clamped to [0, 65535]."""
        s = self._live(who, "listen")
        try:
            if not self.sliced and _RCVTIMEO is not None and self.timeouts["recv"] is None:
                s.setsockopt(*_RCVTIMEO, _SLICE_TV)   # before any clone (see Theory)
                self.sliced = True
            s.listen(max(0, min(backlog, BACKLOG_MAX)))
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "listen", e, None, self)

    def connect(self, addr: SockAddr, who: str = "connect", timeout: Any = _UNSET) -> None:
        """connect(2), waiting for completion (see Theory of operation)."""
        s = self._nb(who, "connect")
        try:                 # connect_ex: an errno, not an exception object, for EINPROGRESS
            code = s.connect_ex(addr.to_python())
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "connect", e, addr, self)
        if code == 0:
            return
        if code != _errno.EINPROGRESS and code != _errno.EINTR:   # EAGAIN: unix backlog full
            raise SchemeError(errors.os_condition(who, "connect", code, addr, self))
        try:                 # loopback finishes the handshake inside connect(2): one
            s.getpeername()  # system call tells, where waiting + SO_ERROR take two
            return
        except OSError:      # ENOTCONN: in progress, or failed (SO_ERROR says which)
            pass
        t = self._timeout("connect", timeout)
        hub = get_hub()
        self._wait(hub, who, "connect", True, None if t is None else hub.clock.monotonic() + t, t, addr)
        s = self._live(who, "connect")
        code = s.getsockopt(_socket.SOL_SOCKET, _socket.SO_ERROR)
        if code:
            raise SchemeError(errors.os_condition(who, "connect", code, addr, self))

    def connect_nowait(self, addr: SockAddr, who: str = "connect") -> bool:
        """Start a connect; True if it completed, False if in progress (non-blocking dialects)."""
        s = self._nb(who, "connect")
        try:
            s.connect(addr.to_python())
            return True
        except (BlockingIOError, InterruptedError) as e:
            if e.errno in (_errno.EINPROGRESS, _errno.EINTR):
                return False
            raise_os_error(who, "connect", e, addr, self)
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "connect", e, addr, self)

    def accept(self, who: str = "accept", timeout: Any = _UNSET) -> Tuple["CoreSocket", SockAddr]:
        """accept(2): a new CoreSocket and the peer's address (Python pair)."""
        conn, addr = self._accept(who, timeout)
        return conn, from_python(self.family, addr)

    def accept_socket(self, who: str = "accept", timeout: Any = _UNSET) -> "CoreSocket":
        """accept(2) when the caller has no use for the peer's address: the new CoreSocket."""
        return self._accept(who, timeout)[0]

    def _accept(self, who: str, timeout: Any) -> Tuple["CoreSocket", Any]:
        """The accepted CoreSocket and the peer as Python's socket module gives it."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "accept", self))
        fd, addr = -1, None
        try:
            if not (self.read_waited or self.blocking):  # else _call waits or blocks first
                fd, addr = s._accept()    # type: ignore[attr-defined]
        except (BlockingIOError, InterruptedError):
            fd = -1
        except (OSError, *VALUE_ERRORS) as e:
            if getattr(e, "errno", None) not in ACCEPT_TRANSIENT:
                raise_os_error(who, "accept", e, None, self)
            fd = -1
        if fd < 0:
            t = self.timeouts["accept"] if timeout is _UNSET else timeout
            while True:
                try:
                    fd, addr = self._call(who, "accept", s._accept, False, t)  # type: ignore[attr-defined]
                    break
                except SchemeError as e:
                    if getattr(e.payload, "data", {}).get("errno") in ACCEPT_TRANSIENT:
                        continue
                    raise
        return self._adopt_accepted(fd), addr

    def _adopt_accepted(self, fd: int) -> "CoreSocket":
        """A CoreSocket for an fd accept(2) returned on this listening socket."""
        try:
            conn = CoreSocket(_CSocket(self.family, self.type, self.proto, fileno=fd),
                              blocking=_ACCEPTED_BLOCKING)
            conn.sliced = self.sliced     # cloned from a listener sliced before listen(2)
            return conn
        except (OSError, *VALUE_ERRORS) as e:
            import os as _os
            _os.close(fd)
            raise_os_error("accept", "accept", e, None, self)

    def accept_nowait(self, who: str = "accept") -> Optional[Tuple["CoreSocket", SockAddr]]:
        """accept(2) without waiting: None when nothing is pending."""
        s = self._nb(who, "accept")
        try:
            fd, addr = s._accept()    # type: ignore[attr-defined]
        except (BlockingIOError, InterruptedError):
            return None
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "accept", e, None, self)
        return self._adopt_accepted(fd), from_python(self.family, addr)

    # -- data transfer ----------------------------------------------------

    def recv(self, n: int, flags: int = 0, who: str = "recv", timeout: Any = _UNSET) -> bytes:
        """Up to *n* bytes (b"" = end of stream); MSG_WAITALL waits for *n* or EOF."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "recv", self))
        if n < 0:
            throw("range", who, "size out of range", n, value=n)
        if flags & MSG_WAITALL and n > 0:
            buf = bytearray(n)
            got = self.recv_into(buf, 0, n, flags, who, timeout)
            return bytes(buf[:got])
        if self.blocking:          # left blocking by a lone read (see Theory)
            if self._may_block(_HUB if _HUB is not None else get_hub(), timeout):
                if self.read_waited:   # blocking in recv(2) is a read that waited first
                    self.read_waited -= 1
                return self._block_alone(who, "recv", s.recv, None, n, flags, timeout=timeout)  # type: ignore[no-any-return]
            self._nonblocking(s)
        if not self.read_waited:   # else reads have been waiting: wait first
            try:                   # one recv(2), no closures: the data is usually there
                return s.recv(n, flags)
            except (BlockingIOError, InterruptedError):
                self.read_waited = POLL_FIRST
            except (OSError, *VALUE_ERRORS) as e:
                raise_os_error(who, "recv", e, None, self)
        if self._may_block(_HUB if _HUB is not None else get_hub(), timeout):
            self.read_waited -= 1  # the lone thread's wait, without _call's closure
            return self._block_alone(who, "recv", s.recv, None, n, flags, timeout=timeout)  # type: ignore[no-any-return]
        return self._call(who, "recv", _partial(s.recv, n, flags), False,  # type: ignore[no-any-return]
                          self._timeout("recv", timeout))

    def recv_bytearray(self, n: int, flags: int = 0, who: str = "recv",
                       timeout: Any = _UNSET) -> bytearray:
        """Up to *n* bytes as a new bytearray, received into it: one 64 KiB copy fewer
        than ``bytearray(recv(n))``. Past RECV_FRESH_MAX the buffer is recv's, whose
        pages the kernel commits only as they are written."""
        if n < 0 or n > RECV_FRESH_MAX:
            return bytearray(self.recv(n, flags, who, timeout))
        buf = bytearray(n)
        got = self.recv_into(buf, 0, None, flags, who, timeout)
        if got < n:
            del buf[got:]
        return buf

    def recv_into(self, buf: Any, start: int = 0, end: Optional[int] = None, flags: int = 0,
                  who: str = "recv!", timeout: Any = _UNSET) -> int:
        """Read into buf[start:end]; returns the count (0 = EOF). MSG_WAITALL fills or hits EOF."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "recv", self))
        if start or end is not None:
            end = _check_span(who, len(buf), start, end)
        if flags & MSG_WAITALL:
            view = memoryview(buf)
            if end is None:
                end = len(view)
            fl = flags & ~MSG_WAITALL
            pos = start
            deadline_t = self._timeout("recv", timeout)
            while pos < end:
                got = self._call(who, "recv", _partial(s.recv_into, view[pos:end], 0, fl), False, deadline_t)
                if got == 0:
                    break
                pos += got
            return pos - start
        # The paths of recv, without its closure where no wait is needed; the whole
        # buffer (the usual call) is passed as it is.
        into = buf if end is None else memoryview(buf)[start:end]
        if self.blocking:          # left blocking by a lone read (see Theory)
            if self._may_block(_HUB if _HUB is not None else get_hub(), timeout):
                if self.read_waited:
                    self.read_waited -= 1
                got = self._block_alone(who, "recv", s.recv_into, None, into, 0, flags, timeout=timeout)
                if got == len(into) >= BULK_READ and not self.spin:
                    self.spin = -1     # a full large buffer: bulk data, the next read skips its spin
                return got  # type: ignore[no-any-return]
            self._nonblocking(s)
        if not self.read_waited:
            try:
                return s.recv_into(into, 0, flags)
            except (BlockingIOError, InterruptedError):
                self.read_waited = POLL_FIRST
            except (OSError, *VALUE_ERRORS) as e:
                raise_os_error(who, "recv", e, None, self)
        if self._may_block(_HUB if _HUB is not None else get_hub(), timeout):
            self.read_waited -= 1
            return self._block_alone(who, "recv", s.recv_into, None, into, 0, flags, timeout=timeout)  # type: ignore[no-any-return]
        return self._call(who, "recv", _partial(s.recv_into, into, 0, flags), False,  # type: ignore[no-any-return]
                          self._timeout("recv", timeout))

    def recvfrom(self, n: int, flags: int = 0, who: str = "recvfrom",
                 timeout: Any = _UNSET) -> Tuple[bytes, Optional[SockAddr]]:
        """One datagram (truncated to *n*) and its sender (unnamed unix: empty path)."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "recvfrom", self))
        if n < 0:
            throw("range", who, "size out of range", n, value=n)
        if self.read_waited or self.blocking:   # as in recv: wait or block first
            if self._may_block(_HUB if _HUB is not None else get_hub(), timeout):
                if self.read_waited:
                    self.read_waited -= 1
                data, addr = self._block_alone(who, "recvfrom", s.recvfrom, None, n, flags, timeout=timeout)
            else:
                data, addr = self._call(who, "recvfrom", _partial(s.recvfrom, n, flags), False,
                                        self._timeout("recv", timeout))
            return data, self._peer(addr)
        try:
            data, addr = s.recvfrom(n, flags)
        except (BlockingIOError, InterruptedError):
            self.read_waited = POLL_FIRST
            data, addr = self._call(who, "recvfrom", _partial(s.recvfrom, n, flags), False,
                                    self._timeout("recv", timeout))
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "recvfrom", e, None, self)
        return data, self._peer(addr)

    def recvfrom_into(self, buf: Any, start: int = 0, end: Optional[int] = None, flags: int = 0,
                      who: str = "recvfrom!", timeout: Any = _UNSET) -> Tuple[int, Optional[SockAddr]]:
        """Like recvfrom into buf[start:end]; returns (count, sender)."""
        s = self._live(who, "recvfrom")
        end = _check_span(who, len(buf), start, end)
        view = memoryview(buf)
        n, addr = self._call(who, "recvfrom", _partial(s.recvfrom_into, view[start:end], 0, flags),
                             False, self._timeout("recv", timeout))
        return n, self._peer(addr)

    def _peer(self, addr: Any) -> Optional[SockAddr]:
        """The SockAddr of a Python address; the last sender's is reused (datagram replies)."""
        if addr is None:
            return None
        last = self.last_peer
        if last is not None and last[0] == addr:
            return last[1]         # type: ignore[no-any-return]
        sa = from_python(self.family, addr)
        self.last_peer = (addr, sa)
        return sa

    def send(self, data: Buffer, start: int = 0, end: Optional[int] = None, flags: int = 0,
             who: str = "send", timeout: Any = _UNSET) -> int:
        """send(2) of data[start:end], waiting until at least one byte goes; returns the count."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "send", self))
        if start or end is not None:
            end = _check_span(who, len(data), start, end)
            view: Buffer = memoryview(data)[start:end]
        else:                      # the whole buffer (the usual call): no view
            view = data
        piece = self.send_piece
        if piece and len(view) > piece and not flags & _OOB:
            return self._send_pieces(s, memoryview(view), flags, who, timeout)
        try:                       # one try that cannot block, whatever the socket's mode
            return s.send(view, flags | _DONTWAIT)  # type: ignore[no-any-return]
        except (BlockingIOError, InterruptedError):
            pass
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "send", e, None, self)
        return self._call(who, "send", _partial(s.send, view, flags), True,  # type: ignore[no-any-return]
                          self._timeout("send", timeout))

    def _send_pieces(self, s: _socket.socket, view: memoryview, flags: int, who: str,
                     timeout: Any) -> int:
        """``send`` of a buffer longer than ``send_piece``: the first piece as a whole
        buffer would go, then more while the kernel takes them at once (see Theory)."""
        piece = self.send_piece
        n = len(view)
        f = flags | _DONTWAIT
        try:
            pos = s.send(view[:piece], f)
        except (BlockingIOError, InterruptedError):
            pos = self._call(who, "send", _partial(s.send, view[:piece], flags), True,
                             self._timeout("send", timeout))
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "send", e, None, self)
        try:
            while pos < n:
                w = s.send(view[pos:pos + piece], f)
                pos += w
                if w < piece:      # the kernel's buffer is full: return what went
                    break
        except (BlockingIOError, InterruptedError):
            pass
        except (OSError, *VALUE_ERRORS):
            pass                   # bytes went already: the next call reports the error
        return pos  # type: ignore[no-any-return]

    def send_all(self, data: Buffer, start: int = 0, end: Optional[int] = None, flags: int = 0,
                 who: str = "send", timeout: Any = _UNSET) -> int:
        """Send every byte of data[start:end]; returns the count. The timeout applies per wait."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "send", self))
        piece = 0 if flags & _OOB else self.send_piece   # urgent data marks a call's last byte
        if start == 0 and end is None:   # the whole buffer: no span check, no view
            end = len(data)
            if end == 0:
                return 0
            pos = 0
            if not piece or end <= piece:
                try:
                    pos = s.send(data, flags | _DONTWAIT)   # fast path: one send(2) takes it all
                except (BlockingIOError, InterruptedError):
                    pass
                except (OSError, *VALUE_ERRORS) as e:
                    raise_os_error(who, "send", e, None, self)
                if pos == end:
                    return end
        else:
            end = _check_span(who, len(data), start, end)
            pos = start
        view = memoryview(data)
        step = piece or end
        f = flags | _DONTWAIT
        t: Any = _UNSET
        while pos < end:
            stop = min(pos + step, end)
            try:
                pos += s.send(view[pos:stop], f)
                continue
            except (BlockingIOError, InterruptedError):
                pass
            except (OSError, *VALUE_ERRORS) as e:
                raise_os_error(who, "send", e, None, self)
            if t is _UNSET:
                t = self._timeout("send", timeout)
            pos += self._call(who, "send", _partial(s.send, view[pos:stop], flags), True, t)
        return end - start

    def sendto(self, data: Buffer, addr: SockAddr, start: int = 0, end: Optional[int] = None,
               flags: int = 0, who: str = "sendto", timeout: Any = _UNSET) -> int:
        """sendto(2) of data[start:end] to *addr*; returns the count."""
        s = self.sock
        if s is None:
            raise SchemeError(closed_condition(who, "sendto", self))
        last = self.last_peer
        pa = last[0] if last is not None and last[1] is addr else addr.to_python()
        if start == 0 and end is None:
            view: Buffer = data
        else:
            end = _check_span(who, len(data), start, end)
            view = memoryview(data)[start:end]
        try:                       # one sendto(2): a datagram socket is nearly always writable
            return s.sendto(view, flags | _DONTWAIT, pa)  # type: ignore[no-any-return]
        except (BlockingIOError, InterruptedError):
            pass
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "sendto", e, addr, self)
        return self._call(who, "sendto", _partial(s.sendto, view, flags, pa), True,  # type: ignore[no-any-return]
                          self._timeout("send", timeout), addr)

    def ready(self) -> bool:
        """True when a read would not block now (data, EOF, error or pending connection)."""
        if self.sock is None:
            return True
        try:
            r, _, _ = _select.select([self.fd], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(r)

    # -- shutdown / close ---------------------------------------------------

    SHUT_NAMES = {0: "SHUT_RD", 1: "SHUT_WR", 2: "SHUT_RDWR"}

    def shutdown(self, how: int, who: str = "shutdown") -> None:
        """shutdown(2); *how* 0, 1 or 2."""
        s = self._live(who, "shutdown")
        if how not in (0, 1, 2):
            throw("range", who, "shutdown method out of range", how, value=how)
        try:
            s.shutdown(how)
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "shutdown", e, None, self)

    def close(self, who: str = "close") -> None:
        """Wake any waiter with "closed", then close the fd. Idempotent."""
        s = self.sock
        if s is None:
            return
        self.sock = None
        _OPEN.pop(self.fd, None)       # an open socket's fd is its own entry
        hub = _HUB
        if hub is None:
            try:
                hub = get_hub()
            except ImportError:  # pragma: no cover - no hub yet: nobody can be waiting
                hub = None
        if hub is not None:
            hub.notify_closing(self.fd)
        try:
            s.close()
        except OSError as e:
            raise_os_error(who, "close", e, None, self)

    def detach(self) -> int:
        """Give up the fd without closing it; this socket becomes closed."""
        s = self._nb("detach", "detach")
        self.sock = None
        _OPEN.pop(self.fd, None)
        get_hub().notify_closing(self.fd)
        return s.detach()

    # -- names and options --------------------------------------------------

    def getsockname(self, who: str = "getsockname") -> Optional[SockAddr]:
        """Local address (an unnamed unix socket has an empty path)."""
        s = self._live(who, "getsockname")
        try:
            return self._peer(s.getsockname())
        except OSError as e:
            raise_os_error(who, "getsockname", e, None, self)

    def getpeername(self, who: str = "getpeername") -> Optional[SockAddr]:
        """Peer address (an unnamed unix peer has an empty path); ENOTCONN raises."""
        s = self._live(who, "getpeername")
        try:
            return self._peer(s.getpeername())
        except OSError as e:
            raise_os_error(who, "getpeername", e, None, self)

    def set_option(self, opt: Union[str, Option], value: Any, who: str = "setsockopt") -> None:
        """setsockopt(2) through the option's codec; SO_RCVTIMEO/SO_SNDTIMEO also set deadlines."""
        s = self._live(who, "setsockopt")
        o = lookup(who, opt) if isinstance(opt, str) else opt
        if o.readonly:
            throw("unsupported", who, "option is read-only", o.name, option=o.name,
                  errno=_errno.ENOPROTOOPT, errno_name="ENOPROTOOPT")
        raw = o.codec.encode(who, value)
        try:
            s.setsockopt(o.level, o.optname, raw)
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "setsockopt", e, None, self)
        op = _TIMEOUT_OPTIONS.get(o.name)
        if op is not None:
            if op == "recv":
                self.sliced = False
            secs = o.codec.decode(raw)
            self.timeouts[op] = secs if secs > 0 else None

    def get_option(self, opt: Union[str, Option], who: str = "getsockopt") -> Any:
        """getsockopt(2), decoded through the option's codec."""
        s = self._live(who, "getsockopt")
        o = lookup(who, opt) if isinstance(opt, str) else opt
        if self.sliced and o.name == "SO_RCVTIMEO":   # the slice is ours (see Theory)
            return o.codec.decode(_ZERO_TV)
        try:
            raw = (s.getsockopt(o.level, o.optname) if o.codec.size is None
                   else s.getsockopt(o.level, o.optname, o.codec.size))
        except (OSError, *VALUE_ERRORS) as e:
            raise_os_error(who, "getsockopt", e, None, self)
        return o.codec.decode(raw)

    def setsockopt(self, level: int, optname: int, value: Any, who: str = "setsockopt") -> None:
        """setsockopt by numbers (codec chosen from the table, int when unknown)."""
        self.set_option(by_number(level, optname), value, who)

    def getsockopt(self, level: int, optname: int, who: str = "getsockopt") -> Any:
        """getsockopt by numbers."""
        return self.get_option(by_number(level, optname), who)


_TIMEOUT_OPTIONS = {"SO_RCVTIMEO": "recv", "SO_SNDTIMEO": "send"}


def open_socket(family: int, type: int, proto: int = 0, who: str = "socket") -> CoreSocket:
    """A new CoreSocket (module-level spelling for dialect tables)."""
    return CoreSocket.open(family, type, proto, who)


def socketpair(family: int = AF_UNIX or 1, type: int = SOCK_STREAM, proto: int = 0,
               who: str = "socketpair") -> Tuple[CoreSocket, CoreSocket]:
    """Two connected CoreSockets."""
    return CoreSocket.pair(family, type, proto, who)


# ---------------------------------------------------------------------------
# Openers by name: resolve, then create + connect / bind + listen. Shared by the
# dialects' client/server constructors (SRFI 106, MIT, CHICKEN tcp, scsh).

def open_client(host: Optional[str], service: Union[str, int, None], family: int = 0,
                type: int = SOCK_STREAM, flags: int = 0, proto: int = 0,
                who: str = "make-client-socket", timeout: Optional[float] = None) -> CoreSocket:
    """A socket connected to the first address of *host*/*service* that accepts.

    Tries each getaddrinfo result in order; a failed attempt's socket is closed.
    Raises the last failure's condition (resolve, socket, timeout...). Datagram
    sockets are connected too (sets the default peer; no handshake). On hosts where
    only loopback is configured AI_ADDRCONFIG can hide every address: a lookup that
    finds nothing with it is retried without it; so an address literal with a numeric
    port, whose answer AI_ADDRCONFIG therefore cannot change, skips getaddrinfo."""
    from . import resolve
    infos = resolve.literal_addrinfo(host, service, family, type, proto, who)
    if infos is None:
        infos = _client_addrinfo(host, service, family, type, flags, proto, who)
    last: Optional[SchemeError] = None
    for ai in infos:
        s = CoreSocket.open(ai.family, ai.type, ai.proto, who)
        try:
            s.connect(ai.addr, who, timeout)
            return s
        except SchemeError as e:
            s.close()
            last = e
    assert last is not None      # getaddrinfo never returns an empty list
    raise last


def _client_addrinfo(host: Optional[str], service: Union[str, int, None], family: int,
                     type: int, flags: int, proto: int, who: str) -> list:
    """getaddrinfo for open_client, retried without AI_ADDRCONFIG when that finds nothing."""
    from . import resolve
    try:
        return resolve.getaddrinfo(host, service, family, type, proto, flags, who=who)
    except SchemeError as e:
        addrconfig = CONSTANTS.get("AI_ADDRCONFIG", 0)
        if not (flags & addrconfig and getattr(e.payload, "kind", None) == "resolve"):
            raise
        return resolve.getaddrinfo(host, service, family, type, proto, flags & ~addrconfig, who=who)


def open_server(service: Union[str, int, None], family: int = 0, type: int = SOCK_STREAM,
                proto: int = 0, host: Optional[str] = None, backlog: int = 128,
                who: str = "make-server-socket") -> CoreSocket:
    """A socket bound to *service* on all local addresses (or *host*), SO_REUSEADDR set,
    listening when it is a stream socket. Raises resolve/socket conditions."""
    from . import resolve
    passive = CONSTANTS.get("AI_PASSIVE", 1)
    infos = resolve.getaddrinfo(host, service, family, type, proto, passive, who=who)
    last: Optional[SchemeError] = None
    for ai in infos:
        s = CoreSocket.open(ai.family, ai.type, ai.proto, who)
        try:
            if ai.family != AF_UNIX:
                s.set_option("SO_REUSEADDR", True, who)
            s.bind(ai.addr, who)
            if ai.type == SOCK_STREAM:
                s.listen(backlog, who)
            return s
        except SchemeError as e:
            s.close()
            last = e
    assert last is not None
    raise last
