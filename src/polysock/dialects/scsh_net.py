"""scsh 0.6 networking (spec/scsh.md §1-§8): socket and socket-address records,
constants, socket primitives, message I/O and typed socket options, over the net core.

Theory of operation
-------------------
A scsh socket is a ``ScshSocket`` record (family, inport, outport) wrapping one
``CoreSocket``. Its two ports share one ``net.ports.socket_halves`` (each port made on
its first use, so an accept loop that only writes builds one) with the
"close-last" policy: closing one port never shuts the socket down (0.6 gave each port
its own dup'ed descriptor); the OS socket closes when both ports are closed, which is
what ``close-socket`` does. Ports are Latin-1 (byte n = char n, spec §1 D): input is
block-buffered (``select`` counts buffered data), output unbuffered so a write reaches
the peer without ``force-output`` (a deliberate difference, see docs/dialects/scsh.md).

A socket-address is a ``ScshAddress`` (family, value): ``(host32, port)`` for
internet, a path string for unix, ``None`` for the "null" address of
``address-family/unspecified``. Conversions to the core's ``SockAddr`` happen at the
system-call boundary only.

Every blocking call goes through the CoreSocket helpers, so it parks only the calling
green thread (spec §11.3). OS failures are the core's conditions (kind socket, data
errno/call) raised with ``who`` = the scsh procedure name; with-errno-handler views
them (scsh_host.py). Socket options are classified by (level, option) through
``net.options.by_number`` (spec §8 D), never by option number alone.
"""
from __future__ import annotations

import errno as _errno
import os
import sys
import weakref
from typing import Any, Dict, List, Optional, Tuple

from ..net import address as netaddr
from ..net import ports as netports
from ..net.address import SockAddr
from ..net.constants import CONSTANTS
from ..net.options import by_number
from ..net.sockets import CoreSocket
from ..reader.printer import PRINTERS
from ..runtime.argtypes import A
from ..runtime.ports import Port
from ..values.conditions import SchemeError, throw, wrong_type
from ..values.misc import UNSPECIFIED, MultipleValues
from ..values.numbers import Rational
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString, splice
from ._table import Entry, export, install, value

LIBS = ("(scsh sockets)", "(scsh)", "(polysock scsh)")
C = CONSTANTS
AF_INET = C["AF_INET"]
AF_UNIX = C.get("AF_UNIX", 1)
AF_UNSPEC = C["AF_UNSPEC"]
ENCODING = "latin-1"


# ---------------------------------------------------------------- records

class ScshSocket:
    """The scsh socket record: protocol family, input port, output port (+ the core socket)."""

    __slots__ = ("family", "halves", "core", "__weakref__")

    def __init__(self, family: int, core: CoreSocket) -> None:
        self.family = family
        self.core = core
        core.owner = weakref.ref(self)   # weak: no cycle, freed at close
        self.halves = netports.socket_halves(
            core, textual=True, encoding=ENCODING, in_buffering="block", out_buffering="none",
            on_close="close-last")

    @property
    def inport(self) -> Port:
        """The input port (made on first use: an accept loop that only writes never
        builds it)."""
        return self.halves.get(False)

    @property
    def outport(self) -> Port:
        """The output port (made on first use)."""
        return self.halves.get(True)


class ScshAddress:
    """The scsh socket-address record: address family and the family-specific value."""

    __slots__ = ("family", "value")

    def __init__(self, family: int, value: Any) -> None:
        self.family = family
        self.value = value


def _p_socket(x: ScshSocket, write: bool) -> str:
    state = " closed" if x.core.closed else ""
    return f"#{{socket {_FAMILY_NAMES.get(x.family, x.family)}{state}}}"


def _p_address(x: ScshAddress, write: bool) -> str:
    if x.family == AF_INET:
        return f"#{{socket-address internet {netaddr.int_to_ipv4('', x.value[0])}:{x.value[1]}}}"
    if x.family == AF_UNIX:
        return f"#{{socket-address unix {x.value!r}}}"
    return "#{socket-address unspecified}"


_FAMILY_NAMES = {AF_INET: "internet", AF_UNIX: "unix", AF_UNSPEC: "unspecified"}
PRINTERS[ScshSocket] = _p_socket          # type: ignore[assignment]
PRINTERS[ScshAddress] = _p_address        # type: ignore[assignment]

A.define("scsh_socket", "socket", pred=lambda x: x.__class__ is ScshSocket)
A.define("scsh_address", "socket-address", pred=lambda x: x.__class__ is ScshAddress)
A.define("scsh_address_or_false", "socket-address or #f",
         pred=lambda x: x is False or x.__class__ is ScshAddress)
sock_arg = A.scsh_socket
addr_arg = A.scsh_address


def wrap(core: CoreSocket, family: int) -> ScshSocket:
    """A scsh socket record over *core*."""
    return ScshSocket(family, core)


def values(*vals: Any) -> MultipleValues:
    """Scheme multiple values."""
    return MultipleValues(tuple(vals))


def socket_p(obj: Any) -> bool:
    """(socket? obj) -> boolean"""
    return obj.__class__ is ScshSocket


def socket_family(s: ScshSocket) -> int:
    """(socket:family socket) -> protocol-family"""
    return s.family


def socket_inport(s: ScshSocket) -> Port:
    """(socket:inport socket) -> input-port"""
    return s.inport


def socket_outport(s: ScshSocket) -> Port:
    """(socket:outport socket) -> output-port"""
    return s.outport


def socket_address_p(obj: Any) -> bool:
    """(socket-address? obj) -> boolean"""
    return obj.__class__ is ScshAddress


def socket_address_family(sa: ScshAddress) -> int:
    """(socket-address:family socket-address) -> address-family"""
    return sa.family


# ---------------------------------------------------------------- addresses

def unix_address_to_socket_address(path: MString) -> ScshAddress:
    """(unix-address->socket-address pathname) -> socket-address"""
    if len(os.fsencode(path.s)) > netaddr.UNIX_PATH_MAX:
        throw("range", "unix-address->socket-address", "path too long", path, value=path)
    return ScshAddress(AF_UNIX, path.s)


def internet_address_to_socket_address(host: int, port: int) -> ScshAddress:
    """(internet-address->socket-address host-address service-port) -> socket-address"""
    who = "internet-address->socket-address"
    if not 0 <= host <= netaddr.IPV4_MAX:
        throw("range", who, "address out of range", host, position=1, value=host)
    if not 0 <= port <= 0xFFFF:
        throw("range", who, "port out of range", port, position=2, value=port)
    return ScshAddress(AF_INET, (host, port))


def socket_address_to_unix_address(sa: ScshAddress) -> MString:
    """(socket-address->unix-address socket-address) -> pathname"""
    if sa.family != AF_UNIX:
        wrong_type("socket-address->unix-address", 1, "unix socket-address", sa)
    return MString(sa.value)


def socket_address_to_internet_address(sa: ScshAddress) -> MultipleValues:
    """(socket-address->internet-address socket-address) -> host-address service-port"""
    if sa.family != AF_INET:
        wrong_type("socket-address->internet-address", 1, "internet socket-address", sa)
    return values(sa.value[0], sa.value[1])


def to_core(who: str, sa: ScshAddress) -> SockAddr:
    """The core SockAddr of *sa*."""
    if sa.family == AF_INET:
        return SockAddr(AF_INET, netaddr.int_to_ipv4(who, sa.value[0]), sa.value[1])
    if sa.family == AF_UNIX:
        return netaddr.unix(sa.value, who)
    throw("range", who, "socket-address of an unsupported family", sa, value=sa)
    raise AssertionError


def from_core(family: int, sa: Optional[SockAddr]) -> ScshAddress:
    """The scsh address of a core SockAddr (None: an address of *family* with no content)."""
    fam = AF_UNIX if family == AF_UNIX else AF_INET if family == AF_INET else family
    if sa is None:
        return ScshAddress(fam, "" if fam == AF_UNIX else (0, 0) if fam == AF_INET else None)
    if sa.family == AF_INET:
        return ScshAddress(AF_INET, (netaddr.ipv4_to_int("", sa.host), sa.port))
    if sa.family == AF_UNIX:
        p = sa.path
        return ScshAddress(AF_UNIX, p if isinstance(p, str) else p.decode(ENCODING))
    return ScshAddress(sa.family, None)


def _check_family(who: str, s: ScshSocket, sa: ScshAddress) -> None:
    if sa.family != s.family:
        throw("error", who, "socket-address family does not match the socket", sa,
              value=sa)


# ---------------------------------------------------------------- sockets

def create_socket(pf: int, type: int, protocol: int = 0) -> ScshSocket:
    """(create-socket protocol-family type [protocol]) -> socket"""
    return wrap(CoreSocket.open(pf, type, protocol, who="create-socket"), pf)


def create_socket_pair(type: int) -> MultipleValues:
    """(create-socket-pair type) -> socket1 socket2"""
    a, b = CoreSocket.pair(AF_UNIX, type, 0, who="create-socket-pair")
    return values(wrap(a, AF_UNIX), wrap(b, AF_UNIX))


def close_socket(s: ScshSocket) -> Any:
    """(close-socket socket) -> unspecified"""
    for output in (True, False):
        s.halves.close(output)
    s.core.close(who="close-socket")
    return UNSPECIFIED


def port_to_socket(port: Any, pf: int) -> ScshSocket:
    """(port->socket port protocol-family) -> socket"""
    who = "port->socket"
    if isinstance(port, ScshSocket) or not isinstance(port, Port):
        wrong_type(who, 1, "port", port)
    fd = port.fileno()
    if fd is None:
        throw("socket", who, "port has no file descriptor", port, errno=_errno.EBADF,
              errno_name="EBADF", call="fileno", strerror=os.strerror(_errno.EBADF))
    try:
        new = os.dup(fd)
    except OSError as e:
        throw("socket", who, (e.strerror or str(e)).lower(), port, errno=e.errno, call="dup",
              strerror=e.strerror)
    try:
        core = CoreSocket.adopt(new, who)
    except SchemeError:
        os.close(new)
        raise
    return wrap(core, pf)


# ---------------------------------------------------------------- primitives

def connect_socket(s: ScshSocket, sa: ScshAddress) -> Any:
    """(connect-socket socket socket-address) -> unspecified"""
    _check_family("connect-socket", s, sa)
    s.core.connect(to_core("connect-socket", sa), who="connect-socket")
    return UNSPECIFIED


def connect_socket_no_wait(s: ScshSocket, sa: ScshAddress) -> bool:
    """(connect-socket-no-wait socket socket-address) -> boolean"""
    _check_family("connect-socket-no-wait", s, sa)
    return s.core.connect_nowait(to_core("connect-socket-no-wait", sa), who="connect-socket-no-wait")


def connect_socket_successful_p(s: ScshSocket) -> bool:
    """(connect-socket-successful? socket) -> boolean"""
    return s.core.get_option("SO_ERROR", who="connect-socket-successful?") == 0


def bind_socket(s: ScshSocket, sa: ScshAddress) -> Any:
    """(bind-socket socket socket-address) -> unspecified"""
    _check_family("bind-socket", s, sa)
    s.core.bind(to_core("bind-socket", sa), who="bind-socket")
    return UNSPECIFIED


def listen_socket(s: ScshSocket, backlog: int) -> Any:
    """(listen-socket socket backlog) -> unspecified"""
    s.core.listen(backlog, who="listen-socket")
    return UNSPECIFIED


def accept_connection(s: ScshSocket) -> MultipleValues:
    """(accept-connection socket) -> new-socket socket-address"""
    core, peer = s.core.accept(who="accept-connection")
    return values(wrap(core, s.family), from_core(s.family, peer))


def socket_local_address(s: ScshSocket) -> ScshAddress:
    """(socket-local-address socket) -> socket-address"""
    return from_core(s.family, s.core.getsockname(who="socket-local-address"))


def socket_remote_address(s: ScshSocket) -> ScshAddress:
    """(socket-remote-address socket) -> socket-address"""
    return from_core(s.family, s.core.getpeername(who="socket-remote-address"))


def shutdown_socket(s: ScshSocket, how: int) -> Any:
    """(shutdown-socket socket how-to) -> unspecified"""
    s.core.shutdown(how, who="shutdown-socket")
    return UNSPECIFIED


# ---------------------------------------------------------------- message I/O

def _span(who: str, n: int, start: int, end: Any, pos: int) -> int:
    if end is None:
        end = n
    if not 0 <= start <= n:
        throw("range", who, f"argument {pos}: start index out of range", start, value=start)
    if not start <= end <= n:
        throw("range", who, f"argument {pos + 1}: end index out of range", end, value=end)
    return int(end)


def _encode(who: str, text: str) -> bytes:
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as e:
        throw("range", who, "character outside the 8-bit range in message", text[e.start],
              value=text[e.start])
        raise AssertionError


def _store(target: MString, start: int, data: bytes) -> None:
    splice(target, start, data.decode(ENCODING))


def _receive_into(who: str, s: ScshSocket, target: MString, start: int, end: int, flags: int,
                  partial: bool) -> MultipleValues:
    """The receive-message! family: fill target[start:end]; (count-or-#f address)."""
    if start == end:
        return values(0, False)
    peek = bool(flags & C.get("MSG_PEEK", 2))
    buf = bytearray(end - start)
    pos = 0
    sender: Optional[SockAddr] = None
    while pos < len(buf):
        n, addr = s.core.recvfrom_into(buf, pos, None, flags, who=who)
        if addr is not None:
            sender = addr
        if n == 0:
            break
        pos += n
        if partial or peek:
            break
    _store(target, start, bytes(buf[:pos]))
    return values(pos if pos else False, from_core(s.family, sender))


def receive_message_bang(s: ScshSocket, target: MString, start: int = 0, end: Any = None,
                         flags: int = 0) -> MultipleValues:
    """(receive-message! socket string [start] [end] [flags]) -> count-or-#f socket-address"""
    who = "receive-message!"
    end = _span(who, len(target.s), start, end, 3)
    return _receive_into(who, s, target, start, end, flags, False)


def receive_message_bang_partial(s: ScshSocket, target: MString, start: int = 0, end: Any = None,
                                 flags: int = 0) -> MultipleValues:
    """(receive-message!/partial socket string [start] [end] [flags]) -> count-or-#f socket-address"""
    who = "receive-message!/partial"
    end = _span(who, len(target.s), start, end, 3)
    return _receive_into(who, s, target, start, end, flags, True)


def _receive_new(who: str, s: ScshSocket, length: int, flags: int, partial: bool) -> MultipleValues:
    target = MString("\0" * length)
    n, addr = _receive_into(who, s, target, 0, length, flags, partial).vals
    if n is False:
        return values(False, addr)
    return values(MString(target.s[:n]) if length else MString(""), addr)


def receive_message(s: ScshSocket, length: int, flags: int = 0) -> MultipleValues:
    """(receive-message socket length [flags]) -> string-or-#f socket-address"""
    return _receive_new("receive-message", s, length, flags, False)


def receive_message_partial(s: ScshSocket, length: int, flags: int = 0) -> MultipleValues:
    """(receive-message/partial socket length [flags]) -> string-or-#f socket-address"""
    return _receive_new("receive-message/partial", s, length, flags, True)


def _send(who: str, s: ScshSocket, text: MString, start: int, end: Any, flags: int,
          sa: Any, partial: bool) -> int:
    end = _span(who, len(text.s), start, end, 3)
    data = _encode(who, text.s[start:end])
    core = s.core
    if sa is not False:
        _check_family(who, s, sa)
        target = to_core(who, sa)
        if partial:
            return core.sendto(data, target, flags=flags, who=who) if data else 0
        pos = core.sendto(data, target, flags=flags, who=who)
        while pos < len(data):
            pos += core.sendto(data, target, pos, flags=flags, who=who)
        return pos
    if partial:
        return core.send(data, flags=flags, who=who) if data else 0
    if not data:
        return core.send(data, flags=flags, who=who)
    return core.send_all(data, flags=flags, who=who)


def send_message(s: ScshSocket, text: MString, start: int = 0, end: Any = None, flags: int = 0,
                 sa: Any = False) -> Any:
    """(send-message socket string [start] [end] [flags] [socket-address]) -> unspecified"""
    _send("send-message", s, text, start, end, flags, sa, False)
    return UNSPECIFIED


def send_message_partial(s: ScshSocket, text: MString, start: int = 0, end: Any = None,
                         flags: int = 0, sa: Any = False) -> int:
    """(send-message/partial socket string [start] [end] [flags] [socket-address]) -> count"""
    return _send("send-message/partial", s, text, start, end, flags, sa, True)


# ---------------------------------------------------------------- options

def _fallback(name: str, linux: int) -> Optional[int]:
    """The OS value of *name*, or its Linux value on Linux when CPython lacks it."""
    v = C.get(name)
    if v is None and sys.platform.startswith("linux"):
        v = linux
    return v


# Options the running OS lacks are bound to negative numbers: asking for them raises
# errno/noprotoopt (spec §11.1).
_ABSENT_OPTIONS: Dict[str, int] = {}


def _opt(scsh: str, cname: str, linux: Optional[int] = None) -> Tuple[str, int]:
    v = C.get(cname) if linux is None else _fallback(cname, linux)
    if v is None:
        v = -1 - len(_ABSENT_OPTIONS)
        _ABSENT_OPTIONS[scsh] = v
    return scsh, v


# (scsh name, value, class) — the class lists of spec §2.6.
OPTION_TABLE: List[Tuple[str, int, str]] = [
    (*_opt("socket/debug", "SO_DEBUG"), "boolean"),
    (*_opt("socket/accept-connect", "SO_ACCEPTCONN"), "boolean"),
    (*_opt("socket/reuse-address", "SO_REUSEADDR"), "boolean"),
    (*_opt("socket/keep-alive", "SO_KEEPALIVE"), "boolean"),
    (*_opt("socket/dont-route", "SO_DONTROUTE"), "boolean"),
    (*_opt("socket/broadcast", "SO_BROADCAST"), "boolean"),
    (*_opt("socket/use-loop-back", "SO_USELOOPBACK"), "boolean"),
    (*_opt("socket/oob-inline", "SO_OOBINLINE"), "boolean"),
    (*_opt("socket/use-privileged", "SO_USEPRIVILEGED"), "boolean"),
    (*_opt("socket/cant-signal", "SO_CANTSIG"), "boolean"),
    (*_opt("socket/reuse-port", "SO_REUSEPORT"), "boolean"),
    (*_opt("tcp/no-delay", "TCP_NODELAY"), "boolean"),
    (*_opt("ip/include-header", "IP_HDRINCL"), "boolean"),
    (*_opt("socket/send-buffer", "SO_SNDBUF"), "value"),
    (*_opt("socket/receive-buffer", "SO_RCVBUF"), "value"),
    (*_opt("socket/send-low-water", "SO_SNDLOWAT"), "value"),
    (*_opt("socket/receive-low-water", "SO_RCVLOWAT"), "value"),
    (*_opt("socket/error", "SO_ERROR"), "value"),
    (*_opt("socket/type", "SO_TYPE"), "value"),
    (*_opt("ip/time-to-live", "IP_TTL"), "value"),
    (*_opt("ip/type-of-service", "IP_TOS"), "value"),
    (*_opt("tcp/max-segment", "TCP_MAXSEG"), "value"),
    (*_opt("socket/no-check", "SO_NO_CHECK", 11), "value"),
    (*_opt("socket/priority", "SO_PRIORITY", 12), "value"),
    (*_opt("ip/options", "IP_OPTIONS"), "value"),
    (*_opt("socket/linger", "SO_LINGER"), "linger"),
    (*_opt("socket/send-timeout", "SO_SNDTIMEO"), "timeout"),
    (*_opt("socket/receive-timeout", "SO_RCVTIMEO"), "timeout"),
]
# BSD-only IP option names (spec §2.6): bound only when the OS has them.
BSD_IP_OPTIONS = [("ip/header-included", "IP_HDRINCL"), ("ip/receive-options", "IP_RECVOPTS"),
                  ("ip/response-options", "IP_RECVRETOPTS"), ("ip/destination-address", "IP_RECVDSTADDR"),
                  ("ip/ret-options", "IP_RETOPTS"), ("ip/multicast-if", "IP_MULTICAST_IF"),
                  ("ip/multicast-ttl", "IP_MULTICAST_TTL"), ("ip/multicast-loop", "IP_MULTICAST_LOOP"),
                  ("ip/add-membership", "IP_ADD_MEMBERSHIP"), ("ip/drop-membership", "IP_DROP_MEMBERSHIP")]

SOL_SOCKET = C["SOL_SOCKET"]
_LEVEL_OF_PREFIX = {"socket/": SOL_SOCKET, "tcp/": C.get("IPPROTO_TCP", 6), "ip/": C.get("IPPROTO_IP", 0)}
# (level, option) -> class. Built from the table, so tcp/max-segment (IPPROTO_TCP, 2)
# and socket/reuse-address (SOL_SOCKET, 2) never share a class by accident.
CLASS_OF: Dict[Tuple[int, int], str] = {}
for _name, _v, _cls in OPTION_TABLE:
    for _p, _lvl in _LEVEL_OF_PREFIX.items():
        if _name.startswith(_p):
            CLASS_OF[(_lvl, _v)] = _cls


def option_class(level: int, option: int) -> str:
    """'boolean', 'value', 'linger' or 'timeout' for the option at (level, option)."""
    return CLASS_OF.get((level, option), "value")


def _no_option(who: str, s: ScshSocket, option: int) -> None:
    if option < 0:
        throw("unsupported", who, "option not supported on this system", option, option=option,
              errno=_errno.ENOPROTOOPT, errno_name="ENOPROTOOPT", call="getsockopt",
              strerror=os.strerror(_errno.ENOPROTOOPT), socket=s.core)


def socket_option(s: ScshSocket, level: int, option: int) -> Any:
    """(socket-option socket level option) -> value"""
    who = "socket-option"
    _no_option(who, s, option)
    cls = option_class(level, option)
    v = s.core.get_option(by_number(level, option), who=who)
    if cls == "boolean":
        return bool(v)
    if cls == "linger":
        return v[1] if v[0] else False
    if cls == "timeout":
        return float(v)
    if isinstance(v, (bytes, bytearray)):
        return MString(bytes(v).decode(ENCODING))
    return v


def set_socket_option(s: ScshSocket, level: int, option: int, val: Any) -> Any:
    """(set-socket-option socket level option value) -> unspecified"""
    who = "set-socket-option"
    _no_option(who, s, option)
    cls = option_class(level, option)
    o = by_number(level, option)
    if cls == "boolean":
        val = val is not False
    elif cls == "linger":
        if val is not False and (val.__class__ is not int or val < 0):
            wrong_type(who, 4, "#f or seconds", val)
    elif cls == "timeout":
        if val.__class__ not in (int, float, Rational) or val < 0:
            wrong_type(who, 4, "non-negative real number of seconds", val)
        val = float(val)
    elif isinstance(val, MString) and o.codec.name == "bytes":
        val = _encode(who, val.s)
    elif val.__class__ is not int:
        wrong_type(who, 4, "exact integer", val)
    s.core.set_option(o, val, who=who)
    return UNSPECIFIED


def _int_list(items: List[int]) -> Any:
    r: Any = NIL
    for x in reversed(items):
        r = cons(x, r)
    return r


# ---------------------------------------------------------------- constants

def _c(name: str, linux: int) -> int:
    v = C.get(name)
    return linux if v is None else v


CONSTANTS: List[Entry] = [
    value("protocol-family/unspecified", _c("PF_UNSPEC", 0)),
    value("protocol-family/unix", _c("PF_UNIX", 1)),
    value("protocol-family/internet", _c("PF_INET", 2)),
    value("address-family/unspecified", _c("AF_UNSPEC", 0)),
    value("address-family/unix", _c("AF_UNIX", 1)),
    value("address-family/internet", _c("AF_INET", 2)),
    value("socket-type/stream", _c("SOCK_STREAM", 1)),
    value("socket-type/datagram", _c("SOCK_DGRAM", 2)),
    value("socket-type/raw", _c("SOCK_RAW", 3)),
    value("socket-type/rdm", _c("SOCK_RDM", 4)),
    value("socket-type/seqpacket", _c("SOCK_SEQPACKET", 5)),
    value("internet-address/any", 0),
    value("internet-address/loopback", 0x7F000001),
    value("internet-address/broadcast", 0xFFFFFFFF),
    value("shutdown/receives", 0),
    value("shutdown/sends", 1),
    value("shutdown/sends+receives", 2),
    value("message/out-of-band", _c("MSG_OOB", 1)),
    value("message/peek", _c("MSG_PEEK", 2)),
    value("message/dont-route", _c("MSG_DONTROUTE", 4)),
    value("message/eor", _c("MSG_EOR", 128)),
    value("message/trunc", _c("MSG_TRUNC", 32)),
    value("message/ctrunc", _c("MSG_CTRUNC", 8)),
    value("message/wait-all", _c("MSG_WAITALL", 256)),
    value("message/dont-wait", _c("MSG_DONTWAIT", 64)),
    value("level/socket", SOL_SOCKET),
    *(value(n, v) for n, v, _ in OPTION_TABLE),
    *(value(n, C[c]) for n, c in BSD_IP_OPTIONS if c in C),
    value("options/boolean", _int_list([v for _, v, k in OPTION_TABLE if k == "boolean" and v >= 0])),
    value("options/value", _int_list([v for _, v, k in OPTION_TABLE if k == "value" and v >= 0])),
    value("options/linger", _int_list([v for _, v, k in OPTION_TABLE if k == "linger" and v >= 0])),
    value("options/timeout", _int_list([v for _, v, k in OPTION_TABLE if k == "timeout" and v >= 0])),
]

I = A.exact_integer
S = A.string
EXPORTS: List[Entry] = [
    export("socket?", socket_p, A.any),
    export("socket:family", socket_family, sock_arg),
    export("socket:inport", socket_inport, sock_arg),
    export("socket:outport", socket_outport, sock_arg),
    export("socket-address?", socket_address_p, A.any),
    export("socket-address:family", socket_address_family, addr_arg),
    export("unix-address->socket-address", unix_address_to_socket_address, S),
    export("internet-address->socket-address", internet_address_to_socket_address, I, I),
    export("socket-address->unix-address", socket_address_to_unix_address, addr_arg),
    export("socket-address->internet-address", socket_address_to_internet_address, addr_arg),
    export("create-socket", create_socket, I, I, I),
    export("create-socket-pair", create_socket_pair, I),
    export("close-socket", close_socket, sock_arg),
    export("port->socket", port_to_socket, A.any, I),
    export("connect-socket", connect_socket, sock_arg, addr_arg),
    export("connect-socket-no-wait", connect_socket_no_wait, sock_arg, addr_arg),
    export("connect-socket-successful?", connect_socket_successful_p, sock_arg),
    export("bind-socket", bind_socket, sock_arg, addr_arg),
    export("listen-socket", listen_socket, sock_arg, I),
    export("accept-connection", accept_connection, sock_arg),
    export("socket-local-address", socket_local_address, sock_arg),
    export("socket-remote-address", socket_remote_address, sock_arg),
    export("shutdown-socket", shutdown_socket, sock_arg, I),
    export("receive-message", receive_message, sock_arg, A.index, I),
    export("receive-message!", receive_message_bang, sock_arg, S, A.index, A.index, I),
    export("receive-message/partial", receive_message_partial, sock_arg, A.index, I),
    export("receive-message!/partial", receive_message_bang_partial, sock_arg, S, A.index, A.index, I),
    export("send-message", send_message, sock_arg, S, A.index, A.index, I, A.scsh_address_or_false),
    export("send-message/partial", send_message_partial, sock_arg, S, A.index, A.index, I,
           A.scsh_address_or_false),
    export("socket-option", socket_option, sock_arg, I, I),
    export("set-socket-option", set_socket_option, sock_arg, I, I, A.any),
]

BINDINGS = install(LIBS, EXPORTS + CONSTANTS)
