"""Name resolution, run off the hub, through a replaceable resolver object.

Every public function here calls the current resolver's method of the same name via
``hub.run_in_worker`` (so a slow lookup parks only the calling green thread) and turns
failures into conditions: getaddrinfo/getnameinfo -> "resolve" (raw EAI code, negative
on glibc); gethostby* -> "herror" (h_errno 1-4); services, protocols and networks not
found -> "not-found". Results are small value objects (Python data; dialects reshape).

``set_resolver(obj)`` installs another resolver (tests use tests/fakes/resolver.py);
it must offer the methods of ``SystemResolver``.
"""
from __future__ import annotations

import socket as _socket
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

from ..values.conditions import SchemeError, make_condition
from .address import SockAddr, check_port, from_python
from .errors import VALUE_ERRORS, lower_first, not_found, raise_os_error
from .sockets import get_hub

# EAI code -> h_errno, for gethostby* answered by getaddrinfo underneath.
EAI_TO_H_ERRNO = {
    getattr(_socket, "EAI_NONAME", -2): 1,    # HOST_NOT_FOUND
    getattr(_socket, "EAI_AGAIN", -3): 2,     # TRY_AGAIN
    getattr(_socket, "EAI_FAIL", -4): 3,      # NO_RECOVERY
    getattr(_socket, "EAI_NODATA", -5): 4,    # NO_DATA
}
H_ERRNO_TEXT = {1: "Unknown host", 2: "Host name lookup failure",
                3: "Unknown server error", 4: "No address associated with name"}


class AddrInfo:
    """One getaddrinfo result."""
    __slots__ = ("family", "type", "proto", "canonname", "addr")

    def __init__(self, family: int, type: int, proto: int, canonname: str, addr: SockAddr) -> None:
        self.family, self.type, self.proto, self.canonname, self.addr = family, type, proto, canonname, addr

    def __repr__(self) -> str:
        return f"<addrinfo {self.addr} type {self.type} proto {self.proto}>"


class HostEnt:
    """A hosts-database entry: name, aliases, address family, address texts."""
    __slots__ = ("name", "aliases", "addrtype", "addresses")

    def __init__(self, name: str, aliases: List[str], addrtype: int, addresses: List[str]) -> None:
        self.name, self.aliases, self.addrtype, self.addresses = name, aliases, addrtype, addresses


class ServEnt:
    """A services-database entry."""
    __slots__ = ("name", "aliases", "port", "proto")

    def __init__(self, name: str, aliases: List[str], port: int, proto: str) -> None:
        self.name, self.aliases, self.port, self.proto = name, aliases, port, proto


class ProtoEnt:
    """A protocols-database entry."""
    __slots__ = ("name", "aliases", "number")

    def __init__(self, name: str, aliases: List[str], number: int) -> None:
        self.name, self.aliases, self.number = name, aliases, number


class NetEnt:
    """A networks-database entry; ``net`` is the network number as an integer."""
    __slots__ = ("name", "aliases", "addrtype", "net")

    def __init__(self, name: str, aliases: List[str], addrtype: int, net: int) -> None:
        self.name, self.aliases, self.addrtype, self.net = name, aliases, addrtype, net


def parse_db(path: str) -> List[List[str]]:
    """Whitespace-split, comment-stripped lines of an /etc database (missing file: [])."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            out.append(fields)
    return out


def _net_number(text: str) -> int:
    """'127.0.0.0' or '127' -> network number as inet_network(3) computes it."""
    parts = [int(p, 0) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    n = 0
    for p in parts:
        n = (n << 8) | p
    return n


class SystemResolver:
    """The OS resolver (libc via Python's socket module, /etc files for the rest)."""

    services_path = "/etc/services"
    protocols_path = "/etc/protocols"
    networks_path = "/etc/networks"
    hosts_path = "/etc/hosts"

    def getaddrinfo(self, host: Optional[str], port: Union[str, int, None], family: int,
                    type: int, proto: int, flags: int) -> List[Any]:
        return _socket.getaddrinfo(host, port, family, type, proto, flags)

    def getnameinfo(self, addr: Any, flags: int) -> Tuple[str, str]:
        return _socket.getnameinfo(addr, flags)

    def gethostbyname_ex(self, name: str) -> Tuple[str, List[str], List[str]]:
        return _socket.gethostbyname_ex(name)

    def gethostbyaddr(self, addr: str) -> Tuple[str, List[str], List[str]]:
        return _socket.gethostbyaddr(addr)

    def getservbyname(self, name: str, proto: Optional[str]) -> Optional[ServEnt]:
        for e in self.services():
            if (name == e.name or name in e.aliases) and proto in (None, e.proto):
                return e
        try:
            port = _socket.getservbyname(name, proto) if proto else _socket.getservbyname(name)
        except OSError:
            return None
        return ServEnt(name, [], port, proto or "tcp")

    def getservbyport(self, port: int, proto: Optional[str]) -> Optional[ServEnt]:
        for e in self.services():
            if e.port == port and proto in (None, e.proto):
                return e
        return None

    def getprotobyname(self, name: str) -> Optional[ProtoEnt]:
        for e in self.protocols():
            if name == e.name or name in e.aliases:
                return e
        try:
            return ProtoEnt(name, [], _socket.getprotobyname(name))
        except OSError:
            return None

    def getprotobynumber(self, number: int) -> Optional[ProtoEnt]:
        for e in self.protocols():
            if e.number == number:
                return e
        return None

    def getnetbyname(self, name: str) -> Optional[NetEnt]:
        for e in self.networks():
            if name == e.name or name in e.aliases:
                return e
        return None

    def getnetbyaddr(self, net: int, family: int) -> Optional[NetEnt]:
        for e in self.networks():
            if e.net == net and e.addrtype == family:
                return e
        return None

    def services(self) -> List[ServEnt]:
        out = []
        for f in parse_db(self.services_path):
            port, _, proto = f[1].partition("/")
            if port.isdigit() and proto:
                out.append(ServEnt(f[0], f[2:], int(port), proto))
        return out

    def protocols(self) -> List[ProtoEnt]:
        return [ProtoEnt(f[0], f[2:], int(f[1])) for f in parse_db(self.protocols_path) if f[1].isdigit()]

    def networks(self) -> List[NetEnt]:
        out = []
        for f in parse_db(self.networks_path):
            try:
                out.append(NetEnt(f[0], f[2:], _socket.AF_INET, _net_number(f[1])))
            except ValueError:
                continue
        return out

    def hosts(self) -> List[HostEnt]:
        out = []
        for f in parse_db(self.hosts_path):
            fam = _socket.AF_INET6 if ":" in f[0] else _socket.AF_INET
            out.append(HostEnt(f[1], f[2:], fam, [f[0]]))
        return out


_RESOLVER: Any = SystemResolver()


def set_resolver(r: Any) -> Any:
    """Install resolver *r*; return the previous one."""
    global _RESOLVER
    old = _RESOLVER
    _RESOLVER = r
    return old


def get_resolver() -> Any:
    """The resolver in use."""
    return _RESOLVER


_AI_NUMERICHOST = int(getattr(_socket, "AI_NUMERICHOST", 0))   # int, not IntFlag
# Flags that cannot change the answer for an address literal and a numeric port.
_LITERAL_FLAGS = _AI_NUMERICHOST | int(getattr(_socket, "AI_NUMERICSERV", 0))


def _numeric(host: Optional[str]) -> bool:
    """True for None or an IPv4/IPv6 address literal (no name resolution needed)."""
    if host is None:
        return True
    try:
        _socket.inet_pton(_socket.AF_INET6 if ":" in host else _socket.AF_INET, host.split("%", 1)[0])
        return True
    except (OSError, ValueError, TypeError):
        return False


def _canonical_ipv4(text: str) -> bool:
    """True for an IPv4 dotted quad in its canonical spelling ("127.0.0.1")."""
    try:
        return _socket.inet_ntop(_socket.AF_INET, _socket.inet_pton(_socket.AF_INET, text)) == text
    except (OSError, ValueError, TypeError):
        return False


def _run(fn: Callable[..., Any], *args: Any) -> Any:
    return get_hub().run_in_worker(fn, *args)


def _service(who: str, port: Union[str, int, None]) -> Union[str, int, None]:
    """Range-check a numeric service (getaddrinfo silently wraps ports mod 65536)."""
    if port is None:
        return None
    if isinstance(port, int):
        return check_port(who, port)
    if port.isdigit():
        return check_port(who, int(port))
    return port


def getaddrinfo(host: Optional[str], port: Union[str, int, None], family: int = 0,
                type: int = 0, proto: int = 0, flags: int = 0,
                who: str = "getaddrinfo") -> List[AddrInfo]:
    """getaddrinfo(3) results; raises resolve (gai code) or range (port)."""
    if not flags & ~_LITERAL_FLAGS:
        rows = literal_addrinfo(host, port, family, type, proto, who)
        if rows is not None:
            return rows
    service = _service(who, port)
    try:
        if _numeric(host) and (service is None or isinstance(service, int)):
            # A numeric host and port never touch DNS: resolve inline (a worker round trip
            # costs ~10x the lookup itself and dominated short-connection rates).
            rows = _RESOLVER.getaddrinfo(host, service, family, type, proto, flags | _AI_NUMERICHOST)
        else:
            rows = _run(_RESOLVER.getaddrinfo, host, service, family, type, proto, flags)
    except (OSError, *VALUE_ERRORS) as e:
        raise_os_error(who, "getaddrinfo", e, host)
    return [AddrInfo(int(f), int(t), p, c, from_python(int(f), a)) for f, t, p, c, a in rows]


# plain ints: the socket module's constants are enums, which Scheme code must never see
_AF_INET, _AF_INET6, _AF_UNSPEC = int(_socket.AF_INET), int(_socket.AF_INET6), int(_socket.AF_UNSPEC)
# socket type -> the protocol getaddrinfo reports for it (numeric hosts, proto 0)
_PROTO_OF_TYPE = {int(_socket.SOCK_STREAM): int(_socket.IPPROTO_TCP),
                  int(_socket.SOCK_DGRAM): int(_socket.IPPROTO_UDP)}


def literal_addrinfo(host: Optional[str], port: Union[str, int, None], family: int, type: int,
                     proto: int, who: str = "getaddrinfo") -> Optional[List[AddrInfo]]:
    """The one row the system getaddrinfo gives an address literal and numeric port, built
    without the C call (tens of microseconds even for "127.0.0.1"); None when the answer
    needs the real thing: a name, a scope suffix, type 0 (one row per type), a protocol
    other than the type's, or a resolver other than the system's. Ignores AI_ADDRCONFIG
    and AI_V4MAPPED: callers use it only where those cannot change the answer
    (``sockets.open_client`` retries without AI_ADDRCONFIG anyway)."""
    if host is None or _RESOLVER.__class__ is not SystemResolver:
        return None
    p = _PROTO_OF_TYPE.get(type)
    if p is None or proto not in (0, p):
        return None
    fam = _AF_INET6 if ":" in host else _AF_INET
    if family != fam and family != _AF_UNSPEC:
        return None
    try:
        text = _socket.inet_ntop(fam, _socket.inet_pton(fam, host))
    except (OSError, ValueError, TypeError):
        return None
    service = _service(who, port)
    if service is None:
        service = 0                            # no service: the system answers port 0
    elif service.__class__ is not int:
        return None
    addr = SockAddr(fam, text, service)        # type: ignore[arg-type]
    return [AddrInfo(fam, int(type), p, "", addr)]


def getnameinfo(addr: SockAddr, flags: int = 0, who: str = "getnameinfo") -> Tuple[str, str]:
    """(host, service) text for *addr*; raises resolve."""
    try:
        return _run(_RESOLVER.getnameinfo, addr.to_python(), flags)  # type: ignore[no-any-return]
    except (OSError, *VALUE_ERRORS) as e:
        raise_os_error(who, "getnameinfo", e, addr)


def _herror(who: str, call: str, e: BaseException, key: Any) -> SchemeError:
    if isinstance(e, _socket.herror):
        code = e.args[0] if e.args else 1
    elif isinstance(e, _socket.gaierror):
        code = EAI_TO_H_ERRNO.get(e.args[0] if e.args else 0, 3)
    else:
        code = 1
    text = H_ERRNO_TEXT.get(code, "Unknown host")
    return SchemeError(make_condition("herror", who, f"{lower_first(text)} ({key})", key,
                                      call=call, herror=code, strerror=text, address=key))


def gethostbyname(name: str, who: str = "gethostbyname") -> HostEnt:
    """The hosts entry of *name* (IPv4 addresses); raises herror."""
    if _RESOLVER.__class__ is SystemResolver and _canonical_ipv4(name):
        # what the C library answers for a dotted quad, without the worker-thread trip
        return HostEnt(name, [], _socket.AF_INET, [name])
    try:
        n, aliases, addrs = _run(_RESOLVER.gethostbyname_ex, name)
    except (OSError, *VALUE_ERRORS) as e:
        raise _herror(who, "gethostbyname", e, name) from None
    return HostEnt(n, list(aliases), _socket.AF_INET, list(addrs))


def gethostbyaddr(addr: str, who: str = "gethostbyaddr") -> HostEnt:
    """The hosts entry for address text *addr*; raises herror."""
    try:
        n, aliases, addrs = _run(_RESOLVER.gethostbyaddr, addr)
    except (OSError, *VALUE_ERRORS) as e:
        raise _herror(who, "gethostbyaddr", e, addr) from None
    fam = _socket.AF_INET6 if ":" in addr else _socket.AF_INET
    return HostEnt(n, list(aliases), fam, list(addrs))


def _lookup(who: str, what: str, key: Any, fn: Callable[..., Any], *args: Any) -> Any:
    try:
        r = _run(fn, *args)
    except (OSError, *VALUE_ERRORS):
        r = None
    if r is None:
        not_found(who, what, key)
    return r


def getservbyname(name: str, proto: Optional[str] = None, who: str = "getservbyname") -> ServEnt:
    """The services entry of *name*; raises not-found."""
    return _lookup(who, "service", name, _RESOLVER.getservbyname, name, proto)  # type: ignore[no-any-return]


def getservbyport(port: int, proto: Optional[str] = None, who: str = "getservbyport") -> ServEnt:
    """The services entry of *port*; raises range or not-found."""
    check_port(who, port)
    return _lookup(who, "service", port, _RESOLVER.getservbyport, port, proto)  # type: ignore[no-any-return]


def getprotobyname(name: str, who: str = "getprotobyname") -> ProtoEnt:
    """The protocols entry of *name*; raises not-found."""
    return _lookup(who, "protocol", name, _RESOLVER.getprotobyname, name)  # type: ignore[no-any-return]


def getprotobynumber(number: int, who: str = "getprotobynumber") -> ProtoEnt:
    """The protocols entry of *number*; raises not-found."""
    return _lookup(who, "protocol", number, _RESOLVER.getprotobynumber, number)  # type: ignore[no-any-return]


def getnetbyname(name: str, who: str = "getnetbyname") -> NetEnt:
    """The networks entry of *name* (from /etc/networks); raises not-found."""
    return _lookup(who, "network", name, _RESOLVER.getnetbyname, name)  # type: ignore[no-any-return]


def getnetbyaddr(net: int, family: int = _socket.AF_INET, who: str = "getnetbyaddr") -> NetEnt:
    """The networks entry of network number *net*; raises not-found."""
    return _lookup(who, "network", net, _RESOLVER.getnetbyaddr, net, family)  # type: ignore[no-any-return]


def entries(db: str) -> Sequence[Any]:
    """All entries of database *db*: "hosts", "services", "protocols" or "networks"."""
    return _run(getattr(_RESOLVER, db))  # type: ignore[no-any-return]


def gethostname() -> str:
    """This host's name."""
    return _socket.gethostname()
