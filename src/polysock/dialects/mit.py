"""MIT/GNU Scheme TCP sockets (seed 003, spec/mit.md) as a table over the net core.

Library ``(mit legacy runtime)`` (also ``(polysock mit)``), pre-imported in the ``mit``
dialect. A connection is a textual I/O port over the core socket: reads take CR LF,
CR or LF as one newline and ``newline`` writes CR LF (the seed; MIT 12.1 writes LF);
a ``line-translation`` string given to ``tcp-server-connection-accept`` replaces the
output sequence. Output is buffered (``flush-output``), closing the port closes the
connection, closing one direction shuts it down. A server socket is an opaque object
(``#[tcp-server-socket N]``), already listening, with SO_REUSEADDR and backlog 1024.

Host addresses are bytevectors of 4 bytes (MIT 10+); 4-character strings (MIT 9.x)
are accepted wherever an address is expected. Failures are the core conditions that
the MIT condition view (mit_conditions.py) shows as ``system-call-error`` (connect,
bind, listen, accept, with MIT's primitive names as operator),
``bad-range-argument`` (unknown host or service, port out of range) or
``wrong-type-argument``. A non-blocking accept with nothing pending returns one #f.
"""
from __future__ import annotations

import weakref
from typing import Any, List

from ..net import ports as netports
from ..net import resolve
from ..net.address import SockAddr, inet, unix
from ..net.constants import CONSTANTS
from ..net.sockets import CoreSocket
from ..reader.parser import ReaderOptions
from ..runtime.argtypes import A
from ..values.conditions import SchemeError, throw, wrong_type
from ..values.misc import DEFAULT, UNSPECIFIED
from ..values.strings import MString, set_text
from . import mit_conditions, mit_host  # noqa: F401  (mit_conditions registers the condition view)
from ._spec import DialectSpec
from ._table import Entry, export, install

LIB = "(mit legacy runtime)"
ALSO = "(polysock mit)"
AF_INET = CONSTANTS["AF_INET"]
AF_UNIX = CONSTANTS.get("AF_UNIX", 1)
SOCK_STREAM = CONSTANTS["SOCK_STREAM"]
BACKLOG = 1024
ENCODING = "utf-8"


# ---------------------------------------------------------------- objects

class ServerSocket:
    """A listening (or not yet bound) server socket: not a port."""

    __slots__ = ("sock", "kind", "__weakref__")
    _count = [0]

    def __init__(self, sock: CoreSocket, kind: str) -> None:
        self.sock, self.kind = sock, kind
        sock.owner = weakref.ref(self)   # weak: no cycle, freed at close

    def __repr__(self) -> str:
        state = " closed" if self.sock.closed else ""
        return f"#[{self.kind}-server-socket {self.sock.fd}{state}]"


class Channel:
    """A connected socket without a port (open-*-stream-socket-channel)."""

    __slots__ = ("sock",)

    def __init__(self, sock: CoreSocket) -> None:
        self.sock = sock

    def __repr__(self) -> str:
        return f"#[channel {self.sock.fd}]"


def _is_address(x: Any) -> bool:
    return (x.__class__ is bytearray and len(x) == 4) or (isinstance(x, MString) and len(x.s) == 4
                                                          and all(ord(c) < 256 for c in x.s))


A.define("mit_server", "server socket", pred=lambda x: isinstance(x, ServerSocket))
A.define("mit_tcp_server", "tcp server socket", pred=lambda x: isinstance(x, ServerSocket) and x.kind == "tcp")
A.define("mit_unix_server", "unix server socket", pred=lambda x: isinstance(x, ServerSocket) and x.kind == "unix")
A.define("mit_channel", "channel", pred=lambda x: isinstance(x, Channel))
A.define("host_address", "host address", pred=_is_address)


# ---------------------------------------------------------------- addresses

def address_bytes(a: Any) -> bytes:
    """The 4 bytes of a host address (bytevector or 4-char string)."""
    return bytes(a) if a.__class__ is bytearray else bytes(ord(c) & 0xFF for c in a.s)


def address_text(a: Any) -> str:
    return ".".join(str(b) for b in address_bytes(a))


def text_address(text: str) -> bytearray:
    return bytearray(int(p) for p in text.split("."))


def host_address_any() -> bytearray:
    """(host-address-any) -> address 0.0.0.0"""
    return bytearray(4)


def host_address_loopback() -> bytearray:
    """(host-address-loopback) -> address 127.0.0.1"""
    return bytearray((127, 0, 0, 1))


def allocate_host_address() -> bytearray:
    """(allocate-host-address) -> a fresh 4-byte address"""
    return bytearray(4)


def host_address_eq(a: Any, b: Any) -> bool:
    """(host-address=? a b) -> boolean"""
    return address_bytes(a) == address_bytes(b)


def host_address_to_string(a: Any) -> MString:
    """(host-address->string address) -> dotted-quad string (polysock extension)"""
    return MString(address_text(a))


def _ipv4_addresses(name: str, who: str) -> List[str]:
    infos = resolve.getaddrinfo(name, None, AF_INET, SOCK_STREAM, 0, 0, who=who)
    seen: List[str] = []
    for ai in infos:
        if ai.addr.host not in seen:
            seen.append(ai.addr.host)
    return seen


def get_host_by_name(name: MString) -> Any:
    """(get-host-by-name host-name) -> vector of addresses, or #f"""
    try:
        return [text_address(h) for h in _ipv4_addresses(name.s, "get-host-by-name")]
    except SchemeError as e:
        if getattr(e.payload, "kind", None) in ("resolve", "herror", "not-found"):
            return False
        raise


def get_host_by_address(a: Any) -> Any:
    """(get-host-by-address address) -> host name string, or #f"""
    try:
        return MString(resolve.gethostbyaddr(address_text(a), who="get-host-by-address").name)
    except SchemeError as e:
        if getattr(e.payload, "kind", None) in ("resolve", "herror", "not-found"):
            return False
        raise


def canonical_host_name(name: MString) -> Any:
    """(canonical-host-name host-name) -> fully qualified name, or #f"""
    try:
        return MString(resolve.gethostbyname(name.s, who="canonical-host-name").name)
    except SchemeError as e:
        if getattr(e.payload, "kind", None) in ("resolve", "herror", "not-found"):
            return False
        raise


def get_host_name() -> MString:
    """(get-host-name) -> this machine's host name"""
    return MString(resolve.gethostname())


def os_hostname() -> Any:
    """(os/hostname) -> (canonical-host-name (get-host-name))"""
    return canonical_host_name(get_host_name())


# ---------------------------------------------------------------- services

def service_port(service: Any, who: str, pos: int) -> int:
    """A port number from an integer, an all-digit string, or a tcp service name."""
    if service.__class__ is int:
        if not 0 <= service <= 0xFFFF:
            throw("range", who, "port out of range", service, value=service, position=pos)
        return int(service)
    if isinstance(service, MString):
        t = service.s
        if t.isdigit():
            return service_port(int(t), who, pos)
        try:
            return int(resolve.getservbyname(t, "tcp", who=who).port)
        except SchemeError as e:
            if getattr(e.payload, "kind", None) in ("not-found", "resolve"):
                throw("range", who, "unknown service", service, value=service, position=pos)
            raise
    wrong_type("get-service-by-name", 1, "service name or port number", service)
    raise AssertionError


def _resolve_host(host: Any) -> str:
    if not isinstance(host, MString):
        wrong_type("open-tcp-stream-socket", 1, "host name", host)
    try:
        return _ipv4_addresses(host.s, "open-tcp-stream-socket-channel")[0]
    except SchemeError as e:
        if getattr(e.payload, "kind", None) in ("resolve", "herror", "not-found"):
            throw("range", "open-tcp-stream-socket-channel", "unknown host", host, value=host)
        raise


# ---------------------------------------------------------------- ports

def connection_port(sock: CoreSocket, binary: bool = False, translation: Any = None) -> Any:
    """The I/O port of a connection (textual with MIT line endings, or binary)."""
    if binary:
        return netports.bidirectional_port(sock, textual=False, buffering="block", on_close="close-both")
    unix_socket = sock.family == AF_UNIX
    out = None if unix_socket else "\r\n"
    if isinstance(translation, MString):
        out = translation.s
    p = netports.bidirectional_port(sock, textual=True, encoding=ENCODING, buffering="block",
                                    on_close="close-both", eol_in=not unix_socket, newline_out=out)
    if not unix_socket:
        mit_host.TCP_PORTS.add(p)
    mit_host.LINE_ENDINGS[p] = "text" if translation in (None, False, DEFAULT) and not unix_socket else (
        "newline" if unix_socket else "crlf" if out == "\r\n" else "text")
    return p


def _connect(family: int, addr: SockAddr, who: str) -> CoreSocket:
    s = CoreSocket.open(family, SOCK_STREAM, 0, who)
    try:
        s.connect(addr, who)
    except SchemeError:
        s.close()
        raise
    return s


def _tcp_connect(host: Any, service: Any) -> CoreSocket:
    ip = _resolve_host(host)
    port = service_port(service, "open-tcp-stream-socket", 2)
    return _connect(AF_INET, inet(ip, port), "new-open-tcp-stream-socket")


def open_tcp_stream_socket(host: Any, service: Any) -> Any:
    """(open-tcp-stream-socket host-name service) -> textual I/O port"""
    return connection_port(_tcp_connect(host, service))


def open_binary_tcp_stream_socket(host: Any, service: Any) -> Any:
    """(open-binary-tcp-stream-socket host-name service) -> binary I/O port"""
    return connection_port(_tcp_connect(host, service), binary=True)


def open_tcp_stream_socket_channel(host: Any, service: Any) -> Channel:
    """(open-tcp-stream-socket-channel host-name service) -> channel"""
    return Channel(_tcp_connect(host, service))


def _unix_connect(path: MString) -> CoreSocket:
    return _connect(AF_UNIX, unix(path.s, "open-unix-stream-socket"), "open-unix-stream-socket")


def open_unix_stream_socket(path: MString) -> Any:
    """(open-unix-stream-socket pathname) -> textual I/O port"""
    return connection_port(_unix_connect(path))


def open_binary_unix_stream_socket(path: MString) -> Any:
    """(open-binary-unix-stream-socket pathname) -> binary I/O port"""
    return connection_port(_unix_connect(path), binary=True)


def open_unix_stream_socket_channel(path: MString) -> Channel:
    """(open-unix-stream-socket-channel pathname) -> channel"""
    return Channel(_unix_connect(path))


# ---------------------------------------------------------------- servers

def create_tcp_server_socket() -> ServerSocket:
    """(create-tcp-server-socket) -> unbound server socket (SO_REUSEADDR set)"""
    s = CoreSocket.open(AF_INET, SOCK_STREAM, 0, "create-tcp-server-socket")
    s.set_option("SO_REUSEADDR", True, "create-tcp-server-socket")
    return ServerSocket(s, "tcp")


def bind_tcp_server_socket(server: ServerSocket, service: Any, address: Any) -> Any:
    """(bind-tcp-server-socket server-socket service host-address)"""
    port = service_port(service, "bind-tcp-server-socket", 2)
    if address is False or address is DEFAULT:
        ip = "0.0.0.0"
    elif _is_address(address):
        ip = address_text(address)
    else:
        wrong_type("bind-tcp-server-socket", 3, "host address", address)
    server.sock.bind(inet(ip, port), "bind-tcp-server-socket")
    return UNSPECIFIED


def listen_tcp_server_socket(server: ServerSocket) -> Any:
    """(listen-tcp-server-socket server-socket)"""
    server.sock.listen(BACKLOG, "listen-tcp-server-socket")
    return UNSPECIFIED


def open_tcp_server_socket(service: Any, address: Any = DEFAULT) -> ServerSocket:
    """(open-tcp-server-socket service [address]) -> listening server socket"""
    port = service_port(service, "open-tcp-server-socket", 1)
    if not (address is False or address is DEFAULT or _is_address(address)):
        wrong_type("open-tcp-server-socket", 2, "host address", address)
    server = create_tcp_server_socket()
    try:
        bind_tcp_server_socket(server, port, address)
        listen_tcp_server_socket(server)
    except SchemeError:
        server.sock.close()
        raise
    return server


def open_unix_server_socket(path: MString) -> ServerSocket:
    """(open-unix-server-socket pathname) -> listening server socket"""
    s = CoreSocket.open(AF_UNIX, SOCK_STREAM, 0, "open-unix-server-socket")
    try:
        s.bind(unix(path.s, "open-unix-server-socket"), "bind-unix-server-socket")
        s.listen(BACKLOG, "listen-unix-server-socket")
    except SchemeError:
        s.close()
        raise
    return ServerSocket(s, "unix")


def _accept(server: ServerSocket, block: Any, who: str) -> Any:
    """(CoreSocket, SockAddr) or None when nothing is pending / the server closed."""
    if server.sock.closed:
        return None
    try:
        if block is not False:
            return server.sock.accept(who)
        return server.sock.accept_nowait(who)
    except SchemeError as e:
        if getattr(e.payload, "kind", None) == "closed":
            return None
        raise


def _fill_peer(peer: Any, addr: SockAddr) -> None:
    b = text_address(addr.host) if addr.family == AF_INET else bytearray(4)
    if peer.__class__ is bytearray:
        peer[:] = b
    else:
        set_text(peer, "".join(chr(x) for x in b))


def tcp_server_connection_accept(server: ServerSocket, block: Any, peer: Any,
                                 translation: Any = DEFAULT) -> Any:
    """(tcp-server-connection-accept server-socket block? peer-address [line-translation]) -> port or #f"""
    if not (peer is False or _is_address(peer)):
        wrong_type("tcp-server-connection-accept", 3, "host address or #f", peer)
    if not (translation in (False, DEFAULT) or isinstance(translation, MString)):
        wrong_type("tcp-server-connection-accept", 4, "string or #f", translation)
    r = _accept(server, block, "tcp-server-connection-accept")
    if r is None:
        return False
    if peer is not False:
        _fill_peer(peer, r[1])
    return connection_port(r[0], translation=None if translation is DEFAULT else translation)


def tcp_server_binary_connection_accept(server: ServerSocket, block: Any, peer: Any) -> Any:
    """(tcp-server-binary-connection-accept server-socket block? peer-address) -> binary port or #f"""
    if not (peer is False or _is_address(peer)):
        wrong_type("tcp-server-binary-connection-accept", 3, "host address or #f", peer)
    r = _accept(server, block, "tcp-server-binary-connection-accept")
    if r is None:
        return False
    if peer is not False:
        _fill_peer(peer, r[1])
    return connection_port(r[0], binary=True)


def unix_server_connection_accept(server: ServerSocket, block: Any) -> Any:
    """(unix-server-connection-accept server-socket block?) -> textual port or #f"""
    r = _accept(server, block, "unix-server-connection-accept")
    return False if r is None else connection_port(r[0])


def unix_server_binary_connection_accept(server: ServerSocket, block: Any) -> Any:
    """(unix-server-binary-connection-accept server-socket block?) -> binary port or #f"""
    r = _accept(server, block, "unix-server-binary-connection-accept")
    return False if r is None else connection_port(r[0], binary=True)


def close_tcp_server_socket(server: ServerSocket) -> Any:
    """(close-tcp-server-socket server-socket)"""
    server.sock.close("close-tcp-server-socket")
    return UNSPECIFIED


def close_unix_server_socket(server: ServerSocket) -> Any:
    """(close-unix-server-socket server-socket)"""
    server.sock.close("close-unix-server-socket")
    return UNSPECIFIED


# ---------------------------------------------------------------- channels

def channel_p(obj: Any) -> bool:
    """(channel? obj) -> boolean"""
    return isinstance(obj, Channel)


def channel_close(ch: Channel) -> Any:
    """(channel-close channel)"""
    ch.sock.close("channel-close")
    return UNSPECIFIED


def channel_descriptor(ch: Channel) -> int:
    """(channel-descriptor channel) -> file descriptor"""
    return ch.sock.fileno("channel-descriptor")


def channel_read(ch: Channel, buf: bytearray, start: int, end: int) -> int:
    """(channel-read channel bytevector start end) -> count read (0 at end of stream)"""
    return ch.sock.recv_into(buf, start, end, 0, "channel-read")


def channel_write(ch: Channel, buf: bytearray, start: int, end: int) -> int:
    """(channel-write channel bytevector start end) -> count written"""
    return ch.sock.send(buf, start, end, 0, "channel-write")


def server_socket_p(obj: Any) -> bool:
    """(server-socket? obj) -> boolean (polysock extension)"""
    return isinstance(obj, ServerSocket)


# ---------------------------------------------------------------- table

S = A.string
EXPORTS: List[Entry] = [
    export("open-tcp-stream-socket", open_tcp_stream_socket, A.any, A.any),
    export("open-binary-tcp-stream-socket", open_binary_tcp_stream_socket, A.any, A.any),
    export("open-tcp-stream-socket-channel", open_tcp_stream_socket_channel, A.any, A.any),
    export("open-unix-stream-socket", open_unix_stream_socket, S),
    export("open-binary-unix-stream-socket", open_binary_unix_stream_socket, S),
    export("open-unix-stream-socket-channel", open_unix_stream_socket_channel, S),
    export("open-tcp-server-socket", open_tcp_server_socket, A.any, A.any),
    export("create-tcp-server-socket", create_tcp_server_socket),
    export("bind-tcp-server-socket", bind_tcp_server_socket, A.mit_tcp_server, A.any, A.any),
    export("listen-tcp-server-socket", listen_tcp_server_socket, A.mit_tcp_server),
    export("tcp-server-connection-accept", tcp_server_connection_accept, A.mit_tcp_server, A.any,
           A.any, A.any),
    export("tcp-server-binary-connection-accept", tcp_server_binary_connection_accept,
           A.mit_tcp_server, A.any, A.any),
    export("close-tcp-server-socket", close_tcp_server_socket, A.mit_tcp_server),
    export("open-unix-server-socket", open_unix_server_socket, S),
    export("unix-server-connection-accept", unix_server_connection_accept, A.mit_unix_server, A.any),
    export("unix-server-binary-connection-accept", unix_server_binary_connection_accept,
           A.mit_unix_server, A.any),
    export("close-unix-server-socket", close_unix_server_socket, A.mit_unix_server),
    export("server-socket?", server_socket_p, A.any),
    export("channel?", channel_p, A.any),
    export("channel-close", channel_close, A.mit_channel),
    export("channel-descriptor", channel_descriptor, A.mit_channel),
    export("channel-read", channel_read, A.mit_channel, A.bytevector, A.index, A.index),
    export("channel-write", channel_write, A.mit_channel, A.bytevector, A.index, A.index),
    export("host-address-any", host_address_any),
    export("host-address-loopback", host_address_loopback),
    export("allocate-host-address", allocate_host_address),
    export("host-address=?", host_address_eq, A.host_address, A.host_address),
    export("host-address->string", host_address_to_string, A.host_address),
    export("get-host-by-name", get_host_by_name, S),
    export("get-host-by-address", get_host_by_address, A.host_address),
    export("canonical-host-name", canonical_host_name, S),
    export("get-host-name", get_host_name),
    export("os/hostname", os_hostname),
]

BINDINGS = install((LIB, ALSO), EXPORTS)


def _register_printers() -> None:
    from ..reader import printer
    printer.PRINTERS[ServerSocket] = lambda x, write: repr(x)
    printer.PRINTERS[Channel] = lambda x, write: repr(x)
    printer.PRINTERS[mit_host.CharSet] = lambda x, write: repr(x)


_register_printers()

MIT_LIBRARIES = ["(scheme base)", "(scheme char)", "(scheme cxr)", "(scheme lazy)", "(scheme inexact)",
                 "(scheme complex)", "(scheme write)", "(scheme read)", "(scheme file)",
                 "(scheme process-context)", "(scheme time)", "(scheme case-lambda)", "(scheme eval)",
                 "(scheme repl)", "(srfi 69)", "(polysock extras)", LIB]


from . import mit_report  # noqa: E402 - the uncaught-error report

DIALECT = DialectSpec(
    "mit", libraries=MIT_LIBRARIES,
    reader=ReaderOptions(script_header=True),
    detect=None,
    report=mit_report.report,
    description="MIT/GNU Scheme: TCP sockets (open-tcp-stream-socket ...), conditions, #!optional")
