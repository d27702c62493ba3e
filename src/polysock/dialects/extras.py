"""The socket procedures of ``(polysock extras)``: what SRFI 106 lacks, over the net core.

SRFI 106 cannot answer a datagram on an unconnected socket (no recvfrom/sendto) and
has no unix-domain sockets. These fill the gap with SRFI 106 sockets (core sockets)
and bytevectors::

    (socket-recvfrom socket size [flags])     -> two values: bytevector, peer address
    (socket-sendto socket bv peer [flags])    -> count sent
    (make-unix-server-socket path [backlog])  -> bound, listening unix stream socket
    (make-unix-client-socket path)            -> unix stream socket connected to path
    (socket-local-port socket)                -> the port the socket is bound to
    (socket-address? obj)                     -> boolean

A peer address is an opaque object (``#<sockaddr 127.0.0.1:5000>``) to hand back to
``socket-sendto``. Errors are the core conditions, as for SRFI 106. Imported by
srfi106.py, so ``(polysock extras)`` has these whenever SRFI 106 is loaded.
"""
from __future__ import annotations

from typing import Any, List

from ..net.address import SockAddr, unix
from ..net.constants import AF_UNIX, SOCK_STREAM
from ..net.sockets import BACKLOG_MAX, CoreSocket
from ..runtime.argtypes import NAMESPACE, Arg
from ..values.misc import MultipleValues
from ._table import A, Entry, export, install, pystr

LIB = "(polysock extras)"
BACKLOG = 128

NAMESPACE.setdefault("CoreSocket", CoreSocket)
NAMESPACE.setdefault("SockAddr", SockAddr)
SOCKET = Arg("socket", "isinstance({x}, CoreSocket)")
ADDRESS = Arg("socket address", "isinstance({x}, SockAddr)")


def socket_recvfrom(s: CoreSocket, size: int, flags: int = 0) -> Any:
    """(socket-recvfrom socket size [flags]) -> bytevector, peer address"""
    data, peer = s.recvfrom(size, flags, "socket-recvfrom")
    return MultipleValues((bytearray(data), peer if peer is not None else False))


def socket_sendto(s: CoreSocket, bv: bytearray, peer: SockAddr, flags: int = 0) -> int:
    """(socket-sendto socket bv peer [flags]) -> integer"""
    return s.sendto(bv, peer, 0, None, flags, "socket-sendto")


def make_unix_server_socket(path: Any, backlog: int = BACKLOG) -> CoreSocket:
    """(make-unix-server-socket path [backlog]) -> socket"""
    who = "make-unix-server-socket"
    addr = unix(pystr(path), who)
    s = CoreSocket.open(AF_UNIX, SOCK_STREAM, 0, who)
    try:
        s.bind(addr, who)
        s.listen(min(backlog, BACKLOG_MAX), who)
    except BaseException:
        s.close(who)
        raise
    return s


def make_unix_client_socket(path: Any) -> CoreSocket:
    """(make-unix-client-socket path) -> socket"""
    who = "make-unix-client-socket"
    addr = unix(pystr(path), who)
    s = CoreSocket.open(AF_UNIX, SOCK_STREAM, 0, who)
    try:
        s.connect(addr, who)
    except BaseException:
        s.close(who)
        raise
    return s


def socket_local_port(s: CoreSocket) -> int:
    """(socket-local-port socket) -> the port the socket is bound to"""
    addr = s.getsockname("socket-local-port")
    return addr.port if addr is not None else 0


def socket_address_p(obj: Any) -> bool:
    """(socket-address? obj) -> boolean"""
    return isinstance(obj, SockAddr)


EXPORTS: List[Entry] = [
    export("socket-recvfrom", socket_recvfrom, SOCKET, A.index, A.exact_integer),
    export("socket-sendto", socket_sendto, SOCKET, A.bytevector, ADDRESS, A.exact_integer),
    export("make-unix-server-socket", make_unix_server_socket, A.string, A.index),
    export("make-unix-client-socket", make_unix_client_socket, A.string),
    export("socket-local-port", socket_local_port, SOCKET),
    export("socket-address?", socket_address_p, A.any),
]

BINDINGS = install(LIB, EXPORTS)
