"""CHICKEN ``socket`` egg (spec/chicken.md §1–§9): records, addresses, resolution,
setup/teardown, data transfer and parameters, as a table over the net core.

Theory of operation
-------------------
A CHICKEN socket is a ``CkSocket`` record (fileno, family, type, protocol) holding the
one ``CoreSocket``; the core socket's ``owner`` points back. Socket addresses wrap the
core ``SockAddr`` in ``CkSockaddr`` and getaddrinfo rows become ``CkAddrinfo``; each
prints as the egg's record printers do. Every blocking call goes through the core
(parking only the calling green thread) with the deadline taken from the CHICKEN
millisecond parameters, and every failure is re-raised by ``rethrow_net`` in the
egg's words ("cannot bind to socket - Address already in use", location
``socket-bind``, arguments the socket and address), keeping the core kind so that
the condition stays one core Condition seen through CHICKEN's kind lists.

The egg's observable quirks are kept (spec §12): a failed ``socket-connect`` closes
the descriptor; ``socket-name`` is #f for an unbound socket and for unix sockets;
``socket-peer-name`` is #f when not connected; ``address-information`` answers '()
for EAI_NONAME; ``name-information`` returns a numeric service as an integer.
"""
from __future__ import annotations

import errno as _errno
import os
import weakref
from typing import Any, Dict, List, Optional, Tuple

from ..net import resolve
from ..net.address import SockAddr, unix as unix_sockaddr
from ..net.constants import CONSTANTS
from ..net.sockets import CoreSocket
from ..runtime.argtypes import A, NAMESPACE
from ..runtime.dynamic import Parameter
from ..values.conditions import SchemeError, out_of_range, throw, wrong_type
from ..values.misc import UNSPECIFIED, Keyword, MultipleValues
from ..values.numbers import REAL_CLASSES
from ..values.pairs import NIL, Pair, to_list, cons
from ..values.strings import MString, splice
from ._table import Entry, export, install, scheme_list, value
from .chicken_data import (Blob, buffer_length, bytes_to_mstring, core_condition, domain_error,
                           ms_to_seconds, net_error, register_fd, rethrow_net, str_to_bytes, sym)

LIBS = ("(socket)", "(polysock chicken)")
C = CONSTANTS
AF_INET = C["AF_INET"]
AF_INET6 = C["AF_INET6"]
AF_UNIX = C.get("AF_UNIX")
EAI_NONAME = C.get("EAI_NONAME", -2)


def _c(name: str, default: Any = False) -> Any:
    return C.get(name, default)


# ---------------------------------------------------------------- symbolic names

FAMILY_NAMES = {_c("AF_UNSPEC", 0): "af/unspec", AF_INET: "af/inet", AF_INET6: "af/inet6"}
TYPE_NAMES = {_c("SOCK_STREAM", 1): "sock/stream", _c("SOCK_DGRAM", 2): "sock/dgram",
              _c("SOCK_RAW", 3): "sock/raw"}
PROTO_NAMES = {_c("IPPROTO_TCP", 6): "ipproto/tcp", _c("IPPROTO_UDP", 17): "ipproto/udp"}


def _sym_or_int(table: Dict[int, str], n: Any) -> Any:
    name = table.get(n)
    return sym(name) if name is not None else n


def _name_or_int(table: Dict[int, str], n: Any) -> str:
    name = table.get(n)
    return name if name is not None else str(n)


# ---------------------------------------------------------------- records

class CkSocket:
    """The egg's ``socket`` record over one CoreSocket."""

    __slots__ = ("core", "fileno", "family", "type", "protocol", "__weakref__")

    def __init__(self, core: CoreSocket, family: int, type: int, protocol: int) -> None:
        self.core, self.fileno = core, core.fd
        self.family, self.type, self.protocol = family, type, protocol
        core.owner = weakref.ref(self)   # weak: no cycle, freed at close
        register_fd(core)


class CkSockaddr:
    """The egg's ``sockaddr`` record over a core SockAddr."""

    __slots__ = ("addr",)

    def __init__(self, addr: SockAddr) -> None:
        self.addr = addr

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CkSockaddr) and other.addr == self.addr

    def __hash__(self) -> int:
        return hash(self.addr)


class CkAddrinfo:
    """The egg's ``addrinfo`` record."""

    __slots__ = ("flags", "family", "socktype", "protocol", "address", "canonname")

    def __init__(self, flags: int, family: int, socktype: int, protocol: int,
                 address: CkSockaddr, canonname: Any) -> None:
        self.flags, self.family, self.socktype, self.protocol = flags, family, socktype, protocol
        self.address, self.canonname = address, canonname


def _host_text(a: SockAddr) -> str:
    if a.family == AF_INET6 and a.scope_id:
        return f"{a.host}%{a.scope_id}"
    return a.host


def sockaddr_text(a: SockAddr) -> Any:
    """sockaddr->string of a core address (a Python str, or None)."""
    if a.family in (AF_INET, AF_INET6):
        h = _host_text(a)
        if a.port == 0:
            return h
        return f"[{h}]:{a.port}" if a.family == AF_INET6 else f"{h}:{a.port}"
    if AF_UNIX is not None and a.family == AF_UNIX:
        p = a.path
        return p if isinstance(p, str) else bytes(p).decode("latin-1")
    return None


def _write(x: Any) -> str:
    from ..reader.printer import write_string
    return write_string(x)


def _p_socket(s: CkSocket, write: bool) -> str:
    return (f"#<socket fd:{s.fileno} {_name_or_int(FAMILY_NAMES, s.family)} "
            f"{_name_or_int(TYPE_NAMES, s.type)}>")


def _p_sockaddr(s: CkSockaddr, write: bool) -> str:
    t = sockaddr_text(s.addr)
    return f"#<sockaddr {_write(MString(t)) if t is not None else '#f'}>"


def _p_addrinfo(a: CkAddrinfo, write: bool) -> str:
    t = sockaddr_text(a.address.addr)
    canon = f" canonical: {_write(a.canonname)}" if a.canonname is not False else ""
    return (f"#<addrinfo {_write(MString(t)) if t is not None else '#f'} "
            f"{_name_or_int(FAMILY_NAMES, a.family)} {_name_or_int(TYPE_NAMES, a.socktype)} "
            f"{_name_or_int(PROTO_NAMES, a.protocol)}{canon}>")


def _register_printers() -> None:
    from ..reader.printer import PRINTERS
    PRINTERS[CkSocket] = _p_socket
    PRINTERS[CkSockaddr] = _p_sockaddr
    PRINTERS[CkAddrinfo] = _p_addrinfo


_register_printers()

# Class tests as templates: checked inline by wrappers and compiled call sites.
NAMESPACE.update(CkSocket=CkSocket, CkSockaddr=CkSockaddr, CkAddrinfo=CkAddrinfo)
A.define("ck_socket", "socket", "{x}.__class__ is CkSocket")
A.define("ck_sockaddr", "sockaddr", "{x}.__class__ is CkSockaddr")
A.define("ck_addrinfo", "addrinfo", "{x}.__class__ is CkAddrinfo")
A.define("ck_timeout", "exact integer or #f", "({x} is False or {x}.__class__ is int)")


# ---------------------------------------------------------------- parameters

def _exact_or_false(who: str) -> Any:
    def check(v: Any) -> Any:
        if v is not False and v.__class__ is not int:
            wrong_type(who, 1, "exact integer", v)
        return v
    return check


MINUTE = 60 * 1000
socket_connect_timeout = Parameter(False, _exact_or_false("socket-connect-timeout"), "socket-connect-timeout")
socket_accept_timeout = Parameter(False, _exact_or_false("socket-accept-timeout"), "socket-accept-timeout")
socket_receive_timeout = Parameter(MINUTE, _exact_or_false("socket-receive-timeout"), "socket-receive-timeout")
socket_send_timeout = Parameter(MINUTE, _exact_or_false("socket-send-timeout"), "socket-send-timeout")
socket_send_buffer_size = Parameter(False, None, "socket-send-buffer-size")
socket_send_size = Parameter(16384, None, "socket-send-size")
socket_receive_buffer_size = Parameter(4096, None, "socket-receive-buffer-size")


# ---------------------------------------------------------------- sockets

def socket(family: int, type: int, protocol: int = 0) -> CkSocket:
    """(socket family type #!optional (protocol 0)) -> socket"""
    try:
        core = CoreSocket.open(family, type, protocol, "socket")
    except SchemeError as e:
        rethrow_net(e, "socket", "cannot create socket", _sym_or_int(FAMILY_NAMES, family),
                    _sym_or_int(TYPE_NAMES, type), _sym_or_int(PROTO_NAMES, protocol), plain=True)
    return CkSocket(core, family, type, protocol)


def socket_p(x: Any) -> bool:
    """(socket? obj) -> boolean"""
    return x.__class__ is CkSocket


def socket_fileno(so: CkSocket) -> int:
    """(socket-fileno so) -> integer"""
    return so.fileno


def socket_family(so: CkSocket) -> int:
    """(socket-family so) -> integer"""
    return so.family


def socket_type(so: CkSocket) -> int:
    """(socket-type so) -> integer"""
    return so.type


def socket_protocol(so: CkSocket) -> int:
    """(socket-protocol so) -> integer"""
    return so.protocol


# ---------------------------------------------------------------- addresses

def sockaddr_p(x: Any) -> bool:
    """(sockaddr? obj) -> boolean"""
    return x.__class__ is CkSockaddr


def sockaddr_family(sa: CkSockaddr) -> int:
    """(sockaddr-family sa) -> integer"""
    return sa.addr.family


def sockaddr_address(sa: CkSockaddr) -> Any:
    """(sockaddr-address sa) -> string or #f"""
    a = sa.addr
    if a.family in (AF_INET, AF_INET6):
        return MString(_host_text(a))
    if AF_UNIX is not None and a.family == AF_UNIX:
        return MString(sockaddr_text(a))
    return False


def sockaddr_port(sa: CkSockaddr) -> int:
    """(sockaddr-port sa) -> integer"""
    if sa.addr.family in (AF_INET, AF_INET6):
        return sa.addr.port
    net_error("sockaddr-port", "unable to obtain port for socket address", sa)


def sockaddr_path(sa: CkSockaddr) -> Any:
    """(sockaddr-path sa) -> string"""
    if AF_UNIX is not None and sa.addr.family == AF_UNIX:
        return MString(sockaddr_text(sa.addr))
    net_error("sockaddr-path", "unable to obtain path for socket address", sa)


def sockaddr_to_string(sa: CkSockaddr) -> Any:
    """(sockaddr->string sa) -> string or #f"""
    t = sockaddr_text(sa.addr)
    return MString(t) if t is not None else False


def _text(x: Any) -> Any:
    return x.s if x.__class__ is MString else x


def inet_address(addr: Any, port: Any) -> CkSockaddr:
    """(inet-address addr port) -> sockaddr"""
    if port is not False:
        if port.__class__ not in REAL_CLASSES:        # the egg's (exact? port) rejects it
            throw("wrong-type", "exact?", "bad argument type - not a number", port)
        if port.__class__ is not int:
            domain_error("inet-address", "port must be a numeric value or #f", port)
    host = None if addr is False else _text(addr)
    if host is not None and not isinstance(host, str):
        wrong_type("inet-address", 1, "string", addr)
    flags = _c("AI_NUMERICHOST", 4) | _c("AI_NUMERICSERV", 0) | (0 if host is not None else _c("AI_PASSIVE", 1))
    try:
        rows = resolve.getaddrinfo(host, None if port is False else port, 0, 0, 0, flags,
                                   who="inet-address")
    except SchemeError:
        rows = []
    if not rows:
        net_error("inet-address", "invalid internet address", addr, port)
    return CkSockaddr(rows[0].addr)


def unix_address(path: Any) -> CkSockaddr:
    """(unix-address path) -> sockaddr"""
    if AF_UNIX is None:
        from ..values.conditions import throw
        throw("error", "unix-address", "unix sockets are not supported on this platform")
    p = path.s
    raw = p.encode("utf-8")
    if len(raw) > 107:                    # the egg truncates to sun_path
        p = raw[:107].decode("utf-8", "ignore")
    return CkSockaddr(unix_sockaddr(p, "unix-address"))


def _keywords(who: str, rest: Tuple[Any, ...], allowed: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(allowed)
    i = 0
    while i < len(rest):
        k = rest[i]
        if k.__class__ is not Keyword:
            from ..values.conditions import throw
            throw("wrong-type", who, "bad argument type - not a keyword", k)
        if i + 1 >= len(rest):
            from ..values.conditions import throw
            throw("arity", who, "missing keyword argument value", k)
        if k.name in out:
            out[k.name] = rest[i + 1]
        i += 2
    return out


def address_information(node: Any, service: Any, *keys: Any) -> Any:
    """(address-information node service #!key family (type sock/stream) protocol flags) -> list"""
    kw = _keywords("address-information", keys,
                   {"family": False, "type": _c("SOCK_STREAM", 1), "protocol": False, "flags": False})
    host = None if node is False else _text(node)
    serv: Any = None if service is False else (str(service) if service.__class__ is int else _text(service))
    if host is None and serv is None:
        return NIL
    fam, typ, proto, flags = (kw[k] or 0 for k in ("family", "type", "protocol", "flags"))
    try:
        rows = resolve.getaddrinfo(host, serv, fam, typ, proto, flags, who="getaddrinfo")
    except SchemeError as e:
        c = core_condition(e)
        if c is not None and c.data.get("gai_code") == EAI_NONAME:
            return NIL
        if c is not None and c.kind in ("resolve", "range"):
            text = c.data.get("strerror") or c.message
            net_error("getaddrinfo", text, node, gai_code=c.data.get("gai_code"))
        raise
    return scheme_list(CkAddrinfo(flags, r.family, r.type, r.proto, CkSockaddr(r.addr),
                                  MString(r.canonname) if r.canonname else False) for r in rows)


def addrinfo_p(x: Any) -> bool:
    """(addrinfo? obj) -> boolean"""
    return x.__class__ is CkAddrinfo


def addrinfo_family(ai: CkAddrinfo) -> int:
    """(addrinfo-family ai) -> integer"""
    return ai.family


def addrinfo_socktype(ai: CkAddrinfo) -> int:
    """(addrinfo-socktype ai) -> integer"""
    return ai.socktype


def addrinfo_protocol(ai: CkAddrinfo) -> int:
    """(addrinfo-protocol ai) -> integer"""
    return ai.protocol


def addrinfo_address(ai: CkAddrinfo) -> CkSockaddr:
    """(addrinfo-address ai) -> sockaddr"""
    return ai.address


def addrinfo_canonname(ai: CkAddrinfo) -> Any:
    """(addrinfo-canonname ai) -> string or #f"""
    return ai.canonname


def addrinfo_flags(ai: CkAddrinfo) -> int:
    """(addrinfo-flags ai) -> integer"""
    return ai.flags


def name_information(saddr: Any, flags: int = 0) -> Pair:
    """(name-information saddr #!optional (flags 0)) -> (node . service)"""
    if saddr.__class__ is MString:
        saddr = inet_address(saddr, False)
    elif saddr.__class__ is not CkSockaddr:
        wrong_type("name-information", 1, "sockaddr", saddr)
    try:
        host, serv = resolve.getnameinfo(saddr.addr, flags, who="getnameinfo")
    except SchemeError as e:
        c = core_condition(e)
        if c is not None and c.kind == "resolve":
            net_error("getnameinfo", c.data.get("strerror") or c.message,
                      gai_code=c.data.get("gai_code"))
        raise
    s: Any = int(serv) if serv.isdigit() else MString(serv)
    return cons(MString(host), s)


def parse_inet_address(text: MString) -> MultipleValues:
    """(parse-inet-address str) -> host-or-#f port-or-#f"""
    s = text.s

    def v(x: Optional[str]) -> Any:
        return False if not x else MString(x)
    if s == "":
        return MultipleValues((MString(""), False))
    if s[0] == "[":
        j = s.find("]", 1)
        if j < 0:
            return MultipleValues((MString(s), False))
        host = s[1:j]
        if j + 1 == len(s):
            return MultipleValues((v(host), False))
        if s[j + 1] == ":":
            return MultipleValues((v(host), v(s[j + 2:])))
        return MultipleValues((MString(s), False))
    j = s.find(":")
    if j < 0:
        return MultipleValues((MString(s), False))
    if s.find(":", j + 1) >= 0:
        return MultipleValues((MString(s), False))
    return MultipleValues((v(s[:j]), v(s[j + 1:])))


# ---------------------------------------------------------------- setup and teardown

def socket_connect(so: CkSocket, saddr: CkSockaddr) -> Any:
    """(socket-connect so saddr) -> unspecified"""
    ms = socket_connect_timeout()
    try:
        so.core.connect(saddr.addr, "socket-connect", ms_to_seconds(ms))
    except SchemeError as e:
        so.core.close()                       # the egg closes the descriptor on failure
        rethrow_net(e, "socket-connect", "cannot initiate connection", so, saddr,
                    transient=True, timeout_ms=ms, fd=so.fileno)
    return UNSPECIFIED


def _is_retryable(e: SchemeError) -> bool:
    c = core_condition(e)
    return c is not None and (c.kind == "timeout" or "transient" in c.data.get("ck_kinds", ()))


def socket_connect_ai(ais: Any) -> CkSocket:
    """(socket-connect/ai ais) -> socket"""
    if ais is NIL:
        net_error("socket-connect/ai", "no addresses to connect to")
    x = ais
    while True:
        if not isinstance(x, Pair):
            wrong_type("socket-connect/ai", 1, "list of addrinfo", ais)
        ai = x.car
        if ai.__class__ is not CkAddrinfo:
            wrong_type("socket-connect/ai", 1, "addrinfo", ai)
        so = socket(ai.family, ai.socktype, 0)
        try:
            socket_connect(so, ai.address)
            return so
        except SchemeError as e:
            if x.cdr is NIL or not _is_retryable(e):
                raise
        x = x.cdr


def socket_bind(so: CkSocket, saddr: CkSockaddr) -> Any:
    """(socket-bind so saddr) -> unspecified"""
    fam = saddr.addr.family
    if fam != so.family and {fam, so.family} <= {AF_INET, AF_INET6}:
        # What Linux bind(2) says: a short sockaddr_in for an inet6 socket is EINVAL,
        # a sockaddr_in6 for an inet socket is EAFNOSUPPORT.
        err = _errno.EINVAL if so.family == AF_INET6 else _errno.EAFNOSUPPORT
        net_error("socket-bind", "cannot bind to socket - " + os.strerror(err), so, saddr,
                  errno=err)
    try:
        so.core.bind(saddr.addr, "socket-bind")
    except SchemeError as e:
        rethrow_net(e, "socket-bind", "cannot bind to socket", so, saddr)
    return UNSPECIFIED


def socket_listen(so: CkSocket, backlog: int) -> Any:
    """(socket-listen so backlog) -> unspecified"""
    try:
        so.core.listen(backlog, "socket-listen")
    except SchemeError as e:
        rethrow_net(e, "socket-listen", "cannot listen on socket", so)
    return UNSPECIFIED


def socket_accept(so: CkSocket) -> CkSocket:
    """(socket-accept so) -> socket"""
    ms = socket_accept_timeout()
    if so.core.closed:                    # the egg selects on the descriptor first
        net_error("socket-accept", "select failed - Bad file descriptor", so, errno=_errno.EBADF)
    try:
        core, _ = so.core.accept("socket-accept", ms_to_seconds(ms))
    except SchemeError as e:
        rethrow_net(e, "socket-accept", "could not accept from listener", so,
                    timeout_ms=ms, fd=so.fileno)
    return CkSocket(core, so.family, so.type, so.protocol)


def socket_accept_ready_p(so: CkSocket) -> bool:
    """(socket-accept-ready? so) -> boolean"""
    if so.core.closed:
        net_error("socket-receive-ready?", "unable to check socket for input - Bad file descriptor", so)
    return so.core.ready()


def socket_shutdown(so: CkSocket, how: int) -> Any:
    """(socket-shutdown so how) -> unspecified"""
    if how not in (0, 1, 2) and not so.core.closed:
        net_error("socket-shutdown", "unable to shutdown socket - " + os.strerror(_errno.EINVAL),
                  so, errno=_errno.EINVAL)
    try:
        so.core.shutdown(how, "socket-shutdown")
    except SchemeError as e:
        c = core_condition(e)
        if c is not None and c.data.get("errno") == _errno.ENOTCONN:
            return UNSPECIFIED
        rethrow_net(e, "socket-shutdown", "unable to shutdown socket", so, how)
    return UNSPECIFIED


def socket_close(so: CkSocket) -> Any:
    """(socket-close so) -> unspecified"""
    if so.core.closed:
        net_error("socket-close", "could not close socket - Bad file descriptor", so,
                  errno=_errno.EBADF)
    try:
        so.core.close("socket-close")
    except SchemeError as e:
        rethrow_net(e, "socket-close", "could not close socket", so)
    return UNSPECIFIED


def socket_close_star(so: CkSocket) -> Any:
    """(socket-close* so) -> unspecified"""
    try:
        so.core.close("socket-close*")
    except SchemeError:
        pass
    return UNSPECIFIED


def socket_name(so: CkSocket) -> Any:
    """(socket-name so) -> sockaddr or #f"""
    if AF_UNIX is not None and so.family == AF_UNIX:
        return False
    try:
        a = so.core.getsockname("socket-name")
    except SchemeError as e:
        rethrow_net(e, "socket-name", "unable to get socket name", so)
    if a is None or a.port == 0:
        return False
    return CkSockaddr(a)


def socket_peer_name(so: CkSocket) -> Any:
    """(socket-peer-name so) -> sockaddr or #f"""
    try:
        a = so.core.getpeername("socket-peer-name")
    except SchemeError as e:
        c = core_condition(e)
        if c is not None and c.data.get("errno") == _errno.ENOTCONN:
            return False
        rethrow_net(e, "socket-peer-name", "unable to get socket peer name", so)
    return CkSockaddr(a) if a is not None else False


# ---------------------------------------------------------------- data transfer

def _span(who: str, what: str, so: CkSocket, buf: Any, start: Any, end: Any, flags: Any) -> int:
    n = len(buf.s) if buf.__class__ is MString else buffer_length(buf)
    if n is None:
        net_error(who, f"{what} buffer must be a blob or a string", so)
    if end is False:
        end = n
    if not (start.__class__ is int and end.__class__ is int and flags.__class__ is int):
        for pos, v in ((3, start), (4, end), (5, flags)):
            if v.__class__ is not int:
                wrong_type(who, pos, "exact integer", v)
    if start < 0 or end > n or end < start:
        net_error(who, f"{what} buffer offsets out of range", start, end)
    return int(end)


def _store(buf: Any, start: int, data: bytes) -> None:
    """Write received bytes into a string or blob buffer at *start*."""
    if buf.__class__ is MString:
        splice(buf, start, data.decode("latin-1"))
    else:
        b = buf.b if buf.__class__ is Blob else buf
        b[start:start + len(data)] = data


def receive_bytes(so: CkSocket, n: int, flags: int, who: str, ms: Any, from_: bool = False) -> Any:
    """recv/recvfrom of up to *n* bytes with CHICKEN's error shapes."""
    try:
        if from_:
            return so.core.recvfrom(n, flags, who, ms_to_seconds(ms))
        return so.core.recv(n, flags, who, ms_to_seconds(ms))
    except SchemeError as e:
        rethrow_net(e, who, "cannot read from socket", so, timeout_ms=ms, fd=so.fileno)


def socket_receive_bang(so: CkSocket, buf: Any, start: Any = 0, end: Any = False, flags: Any = 0) -> int:
    """(socket-receive! so buf #!optional (start 0) (end #f) (flags 0)) -> integer"""
    end = _span("socket-receive!", "receive", so, buf, start, end, flags)
    data = receive_bytes(so, end - start, flags, "socket-receive!", socket_receive_timeout())
    _store(buf, start, data)
    return len(data)


def _check_length(n: int) -> None:
    """The egg makes its buffer with (make-string len): a negative length is (exn bounds)."""
    if n < 0:
        out_of_range("make-string", 1, n)


def socket_receive(so: CkSocket, n: int, flags: Any = 0) -> MString:
    """(socket-receive so len #!optional (flags 0)) -> string"""
    _check_length(n)
    # The egg reports receive failures from socket-receive! (socket-receive calls it).
    return bytes_to_mstring(receive_bytes(so, n, flags, "socket-receive!", socket_receive_timeout()))


def _peer(a: Optional[SockAddr]) -> Any:
    if a is None or (AF_UNIX is not None and a.family == AF_UNIX and not a.path):
        return False
    return CkSockaddr(a)


def socket_receive_from_bang(so: CkSocket, buf: Any, start: Any = 0, end: Any = False,
                             flags: Any = 0) -> MultipleValues:
    """(socket-receive-from! so buf #!optional (start 0) (end #f) (flags 0)) -> count sockaddr"""
    end = _span("socket-receive-from!", "receive", so, buf, start, end, flags)
    data, a = receive_bytes(so, end - start, flags, "socket-receive-from!",
                            socket_receive_timeout(), True)
    _store(buf, start, data)
    return MultipleValues((len(data), _peer(a)))


def socket_receive_from(so: CkSocket, n: int, flags: Any = 0) -> MultipleValues:
    """(socket-receive-from so len #!optional (flags 0)) -> string sockaddr"""
    _check_length(n)
    data, a = receive_bytes(so, n, flags, "socket-receive!", socket_receive_timeout(), True)
    return MultipleValues((bytes_to_mstring(data), _peer(a)))


def socket_receive_ready_p(so: CkSocket) -> bool:
    """(socket-receive-ready? so) -> boolean"""
    if so.core.closed:
        net_error("socket-receive-ready?", "unable to check socket for input - Bad file descriptor", so)
    return so.core.ready()


def _slice(buf: Any, start: int, end: int) -> bytes:
    if buf.__class__ is MString:
        t = buf.s[start:end] if start or end != len(buf.s) else buf.s
        try:                       # str_to_bytes, without its call: the usual case
            return t.encode("latin-1")
        except UnicodeEncodeError:
            return str_to_bytes(t)
    b = buf.b if buf.__class__ is Blob else buf
    return bytes(b[start:end])


def send_bytes(so: CkSocket, data: bytes, flags: int, who: str, ms: Any,
               to: Optional[CkSockaddr] = None) -> int:
    """One send/sendto with CHICKEN's error shapes; returns the count sent."""
    try:
        if to is not None:
            n: int = so.core.sendto(data, to.addr, 0, None, flags, who, ms_to_seconds(ms))
        else:
            n = so.core.send(data, 0, None, flags, who, ms_to_seconds(ms))
        return n
    except SchemeError as e:
        if to is not None:
            rethrow_net(e, who, "cannot send to socket", so, to, timeout_ms=ms, fd=so.fileno)
        rethrow_net(e, who, "cannot send to socket", so, timeout_ms=ms, fd=so.fileno)


def socket_send(so: CkSocket, buf: Any, start: Any = 0, end: Any = False, flags: Any = 0) -> int:
    """(socket-send so buf #!optional (start 0) (end #f) (flags 0)) -> integer"""
    end = _span("socket-send", "send", so, buf, start, end, flags)
    return send_bytes(so, _slice(buf, start, end), flags, "socket-send", socket_send_timeout())


def socket_send_to(so: CkSocket, buf: Any, saddr: CkSockaddr, start: Any = 0, end: Any = False,
                   flags: Any = 0) -> int:
    """(socket-send-to so buf saddr #!optional (start 0) (end #f) (flags 0)) -> integer"""
    end = _span("socket-send-to", "send", so, buf, start, end, flags)
    return send_bytes(so, _slice(buf, start, end), flags, "socket-send-to", socket_send_timeout(), saddr)


def send_all_bytes(so: CkSocket, data: bytes, flags: int, who: str, ms: Any, chunk: Any) -> None:
    """Send every byte of *data* in chunks of at most *chunk* bytes (#f = no limit)."""
    pos, n = 0, len(data)
    if n and (not chunk or n <= chunk):   # one send(2) usually takes it all: no view
        pos = send_bytes(so, data, flags, who, ms)
        if pos == n:
            return
    view = memoryview(data)
    while pos < n:
        stop = n if not chunk else min(n, pos + chunk)
        pos += send_bytes(so, view[pos:stop], flags, who, ms)     # a view: no copy


def socket_send_all(so: CkSocket, buf: Any, start: Any = 0, end: Any = False, flags: Any = 0) -> Any:
    """(socket-send-all so buf #!optional (start 0) (end #f) (flags 0)) -> unspecified"""
    end = _span("socket-send-all", "send", so, buf, start, end, flags)
    send_all_bytes(so, _slice(buf, start, end), flags, "socket-send-all", socket_send_timeout(),
                   socket_send_size())
    return UNSPECIFIED


# ---------------------------------------------------------------- symbolic conversion

def _lookup_int(table: Dict[int, str], n: int) -> Any:
    name = table.get(n)
    return sym(name) if name is not None else False


def _lookup_sym(who: str, table: Dict[int, str], s: Any) -> int:
    if s.__class__ is Pair or s is NIL:           # a list of symbols is OR-ed together
        acc = 0
        for x in to_list(s):
            acc |= _lookup_sym(who, table, x)
        return acc
    for k, v in table.items():
        if getattr(s, "name", None) == v:
            return int(k)
    from ..values.conditions import throw
    throw("wrong-type", who, "not a member of enum", s)
    raise AssertionError


def integer_to_address_family(n: int) -> Any:
    """(integer->address-family int) -> symbol or #f"""
    return _lookup_int(FAMILY_NAMES, n)


def address_family_to_integer(s: Any) -> int:
    """(address-family->integer sym) -> integer"""
    return _lookup_sym("address-family->integer", FAMILY_NAMES, s)


def integer_to_socket_type(n: int) -> Any:
    """(integer->socket-type int) -> symbol or #f"""
    return _lookup_int(TYPE_NAMES, n)


def socket_type_to_integer(s: Any) -> int:
    """(socket-type->integer sym) -> integer"""
    return _lookup_sym("socket-type->integer", TYPE_NAMES, s)


def integer_to_protocol_type(n: int) -> Any:
    """(integer->protocol-type int) -> symbol or #f"""
    return _lookup_int(PROTO_NAMES, n)


def protocol_type_to_integer(s: Any) -> int:
    """(protocol-type->integer sym) -> integer"""
    return _lookup_sym("protocol-type->integer", PROTO_NAMES, s)


# ---------------------------------------------------------------- the table

sock, addr, ai_ = A.ck_socket, A.ck_sockaddr, A.ck_addrinfo
EI = A.exact_integer
EXPORTS: List[Entry] = [
    export("socket", socket, EI, EI, EI),
    export("socket?", socket_p, A.any),
    export("socket-fileno", socket_fileno, sock),
    export("socket-family", socket_family, sock),
    export("socket-type", socket_type, sock),
    export("socket-protocol", socket_protocol, sock),
    export("sockaddr?", sockaddr_p, A.any),
    export("sockaddr-family", sockaddr_family, addr),
    export("sockaddr-address", sockaddr_address, addr),
    export("sockaddr-port", sockaddr_port, addr),
    export("sockaddr-path", sockaddr_path, addr),
    export("sockaddr->string", sockaddr_to_string, addr),
    export("inet-address", inet_address, A.or_false(A.string), A.any),
    export("unix-address", unix_address, A.string),
    export("address-information", address_information, A.or_false(A.string), A.any),
    export("addrinfo?", addrinfo_p, A.any),
    export("addrinfo-family", addrinfo_family, ai_),
    export("addrinfo-socktype", addrinfo_socktype, ai_),
    export("addrinfo-protocol", addrinfo_protocol, ai_),
    export("addrinfo-address", addrinfo_address, ai_),
    export("addrinfo-canonname", addrinfo_canonname, ai_),
    export("addrinfo-flags", addrinfo_flags, ai_),
    export("name-information", name_information, A.any, EI),
    export("parse-inet-address", parse_inet_address, A.string),
    export("socket-connect", socket_connect, sock, addr),
    export("socket-connect/ai", socket_connect_ai, A.list),
    export("socket-bind", socket_bind, sock, addr),
    export("socket-listen", socket_listen, sock, EI),
    export("socket-accept", socket_accept, sock),
    export("socket-accept-ready?", socket_accept_ready_p, sock),
    export("socket-shutdown", socket_shutdown, sock, EI),
    export("socket-close", socket_close, sock),
    export("socket-close*", socket_close_star, sock),
    export("socket-name", socket_name, sock),
    export("socket-peer-name", socket_peer_name, sock),
    export("socket-receive!", socket_receive_bang, sock),
    export("socket-receive", socket_receive, sock, EI, EI),
    export("socket-receive-from!", socket_receive_from_bang, sock),
    export("socket-receive-from", socket_receive_from, sock, EI, EI),
    export("socket-receive-ready?", socket_receive_ready_p, sock),
    export("socket-send", socket_send, sock),
    export("socket-send-to", socket_send_to, sock, A.any, addr),
    export("socket-send-all", socket_send_all, sock),
    export("integer->address-family", integer_to_address_family, EI),
    export("address-family->integer", address_family_to_integer, A.any),
    export("integer->socket-type", integer_to_socket_type, EI),
    export("socket-type->integer", socket_type_to_integer, A.any),
    export("integer->protocol-type", integer_to_protocol_type, EI),
    export("protocol-type->integer", protocol_type_to_integer, A.any),
    value("socket-connect-timeout", socket_connect_timeout),
    value("socket-accept-timeout", socket_accept_timeout),
    value("socket-receive-timeout", socket_receive_timeout),
    value("socket-send-timeout", socket_send_timeout),
    value("socket-send-buffer-size", socket_send_buffer_size),
    value("socket-send-size", socket_send_size),
    value("socket-receive-buffer-size", socket_receive_buffer_size),
]

BINDINGS = install(LIBS, EXPORTS)
