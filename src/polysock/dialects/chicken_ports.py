"""CHICKEN ``socket`` egg: socket ports (spec/chicken.md §8), shared with (chicken tcp).

Theory of operation
-------------------
``socket-i/o-ports`` builds two textual ports (Latin-1: byte n is char n) over raw
streams of this module. The parameters are sampled once, when the ports are made:

* input: a buffer of ``(socket-receive-buffer-size)`` bytes refilled by one receive
  whenever it is empty (the runtime's "block" buffering does exactly that); reads wait
  at most ``(socket-receive-timeout)`` ms;
* output: unbuffered when ``(socket-send-buffer-size)`` is #f; otherwise
  ``CkOutputPort`` keeps data until at least one whole buffer is pending and then
  sends only whole multiples of the buffer size, keeping the rest (the egg's rule);
  ``flush-output`` sends everything. Each transmission is a ``socket-send-all``
  split into ``(socket-send-size)`` chunks, waiting at most ``(socket-send-timeout)``.

Closing the input port shuts down the read side, closing the output port flushes and
shuts down the write side (ENOTCONN ignored), unless the port was abandoned; once
both are closed the socket is closed. ``PORT_SOCKETS`` maps each port to its socket
for ``socket-i/o-port->socket``, ``port->fileno`` and the tcp procedures.
"""
from __future__ import annotations

import weakref
from typing import Any, List, Optional

from ..runtime.argtypes import A
from ..runtime.ports import BinaryOutputPort, Port, TextualOutputPort, open_input
from ..values.conditions import Condition, SchemeError, make_condition
from ..values.misc import UNSPECIFIED, MultipleValues
from ._table import Entry, export, install
from .chicken_data import throw_ck
from .chicken_socket import (CkSocket, receive_bytes, send_all_bytes, socket_close_star,
                             socket_receive_buffer_size, socket_receive_timeout,
                             socket_send_buffer_size, socket_send_size, socket_send_timeout,
                             socket_shutdown)

LIBS = ("(socket)", "(polysock chicken)")
ENCODING = "latin-1"
SHUT_RD, SHUT_WR = 0, 1

#: port -> _Link of the socket port it is
PORT_SOCKETS: "weakref.WeakKeyDictionary[Any, _Link]" = weakref.WeakKeyDictionary()


class _Pair:
    """State shared by the two ports of one socket."""

    __slots__ = ("so", "open_halves", "who_read", "who_write")

    def __init__(self, so: CkSocket, who_read: str, who_write: str) -> None:
        self.so, self.open_halves = so, 2
        self.who_read, self.who_write = who_read, who_write


class _Link:
    """One direction: the raw stream of a socket port."""

    __slots__ = ("pair", "how", "closed", "abandoned", "timeout", "chunk", "limit")

    def __init__(self, pair: _Pair, how: int, timeout: Any, chunk: Any = False, limit: int = 0) -> None:
        self.pair, self.how, self.timeout = pair, how, timeout
        self.chunk, self.limit = chunk, limit
        self.closed = self.abandoned = False

    @property
    def socket(self) -> CkSocket:
        return self.pair.so

    # raw-stream protocol (runtime/ports.py)
    def readinto(self, buf: Any) -> int:
        """One receive of at most the buffer size (0 = end of stream)."""
        n = len(buf) if not self.limit else min(len(buf), self.limit)
        try:
            data = receive_bytes(self.pair.so, n, 0, self.pair.who_read, self.timeout)
        except SchemeError as e:
            self._tcp_timeout(e, "read")
            raise
        buf[:len(data)] = data
        return len(data)

    def write(self, data: Any) -> int:
        """socket-send-all of *data* in (socket-send-size) chunks."""
        try:
            send_all_bytes(self.pair.so, bytes(data), 0, self.pair.who_write, self.timeout, self.chunk)
        except SchemeError as e:
            self._tcp_timeout(e, "write")
            raise
        return len(data)

    def _tcp_timeout(self, e: SchemeError, what: str) -> None:
        """(chicken tcp) ports report "read/write operation timed out" without a location."""
        c = e.payload
        if self.pair.who_read == "read" and isinstance(c, Condition) and c.kind == "timeout":
            raise SchemeError(make_condition("timeout", None, f"{what} operation timed out",
                                             self.timeout, self.pair.so.fileno)) from None

    def ready(self) -> bool:
        return self.pair.so.core.ready()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        p = self.pair
        p.open_halves -= 1
        so = p.so
        if not self.abandoned and not so.core.closed:
            socket_shutdown(so, self.how)
        if p.open_halves <= 0:
            socket_close_star(so)

    def fileno(self) -> Optional[int]:
        return self.pair.so.fileno


class CkOutputPort(BinaryOutputPort):
    """Binary output with the egg's buffering: send whole multiples of the buffer."""

    __slots__ = ("ck_size",)

    def __init__(self, raw: _Link, size: Any, name: str) -> None:
        buffered = size.__class__ is int and size > 0
        super().__init__(raw, "block" if buffered else "none", size if buffered else 1, name)
        self.ck_size = size if buffered else 0

    def write(self, data: Any) -> None:
        if self.closed:
            self._closed_error("write")
        size = self.ck_size
        if not size:
            self._write_all(data)
            return
        buf = self._buf
        buf += data
        n = len(buf) // size * size
        if n:
            chunk = bytes(buf[:n])
            del buf[:n]
            self._write_all(chunk)

    def write_u8(self, b: int) -> None:
        self.write(bytes((b,)))


def make_socket_ports(so: CkSocket, *, rbuf: int, sbuf: Any, chunk: Any, rtimeout: Any,
                      stimeout: Any, who_read: str = "socket-receive!",
                      who_write: str = "socket-send", name: str = "(socket)") -> MultipleValues:
    """Input and output ports over *so* (a Python-level helper shared with (chicken tcp))."""
    pair = _Pair(so, who_read, who_write)
    rlink = _Link(pair, SHUT_RD, rtimeout, limit=rbuf)
    wlink = _Link(pair, SHUT_WR, stimeout, chunk=chunk)
    i = open_input(rlink, textual=True, encoding=ENCODING, buffering="block",
                   buffer_size=max(1, rbuf), name=name)
    b = CkOutputPort(wlink, sbuf, name)
    o = TextualOutputPort(b, ENCODING, name)
    PORT_SOCKETS[i] = rlink
    PORT_SOCKETS[o] = wlink
    return MultipleValues((i, o))


def socket_io_ports(so: CkSocket) -> MultipleValues:
    """(socket-i/o-ports so) -> input-port output-port"""
    rbuf = socket_receive_buffer_size()
    if rbuf.__class__ is not int or rbuf <= 0:
        rbuf = 4096
    return make_socket_ports(so, rbuf=rbuf, sbuf=socket_send_buffer_size(),
                             chunk=socket_send_size(), rtimeout=socket_receive_timeout(),
                             stimeout=socket_send_timeout())


def link_of(who: str, port: Any) -> _Link:
    """The socket link behind a socket port; (exn type) otherwise."""
    link = PORT_SOCKETS.get(port) if isinstance(port, Port) else None
    if link is None:
        throw_ck("wrong-type", who, "argument is not a socket port", port)
    assert link is not None
    return link


def socket_io_port_to_socket(port: Any) -> CkSocket:
    """(socket-i/o-port->socket port) -> socket"""
    return link_of("socket-port-data", port).socket     # the egg's helper names itself


def socket_abandon_port(port: Any) -> Any:
    """(socket-abandon-port port) -> unspecified"""
    link_of("socket-port-data", port).abandoned = True       # the egg's helper names itself
    return UNSPECIFIED


EXPORTS: List[Entry] = [
    export("socket-i/o-ports", socket_io_ports, A.ck_socket),
    export("socket-i/o-port->socket", socket_io_port_to_socket, A.any),
    export("socket-abandon-port", socket_abandon_port, A.any),
]

BINDINGS = install(LIBS, EXPORTS)
