"""Socket ports: CoreSocket -> raw stream -> buffered binary port -> textual port.

``SocketRaw`` is the raw-stream protocol of runtime/ports.py over a CoreSocket:
``readinto`` and ``write`` go through the socket's blocking helpers (so they park only
the calling green thread, honour the socket's recv/send timeouts and raise socket
conditions), ``ready`` asks the kernel without waiting.

What closing a port does to the socket is the dialect's choice (``on_close``):

===============  =============================================================
"keep"           nothing (SRFI 106: closing a port never closes the socket)
"shutdown"       shut down that direction (SHUT_RD / SHUT_WR), errors ignored
"close-both"     shut down that direction; close the socket once every port
                 made together has been closed (CHICKEN socket-i/o-ports, scsh)
"close"          close the socket (Guile and SCM: the port is the socket)
"close-last"     no shutdown; close the socket once every port made together
                 has been closed (scsh: each port had its own dup'ed descriptor)
===============  =============================================================
The buffering of each direction is chosen by the dialect too (Guile and SCM document
unbuffered socket ports; SRFI 106 output must reach the peer without a flush).
"""
from __future__ import annotations

import errno as _errno
from typing import Any, Optional, Tuple, Union

from ..runtime.ports import (BidirectionalPort, DEFAULT_BUFFER_SIZE, DEFAULT_ENCODING, Port,
                             open_input, open_output)
from ..values.conditions import SchemeError
from .sockets import CoreSocket

ON_CLOSE = ("keep", "shutdown", "close-both", "close", "close-last")
SHUT_RD, SHUT_WR = 0, 1


class _Group:
    """The ports made together over one socket: counts the halves still open."""

    __slots__ = ("sock", "open_halves", "policy")

    def __init__(self, sock: CoreSocket, halves: int, policy: str) -> None:
        self.sock, self.open_halves, self.policy = sock, halves, policy

    def half_closed(self, how: int) -> None:
        self.open_halves -= 1
        sock, policy = self.sock, self.policy
        if policy == "keep" or sock.closed:
            return
        if policy == "close":
            sock.close()
            return
        if policy in ("close-both", "close-last") and self.open_halves <= 0:
            sock.close()
            return
        if policy == "close-last":
            return
        try:
            sock.shutdown(how)
        except SchemeError as e:   # ENOTCONN and the like: the direction is already gone
            if getattr(e.payload, "data", {}).get("errno") not in (_errno.ENOTCONN, _errno.EBADF):
                raise


class SocketRaw:
    """Raw stream over one direction of a CoreSocket (see module docstring)."""

    __slots__ = ("sock", "group", "how", "closed")

    def __init__(self, sock: CoreSocket, group: _Group, how: int) -> None:
        self.sock, self.group, self.how, self.closed = sock, group, how, False

    def readinto(self, buf: Any) -> int:
        """Read at least one byte (0 at end of stream); parks the green thread.
        Raises closed/timeout/socket conditions."""
        return self.sock.recv_into(buf, who="read")

    def write(self, data: Any) -> int:
        """Send at least one byte; returns the count. Raises like CoreSocket.send."""
        return self.sock.send(data, who="write")

    def ready(self) -> bool:
        """True when a read would not block (data, EOF, error; or the socket is closed)."""
        return self.sock.ready()

    def close(self) -> None:
        """Apply the group's close policy once."""
        if not self.closed:
            self.closed = True
            self.group.half_closed(self.how)

    def fileno(self) -> Optional[int]:
        return None if self.sock.closed else self.sock.fd


def _port_name(sock: CoreSocket, name: str) -> str:
    return name or (f"socket {sock.fd}" if not sock.closed else "socket")


def input_port(sock: CoreSocket, *, textual: bool = False, encoding: str = DEFAULT_ENCODING,
               buffering: Union[str, int] = "block", buffer_size: int = DEFAULT_BUFFER_SIZE,
               on_close: str = "keep", name: str = "", eol_in: bool = False) -> Port:
    """A fresh input port reading from *sock*."""
    g = _Group(sock, 1, on_close)
    return open_input(SocketRaw(sock, g, SHUT_RD), textual=textual, encoding=encoding,
                      buffering=buffering, buffer_size=buffer_size,
                      name=_port_name(sock, name), eol_in=eol_in)


def output_port(sock: CoreSocket, *, textual: bool = False, encoding: str = DEFAULT_ENCODING,
                buffering: Union[str, int] = "none", buffer_size: int = DEFAULT_BUFFER_SIZE,
                on_close: str = "keep", name: str = "", newline_out: Optional[str] = None) -> Port:
    """A fresh output port writing to *sock*."""
    g = _Group(sock, 1, on_close)
    return open_output(SocketRaw(sock, g, SHUT_WR), textual=textual, encoding=encoding,
                       buffering=buffering, buffer_size=buffer_size,
                       name=_port_name(sock, name), newline_out=newline_out)


def port_pair(sock: CoreSocket, *, textual: bool = True, encoding: str = DEFAULT_ENCODING,
              in_buffering: Union[str, int] = "block", out_buffering: Union[str, int] = "block",
              buffer_size: int = DEFAULT_BUFFER_SIZE, on_close: str = "close-both",
              name: str = "", eol_in: bool = False,
              newline_out: Optional[str] = None) -> Tuple[Port, Port]:
    """An input and an output port sharing one close policy (a Python pair)."""
    g = _Group(sock, 2, on_close)
    n = _port_name(sock, name)
    i = open_input(SocketRaw(sock, g, SHUT_RD), textual=textual, encoding=encoding,
                   buffering=in_buffering, buffer_size=buffer_size, name=n, eol_in=eol_in)
    o = open_output(SocketRaw(sock, g, SHUT_WR), textual=textual, encoding=encoding,
                    buffering=out_buffering, buffer_size=buffer_size, name=n,
                    newline_out=newline_out)
    return i, o


class SocketHalves:
    """The input and output port of one socket, each built on first use (``get``), over
    one close-policy group: the halves of a deferred bidirectional socket port
    (runtime/ports.py ``BidirectionalPort.defer``) or of a scsh socket record."""

    __slots__ = ("sock", "group", "opts", "ports", "shut")

    def __init__(self, sock: CoreSocket, on_close: str, opts: dict) -> None:
        self.sock, self.group, self.opts = sock, _Group(sock, 2, on_close), opts
        self.ports: list = [None, None]
        self.shut = [False, False]

    def get(self, output: bool) -> Port:
        """The input (False) or output (True) port, built now if it was not."""
        p = self.ports[output]
        if p is None:
            p = self.ports[output] = self.build(output)
        return p

    def build(self, output: bool) -> Port:
        o = self.opts
        if output:
            p = open_output(SocketRaw(self.sock, self.group, SHUT_WR), textual=o["textual"],
                            encoding=o["encoding"], buffering=o["out_buffering"],
                            buffer_size=o["buffer_size"], name=o["name"],
                            newline_out=o["newline_out"])
        else:
            p = open_input(SocketRaw(self.sock, self.group, SHUT_RD), textual=o["textual"],
                           encoding=o["encoding"], buffering=o["in_buffering"],
                           buffer_size=o["buffer_size"], name=o["name"], eol_in=o["eol_in"])
        if self.shut[output]:       # closed before first use: closed, quietly
            h: Any = p
            while h is not None:
                h.closed = True
                h = getattr(h, "bin", None)
        return p

    def close_unbuilt(self, output: bool) -> None:
        """Close a half that was never built: its raw stream's close policy, once."""
        if not self.shut[output]:
            self.shut[output] = True
            self.group.half_closed(SHUT_WR if output else SHUT_RD)

    def close(self, output: bool) -> None:
        """Close one half, built or not."""
        p = self.ports[output]
        if p is not None:
            p.close()
        else:
            self.close_unbuilt(output)

    def closed(self, output: bool) -> bool:
        p = self.ports[output]
        return self.shut[output] if p is None else p.closed

    def fileno(self) -> Optional[int]:
        return None if self.sock.closed else self.sock.fd


def socket_halves(sock: CoreSocket, *, textual: bool = True, encoding: str = DEFAULT_ENCODING,
                  in_buffering: Union[str, int] = "block", out_buffering: Union[str, int] = "block",
                  buffer_size: int = DEFAULT_BUFFER_SIZE, on_close: str = "close-both",
                  name: str = "", eol_in: bool = False,
                  newline_out: Optional[str] = None) -> SocketHalves:
    """``port_pair``'s two ports, each made when first asked for (``get``)."""
    return SocketHalves(sock, on_close, {
        "textual": textual, "encoding": encoding, "in_buffering": in_buffering,
        "out_buffering": out_buffering, "buffer_size": buffer_size,
        "name": _port_name(sock, name), "eol_in": eol_in, "newline_out": newline_out})


def bidirectional_port(sock: CoreSocket, *, textual: bool = True,
                       encoding: str = DEFAULT_ENCODING, buffering: Union[str, int] = "none",
                       buffer_size: int = DEFAULT_BUFFER_SIZE, on_close: str = "close-both",
                       name: str = "", eol_in: bool = False,
                       newline_out: Optional[str] = None,
                       port: Optional[BidirectionalPort] = None) -> BidirectionalPort:
    """One port reading and writing *sock* (Guile, SCM, MIT). With "close-both" the
    socket closes when the port is closed (close-port) or both halves are. Each half is
    made on first use (``BidirectionalPort.defer``); *port*, when given, is the
    instance to initialise (a subclass's ``__init__``)."""
    halves = socket_halves(sock, textual=textual, encoding=encoding, in_buffering=buffering,
                           out_buffering=buffering, buffer_size=buffer_size, on_close=on_close,
                           name=name, eol_in=eol_in, newline_out=newline_out)
    p = port if port is not None else BidirectionalPort.__new__(BidirectionalPort)
    p.defer(halves, halves.opts["name"], textual, not textual)
    return p
