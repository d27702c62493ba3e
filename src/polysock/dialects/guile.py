"""GNU Guile 3.0 networking (spec/guile.md) over the net core: sockets ARE ports.

Theory of operation
-------------------
A Guile socket is a ``GuileSocket``: a bidirectional textual port (runtime/ports.py
``BidirectionalPort``) over one ``CoreSocket`` whose two halves are unbuffered, as
Guile's "r+0" socket ports are, made on the first port operation (a server that only
``send``s and closes never builds them), and whose close policy is "close" (closing the port
closes the socket). The port answers ``display``/``read-line``/``select``/``fileno``
like any port and carries ``core`` (the CoreSocket) for ``connect``, ``accept``... The
CoreSocket owner slot points back at the port, so ``accept`` returns the same kind.

Guile's O_NONBLOCK is a flag on the port (``nonblocking``), set by ``fcntl`` F_SETFL or
SOCK_NONBLOCK; the OS socket itself is always non-blocking (net core rule). With the
flag set, ``accept``/``connect`` return #f instead of waiting and the data calls run
with a zero timeout, whose "timeout" condition Guile sees as system-error EAGAIN.

Socket addresses are Guile's vectors ``#(fam addr port [flowinfo scopeid])`` /
``#(AF_UNIX path)``; IPv4/IPv6 hosts are integers in host order. ``to_sockaddr`` /
``from_sockaddr`` convert to and from the core ``SockAddr``. Errors are core
conditions; guile_errors.view renders them as Guile throws.

Layout: this module (sockets, addresses, constants, DialectSpec), guile_netdb.py
(address conversion and network databases), guile_host.py (ports, select, fcntl,
bytevectors, threads, misc), guile_errors.py (throw/catch), guile_syntax.py
(Scheme-source macros: define*, lambda*, while, use-modules...).
"""
from __future__ import annotations

import errno as _errno
import re
import weakref
from typing import Any, List, Optional

from ..net import address as addr_mod
from ..net import ports as netports
from ..net.address import SockAddr
from ..net.constants import CONSTANTS
from ..net.options import CODECS, Option, by_number
from ..net.sockets import CoreSocket
from ..reader import printer
from ..reader.parser import ReaderOptions
from ..runtime.argtypes import A, NAMESPACE, Arg
from ..runtime.ports import BidirectionalPort
from ..values.conditions import SchemeError
from ..values.misc import UNSPECIFIED
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString
from ._spec import DialectSpec
from ._table import Entry, const, export, install, value
from .guile_errors import LIB, gthrow, slist

C = CONSTANTS
AF_INET, AF_INET6 = C["AF_INET"], C["AF_INET6"]
AF_UNIX = C.get("AF_UNIX", 1)
SOCK_NONBLOCK = C.get("SOCK_NONBLOCK", 0o4000)
SOCK_CLOEXEC = C.get("SOCK_CLOEXEC", 0o2000000)


class GuileSocket(BidirectionalPort):
    """A Guile socket port: one unbuffered bidirectional port over a CoreSocket."""

    def __init__(self, core: CoreSocket, nonblocking: bool = False) -> None:
        netports.bidirectional_port(core, textual=True, buffering="none", on_close="close",
                                    port=self)
        self.core = core
        self.nonblocking = nonblocking
        self.fd = core.fd
        core.owner = weakref.ref(self)   # weak: no cycle, freed at close

    def __repr__(self) -> str:
        if self.closed or self.core.closed:
            return "#<closed: socket>"
        return f"#<input-output: socket {self.fd}>"


printer.PRINTERS[GuileSocket] = lambda p, write: repr(p)


# An open Guile socket port; a test template, so a primitive's check is inline.
NAMESPACE["GuileSocket"] = GuileSocket
A.define("guile_socket", "open file port",
         "({x}.__class__ is GuileSocket and not {x}.closed and {x}.core.sock is not None)")
SOCK = A.guile_socket
INT = A.exact_integer
BV = A.bytevector


def wrap(core: CoreSocket, nonblocking: bool = False) -> GuileSocket:
    """The Guile port of *core*."""
    return GuileSocket(core, nonblocking)


# ---------------------------------------------------------------- socket addresses

def _int_arg(who: str, pos: int, v: Any) -> int:
    if v.__class__ is not int:
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
               [pos, MString("exact integer"), v], slist(v))
    return v


def make_sockaddr(who: str, fam: Any, rest: List[Any], base: int = 2) -> SockAddr:
    """A SockAddr from Guile's (fam addr port [flowinfo [scopeid]]) / (AF_UNIX path) arguments."""
    _int_arg(who, base - 1, fam)
    if fam == AF_INET:
        if len(rest) < 2:
            gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
                   [max(base, base + len(rest) - 1), MString("pair"), NIL], slist(NIL))
        a, p = _int_arg(who, base, rest[0]), _int_arg(who, base + 1, rest[1])
        if not 0 <= a <= addr_mod.IPV4_MAX:
            gthrow("range", "out-of-range", who, "Value out of range: ~S", [a], slist(a))
        return SockAddr(AF_INET, addr_mod.int_to_ipv4(who, a), p & 0xFFFF)
    if fam == AF_INET6:
        if len(rest) < 2:
            gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
                   [max(base, base + len(rest) - 1), MString("pair"), NIL], slist(NIL))
        a, p = _int_arg(who, base, rest[0]), _int_arg(who, base + 1, rest[1])
        flow = _int_arg(who, base + 2, rest[2]) if len(rest) > 2 else 0
        scope = _int_arg(who, base + 3, rest[3]) if len(rest) > 3 else 0
        if not 0 <= a <= addr_mod.IPV6_MAX:
            gthrow("range", "out-of-range", who, "Value out of range: ~S", [a], slist(a))
        return SockAddr(AF_INET6, addr_mod.int_to_ipv6(who, a), p & 0xFFFF, flowinfo=flow, scope_id=scope)
    if fam == AF_UNIX:
        if not rest or not isinstance(rest[0], MString):
            v = rest[0] if rest else NIL
            gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
                   [base, MString("string"), v], slist(v))
        path = rest[0].s
        if len(path.encode("utf-8", "surrogateescape")) >= addr_mod.UNIX_PATH_MAX:
            gthrow("error", "misc-error", "scm_to_sockaddr", "unix address path too long: ~A", [rest[0]], False)
        return SockAddr(AF_UNIX, path=path)
    gthrow("range", "out-of-range", who, "Value out of range: ~S", [fam], slist(fam))
    raise AssertionError


_VEC_LEN = {AF_INET: (3, "inet"), AF_INET6: (5, "inet6"), AF_UNIX: (2, "unix")}


def to_sockaddr(who: str, v: Any) -> SockAddr:
    """The SockAddr of a Guile socket address vector."""
    if v.__class__ is not list or not v or v[0].__class__ is not int:
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
               [2, MString("socket address"), v], slist(v))
    fam = v[0]
    shape = _VEC_LEN.get(fam)
    if shape is None:
        gthrow("error", "misc-error", "scm_to_sockaddr", "unrecognised address family: ~A", [fam], False)
        raise AssertionError
    if len(v) != shape[0]:
        gthrow("error", "misc-error", "scm_to_sockaddr", f"invalid {shape[1]} address representation: ~A",
               [v], False)
    if fam == AF_UNIX and v[1] is False:
        return SockAddr(AF_UNIX, path="")
    return make_sockaddr(who, fam, list(v[1:]))


def from_sockaddr(sa: Optional[SockAddr]) -> Any:
    """Guile's vector for a core SockAddr (#f for None)."""
    if sa is None:
        return False
    if sa.family == AF_INET:
        return [AF_INET, addr_mod.ipv4_to_int("getsockname", sa.host), sa.port]
    if sa.family == AF_INET6:
        return [AF_INET6, addr_mod.ipv6_to_int("getsockname", sa.host), sa.port, sa.flowinfo, sa.scope_id]
    if sa.family == AF_UNIX:
        p = sa.path
        if isinstance(p, bytes):
            p = p.decode("latin-1")
        return [AF_UNIX, MString(p) if p else False]
    return [sa.family, False]


def make_socket_address(fam: Any, *args: Any) -> Any:
    """(make-socket-address fam addr port [flowinfo [scopeid]]) / (make-socket-address AF_UNIX path)"""
    return from_sockaddr(make_sockaddr("scm_c_make_socket_address", fam, list(args)))


def _vref(who: str, i: int, fam: Any = None) -> Any:
    def get(sa: Any) -> Any:
        if sa.__class__ is not list or len(sa) <= i:
            gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
                   [1, MString("socket address"), sa], slist(sa))
        return sa[i]
    get.__doc__ = f"({who} sockaddr)"
    return get


def _dest(who: str, a: Any, rest: List[Any], base: int) -> SockAddr:
    if a.__class__ is list:
        return to_sockaddr(who, a)
    return make_sockaddr(who, a, rest, base)


# ---------------------------------------------------------------- sockets

def _style(style: int) -> tuple:
    return style & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), bool(style & SOCK_NONBLOCK)


def socket(family: int, style: int, proto: int) -> GuileSocket:
    """(socket family style proto) -> socket port"""
    t, nb = _style(style)
    return wrap(CoreSocket.open(family, t, proto, "socket"), nb)


def socketpair(family: int, style: int, proto: int) -> Pair:
    """(socketpair family style proto) -> (port . port)"""
    t, nb = _style(style)
    a, b = CoreSocket.pair(family, t, proto, "socketpair")
    return cons(wrap(a, nb), wrap(b, nb))


def _linger(who: str, v: Any) -> Any:
    if not (isinstance(v, Pair) and v.car.__class__ is int and v.cdr.__class__ is int):
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A: ~S", [4, v], slist(v))
    return (v.car != 0, v.cdr)


def _timeval(who: str, v: Any) -> float:
    if v.__class__ is int:
        return float(v)
    if isinstance(v, Pair) and v.car.__class__ is int and v.cdr.__class__ is int:
        return v.car + v.cdr / 1_000_000
    gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A: ~S", [4, v], slist(v))
    raise AssertionError


def _mreq(who: str, v: Any) -> bytes:
    if not (isinstance(v, Pair) and v.car.__class__ is int and v.cdr.__class__ is int):
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A: ~S", [4, v], slist(v))
    iface = v.cdr
    if 0 < iface < 0x01000000:           # an interface index: struct ip_mreqn
        return v.car.to_bytes(4, "big") + bytes(4) + iface.to_bytes(4, "little")
    return v.car.to_bytes(4, "big") + (iface & 0xFFFFFFFF).to_bytes(4, "big")


def _int_value(who: str, v: Any) -> int:
    if v.__class__ is not int:
        gthrow("wrong-type", "wrong-type-arg", False, "Wrong type (expecting ~A): ~S",
               [MString("exact integer"), v], slist(v))
    return v


def _option(level: int, optname: int) -> Option:
    o = by_number(level, optname)
    if o.readonly:        # let the kernel answer (ENOPROTOOPT), as Guile does
        o = Option(o.name, level, optname, o.codec, False)
    return o


def setsockopt(sock: GuileSocket, level: int, optname: int, val: Any) -> Any:
    """(setsockopt sock level optname value)"""
    o = _option(level, optname)
    codec = o.codec.name
    if codec == "linger":
        v: Any = _linger("setsockopt", val)
    elif codec == "timeval":
        v = _timeval("setsockopt", val)
    elif o.name in ("IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP"):
        v = _mreq("setsockopt", val)
    else:
        v = _int_value("setsockopt", val)
        o = Option(o.name, level, optname, CODECS["int"], False)
    sock.core.set_option(o, v, "setsockopt")
    return UNSPECIFIED


def getsockopt(sock: GuileSocket, level: int, optname: int) -> Any:
    """(getsockopt sock level optname) -> integer or pair"""
    o = by_number(level, optname)
    v = sock.core.get_option(o, "getsockopt")
    codec = o.codec.name
    if codec == "linger":
        return cons(1 if v[0] else 0, v[1])
    if codec == "timeval":
        secs = int(v)
        return cons(secs, int(round((v - secs) * 1_000_000)))
    if codec == "bytes":
        return int.from_bytes(bytes(v[:4]), "little")
    return int(v)


def shutdown(sock: GuileSocket, how: int) -> Any:
    """(shutdown sock how)"""
    if how not in (0, 1, 2):
        gthrow("range", "out-of-range", False, "Value out of range ~S to< ~S: ~S", [0, 2, how], slist(how))
    sock.flush()
    sock.core.shutdown(how, "shutdown")
    return UNSPECIFIED


def connect(sock: GuileSocket, fam_or_addr: Any, *rest: Any) -> bool:
    """(connect sock sockaddr) / (connect sock fam addr port ...) -> #t, or #f if in progress"""
    sa = _dest("connect", fam_or_addr, list(rest), 3)
    if sock.nonblocking:
        return sock.core.connect_nowait(sa, "connect")
    sock.core.connect(sa, "connect")
    return True


def bind(sock: GuileSocket, fam_or_addr: Any, *rest: Any) -> Any:
    """(bind sock sockaddr) / (bind sock fam addr port ...)"""
    sock.core.bind(_dest("bind", fam_or_addr, list(rest), 3), "bind")
    return UNSPECIFIED


def listen(sock: GuileSocket, backlog: int) -> Any:
    """(listen sock backlog)"""
    sock.core.listen(backlog, "listen")
    return UNSPECIFIED


def accept(sock: GuileSocket, flags: int = 0) -> Any:
    """(accept sock [flags]) -> (port . sockaddr), or #f when non-blocking and none pending"""
    nb = bool(flags & SOCK_NONBLOCK)
    if sock.nonblocking:
        r = sock.core.accept_nowait("accept")
        if r is None:
            return False
    else:
        r = sock.core.accept("accept")
    return cons(wrap(r[0], nb), from_sockaddr(r[1]))


def getsockname(sock: GuileSocket) -> Any:
    """(getsockname sock) -> sockaddr"""
    return from_sockaddr(sock.core.getsockname("getsockname"))


def getpeername(sock: GuileSocket) -> Any:
    """(getpeername sock) -> sockaddr"""
    return from_sockaddr(sock.core.getpeername("getpeername"))


_DONTWAIT = C.get("MSG_DONTWAIT", 64)


def _nb(sock: GuileSocket, flags: int) -> dict:
    if sock.nonblocking or flags & _DONTWAIT:
        return {"timeout": 0}
    return {}


def _buffer(who: str, buf: Any) -> bytearray:
    """Guile validates the buffer as its argument 1 (libguile's SCM_VALIDATE_BYTEVECTOR (1, ...))."""
    if buf.__class__ is not bytearray:
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
               [1, MString("bytevector"), buf], slist(buf))
    return buf


def recv_bang(sock: GuileSocket, buf: Any, flags: int = 0) -> int:
    """(recv! sock buf [flags]) -> count"""
    if buf.__class__ is not bytearray:
        _buffer("recv!", buf)
    if sock.nonblocking or flags & _DONTWAIT:
        return sock.core.recv_into(buf, 0, None, flags, "recv!", timeout=0)
    return sock.core.recv_into(buf, 0, None, flags, "recv!")


def send(sock: GuileSocket, message: Any, flags: int = 0) -> int:
    """(send sock message [flags]) -> count"""
    if message.__class__ is not bytearray:
        _buffer("send", message)
    if sock.nonblocking or flags & _DONTWAIT:
        return sock.core.send(message, 0, None, flags, "send", timeout=0)
    return sock.core.send(message, 0, None, flags, "send")


def _range_check(who: str, n: int, start: int, end: Optional[int]) -> int:
    e = n if end is None else end
    if not 0 <= start <= min(n, e):
        gthrow("range", "out-of-range", who, "Value out of range: ~S", [start], slist(start))
    if not e <= n:
        gthrow("range", "out-of-range", who, "Value out of range: ~S", [e], slist(e))
    return e


def recvfrom_bang(sock: GuileSocket, buf: bytearray, flags: int = 0, start: int = 0,
                  end: Any = None) -> Pair:
    """(recvfrom! sock buf [flags [start [end]]]) -> (count . sockaddr-or-#f)"""
    e = _range_check("recvfrom!", len(buf), start, end)
    n, sa = sock.core.recvfrom_into(buf, start, e, flags, "recvfrom!", **_nb(sock, flags))
    if sa is not None and sa.family == AF_UNIX and not sa.path:
        sa = None
    return cons(n, from_sockaddr(sa))


_FLAG_POS = {AF_INET: 3, AF_INET6: 5, AF_UNIX: 2}


def sendto(sock: GuileSocket, message: bytearray, fam_or_addr: Any, *rest: Any) -> int:
    """(sendto sock message sockaddr [flags]) / (sendto sock message fam addr ... [flags]) -> count"""
    args = list(rest)
    if fam_or_addr.__class__ is list:
        sa = to_sockaddr("sendto", fam_or_addr)
        flags = args[0] if args else 0
    else:
        fam = _int_arg("sendto", 3, fam_or_addr)
        n_addr = 2 if fam == AF_INET else 4 if fam == AF_INET6 else 1
        if fam == AF_INET6:
            flags = args[4] if len(args) > 4 else 0
            addr_args = args[:4]
        else:
            flags = args[n_addr] if len(args) > n_addr else 0
            addr_args = args[:n_addr]
        sa = make_sockaddr("sendto", fam, addr_args, 4)
    flags = _int_arg("sendto", 4, flags)
    return sock.core.sendto(message, sa, 0, None, flags, "sendto", **_nb(sock, flags))


# ---------------------------------------------------------------- the table

EXPORTS: List[Entry] = [
    export("socket", socket, INT, INT, INT),
    export("socketpair", socketpair, INT, INT, INT),
    export("getsockopt", getsockopt, SOCK, INT, INT),
    export("setsockopt", setsockopt, SOCK, INT, INT, A.any),
    export("shutdown", shutdown, SOCK, INT),
    export("connect", connect, SOCK, A.any),
    export("bind", bind, SOCK, A.any),
    export("listen", listen, SOCK, INT),
    export("accept", accept, SOCK, INT),
    export("getsockname", getsockname, SOCK),
    export("getpeername", getpeername, SOCK),
    export("recv!", recv_bang, SOCK, A.any, INT),
    export("send", send, SOCK, A.any, INT),
    export("recvfrom!", recvfrom_bang, SOCK, BV, INT, A.index, A.index),
    export("sendto", sendto, SOCK, BV, A.any),
    export("make-socket-address", make_socket_address, A.any),
    export("sockaddr:fam", _vref("sockaddr:fam", 0), A.any),
    export("sockaddr:path", _vref("sockaddr:path", 1), A.any),
    export("sockaddr:addr", _vref("sockaddr:addr", 1), A.any),
    export("sockaddr:port", _vref("sockaddr:port", 2), A.any),
    export("sockaddr:flowinfo", _vref("sockaddr:flowinfo", 3), A.any),
    export("sockaddr:scopeid", _vref("sockaddr:scopeid", 4), A.any),
]

_PREFIXES = ("AF_", "PF_", "SOCK_", "SOL_", "SO_", "IPPROTO_", "IP_", "IPV6_", "TCP_", "MSG_",
             "AI_", "NI_", "EAI_", "INADDR_")
_SKIP = re.compile(r"^(SO_(PEER|BPF|ATTACH|DETACH|GET_FILTER|LOCK_FILTER)|IPPROTO_MAX)")
CONSTANT_ENTRIES: List[Entry] = [const(n) for n in sorted(C) if n.startswith(_PREFIXES) and not _SKIP.match(n)]
CONSTANT_ENTRIES += [
    const("SO_STYLE", "SO_TYPE"),
    value("IN6ADDR_ANY", 0), value("IN6ADDR_LOOPBACK", 1),
    value("INADDR_ANY", 0), value("INADDR_LOOPBACK", 0x7F000001),
    value("INADDR_BROADCAST", 0xFFFFFFFF), value("INADDR_NONE", 0xFFFFFFFF),
]
# glibc's EAI codes that CPython does not export (spec/guile.md §2, Linux values)
_GLIBC_EAI = {"EAI_NODATA": -5, "EAI_ADDRFAMILY": -9, "EAI_INPROGRESS": -100, "EAI_CANCELED": -101,
              "EAI_NOTCANCELED": -102, "EAI_ALLDONE": -103, "EAI_INTR": -104, "EAI_IDN_ENCODE": -105}
CONSTANT_ENTRIES += [value(k, C.get(k, v)) for k, v in _GLIBC_EAI.items()]
# Linux values of spec constants CPython may not export (spec/guile.md §2)
_LINUX = {"SO_NO_CHECK": 11, "SO_PRIORITY": 12, "SO_REUSEPORT": 15, "SO_RCVTIMEO": 20, "SO_SNDTIMEO": 21,
          "IP_MULTICAST_IF": 32, "IP_MULTICAST_TTL": 33, "IP_ADD_MEMBERSHIP": 35, "IP_DROP_MEMBERSHIP": 36,
          "IPV6_V6ONLY": 26, "IPPROTO_IPV6": 41, "TCP_CORK": 3, "MSG_DONTWAIT": 64, "AI_NUMERICSERV": 1024,
          "SOCK_RDM": 4, "SOCK_SEQPACKET": 5}
CONSTANT_ENTRIES += [value(k, v) for k, v in _LINUX.items() if k not in C]

BINDINGS = install(LIB, EXPORTS + CONSTANT_ENTRIES)

# The other parts of the dialect register into the same library when imported.
from . import guile_netdb, guile_host, guile_syntax  # noqa: E402,F401

from . import detect_guile as detect  # noqa: E402 - in the package index, so detection needs no import


def _vu8(reader: Any) -> Any:
    from ..reader.lexer import read_error  # noqa: F401  (error type for bad literals)
    items = reader.read_datum()
    out = bytearray()
    p = items
    while isinstance(p, Pair):
        b = p.car
        if b.__class__ is not int or not 0 <= b <= 255:
            raise SchemeError(reader.lexer.error(f"#vu8: not a byte: {b!r}"))
        out.append(b)
        p = p.cdr
    return out


LIBRARIES = ["(scheme base)", "(scheme char)", "(scheme cxr)", "(scheme lazy)", "(scheme inexact)",
             "(scheme complex)", "(scheme write)", "(scheme read)", "(scheme file)",
             "(scheme process-context)", "(scheme time)", "(scheme case-lambda)", "(scheme eval)", "(scheme repl)",
             "(polysock extras)", LIB, "(ice-9 rdelim)", "(ice-9 binary-ports)", "(ice-9 threads)",
             "(ice-9 format)", "(polysock guile bytevectors)",
             "(polysock guile syntax)"]

from . import guile_report  # noqa: E402 - the uncaught-error report

DIALECT = DialectSpec(
    "guile", libraries=LIBRARIES,
    reader=ReaderOptions(keywords="prefix", scsh_header=True, square_brackets=True,
                         hash_dispatch={"vu8": _vu8}),
    detect=detect,
    report=guile_report.report,
    description="GNU Guile 3.0: sockets are ports; catch/throw; (ice-9 ...) modules preloaded")

__all__ = ["GuileSocket", "DIALECT", "to_sockaddr", "from_sockaddr", "make_sockaddr", "wrap"]
