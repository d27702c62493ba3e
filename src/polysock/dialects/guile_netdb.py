"""Guile address conversion (§7.2.11.1) and network databases (§7.2.11.2) over net/.

Addresses are integers in host order. Database entries are Guile's vectors:
host ``#(name aliases addrtype length addr-list)``, network ``#(name aliases addrtype
net)``, protocol ``#(name aliases proto)``, service ``#(name aliases port proto)``,
addrinfo ``#(flags family socktype protocol sockaddr canonname-or-#f)``. The
``get*ent`` procedures walk the resolver's tables with one cursor per database
(``set*ent`` rewinds, ``end*ent`` closes). Failures are the core's resolve / herror /
not-found conditions, which guile_errors.view shows as Guile's throws.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Any, Dict, List, Optional

from ..net import address as addr_mod
from ..net import resolve
from ..net.constants import CONSTANTS
from ..runtime.argtypes import A
from ..values.misc import UNSPECIFIED
from ..values.pairs import NIL, from_iter
from ..values.strings import MString
from ._table import Entry, export, install
from .guile_errors import LIB, gthrow, slist

C = CONSTANTS
AF_INET, AF_INET6 = C["AF_INET"], C["AF_INET6"]
INT = A.exact_integer


def _s(x: Any) -> str:
    return x.s if isinstance(x, MString) else str(x)


def _strs(items: List[str]) -> Any:
    return from_iter([MString(a) for a in items])


# ---------------------------------------------------------------- address conversion

def _want_int(who: Any, v: Any) -> int:
    if v.__class__ is not int:
        gthrow("wrong-type", "wrong-type-arg", who, "Wrong type (expecting ~A): ~S",
               [MString("exact integer"), v], slist(v))
    return v


def inet_ntop(family: int, address: Any) -> MString:
    """(inet-ntop family address) -> string"""
    _want_int(False, address)
    if family == AF_INET:
        if address < 0:
            gthrow("range", "out-of-range", False, "Value out of range: ~S", [address], slist(address))
        return MString(addr_mod.int_to_ipv4("inet-ntop", address & addr_mod.IPV4_MAX))
    if family == AF_INET6:
        if not 0 <= address <= addr_mod.IPV6_MAX:
            gthrow("range", "out-of-range", False, "Value out of range: ~S", [address], slist(address))
        return MString(addr_mod.int_to_ipv6("inet-ntop", address))
    gthrow("range", "out-of-range", "inet-ntop", "Argument ~A out of range: ~S", [1, family], slist(family))
    raise AssertionError


def inet_pton(family: int, text: MString) -> int:
    """(inet-pton family string) -> integer"""
    if family not in (AF_INET, AF_INET6):
        gthrow("range", "out-of-range", "inet-pton", "Argument ~A out of range: ~S", [1, family], slist(family))
    try:
        return addr_mod.text_to_int("inet-pton", family, text.s)
    except Exception:
        gthrow("error", "misc-error", "inet-pton", "Bad address", [], False)
        raise AssertionError


def inet_aton(text: MString) -> int:
    """(inet-aton string) -> integer (inet_aton forms accepted)"""
    try:
        return addr_mod.ipv4_to_int("inet-aton", text.s)
    except Exception:
        gthrow("error", "misc-error", "inet-aton", "bad address", [], False)
        raise AssertionError


def inet_ntoa(address: int) -> MString:
    """(inet-ntoa integer) -> dotted string"""
    return inet_ntop(AF_INET, address)


def inet_netof(address: int) -> int:
    """(inet-netof address) -> network part (classful)"""
    a = address & 0xFFFFFFFF
    if not a & 0x80000000:
        return a >> 24
    if a & 0xC0000000 == 0x80000000:
        return a >> 16
    return a >> 8


def inet_lnaof(address: int) -> int:
    """(inet-lnaof address) -> local part (classful)"""
    a = address & 0xFFFFFFFF
    if not a & 0x80000000:
        return a & 0xFFFFFF
    if a & 0xC0000000 == 0x80000000:
        return a & 0xFFFF
    return a & 0xFF


def inet_makeaddr(net: int, lna: int) -> int:
    """(inet-makeaddr net lna) -> address"""
    if net < 128:
        return ((net << 24) | (lna & 0xFFFFFF)) & 0xFFFFFFFF
    if net < 65536:
        return ((net << 16) | (lna & 0xFFFF)) & 0xFFFFFFFF
    if net < 16777216:
        return ((net << 8) | (lna & 0xFF)) & 0xFFFFFFFF
    return (net | lna) & 0xFFFFFFFF


def _swap(bits: int) -> Any:
    n = bits // 8

    def conv(v: int) -> int:
        if not 0 <= v < (1 << bits):
            gthrow("range", "out-of-range", False, "Value out of range: ~S", [v], slist(v))
        return int.from_bytes(v.to_bytes(n, sys.byteorder), "big") if sys.byteorder == "little" else v
    conv.__doc__ = f"(conversion value) -> value in the other byte order ({bits} bits)"
    return conv


# ---------------------------------------------------------------- getaddrinfo

_libc: Any = None


def _gai_text(code: int) -> Optional[str]:
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc.gai_strerror.restype = ctypes.c_char_p
            _libc.gai_strerror.argtypes = [ctypes.c_int]
        r = _libc.gai_strerror(code)
        return r.decode("utf-8", "replace") if r else None
    except (OSError, AttributeError):
        return None


_GAI_FALLBACK = {-1: "Bad value for ai_flags", -2: "Name or service not known",
                 -3: "Temporary failure in name resolution", -4: "Non-recoverable failure in name resolution",
                 -5: "No address associated with hostname", -6: "ai_family not supported",
                 -7: "ai_socktype not supported", -8: "Servname not supported for ai_socktype",
                 -9: "Address family for hostname not supported", -10: "Memory allocation failure",
                 -11: "System error", -12: "Argument buffer overflow"}


def gai_strerror(code: int) -> MString:
    """(gai-strerror errcode) -> string"""
    return MString(_gai_text(code) or _GAI_FALLBACK.get(code, "Unknown error"))


def getaddrinfo(name: Any, service: Any = False, flags: int = 0, family: int = 0,
                socktype: int = 0, protocol: int = 0) -> Any:
    """(getaddrinfo name [service [flags [family [socktype [protocol]]]]]) -> list of addrinfo"""
    from .guile import from_sockaddr
    if not (name is False or isinstance(name, MString)):
        gthrow("wrong-type", "wrong-type-arg", "getaddrinfo",
               "Wrong type argument in position ~A (expecting ~A): ~S", [1, MString("string"), name], slist(name))
    if not (service is False or isinstance(service, MString)):
        gthrow("wrong-type", "wrong-type-arg", "getaddrinfo",
               "Wrong type argument in position ~A (expecting ~A): ~S",
               [2, MString("string"), service], slist(service))
    host = None if name is False else name.s
    serv = None if service is False else service.s
    rows = resolve.getaddrinfo(host, serv, family, socktype, protocol, flags, who="getaddrinfo")
    out = [[flags, ai.family, ai.type, ai.proto, from_sockaddr(ai.addr),
            MString(ai.canonname) if ai.canonname else False] for ai in rows]
    return from_iter(out)


def _vec(who: str, n: int, i: int) -> Any:
    def get(v: Any) -> Any:
        if v.__class__ is not list or len(v) != n:
            gthrow("wrong-type", "wrong-type-arg", who, "Wrong type argument in position ~A (expecting ~A): ~S",
                   [1, MString("vector"), v], slist(v))
        return v[i]
    get.__doc__ = f"({who} entry)"
    return get


# ---------------------------------------------------------------- hosts

def _host_vec(h: resolve.HostEnt) -> Any:
    fam = h.addrtype
    ints = []
    for a in h.addresses:
        ints.append(addr_mod.ipv6_to_int("gethost", a) if ":" in a else addr_mod.ipv4_to_int("gethost", a))
    return [MString(h.name), _strs(h.aliases), fam, 16 if fam == AF_INET6 else 4, from_iter(ints)]


_CURSORS: Dict[str, Optional[int]] = {}


def _next_entry(db: str) -> Any:
    i = _CURSORS.get(db) or 0
    items = resolve.entries(db)
    if i >= len(items):
        _CURSORS[db] = i
        return None
    _CURSORS[db] = i + 1
    return items[i]


def _rewind(db: str) -> Any:
    _CURSORS[db] = 0
    return UNSPECIFIED


def gethost(host: Any = None) -> Any:
    """(gethost [host]) -> host vector; no argument: the next entry or #f"""
    if host is None:
        h = _next_entry("hosts")
        return False if h is None else _host_vec(h)
    if host.__class__ is int:
        return _host_vec(resolve.gethostbyaddr(addr_mod.int_to_ipv4("gethost", host & 0xFFFFFFFF),
                                               who="gethost"))
    if isinstance(host, MString):
        return _host_vec(resolve.gethostbyname(host.s, who="gethost"))
    gthrow("wrong-type", "wrong-type-arg", "gethost", "Wrong type argument in position ~A (expecting ~A): ~S",
           [1, MString("string"), host], slist(host))


def gethostbyname(name: MString) -> Any:
    """(gethostbyname name) -> host vector"""
    return gethost(name)


def gethostbyaddr(address: int) -> Any:
    """(gethostbyaddr address) -> host vector"""
    return gethost(address)


# ---------------------------------------------------------------- services, protocols, networks

def _serv_vec(e: resolve.ServEnt) -> Any:
    return [MString(e.name), _strs(e.aliases), e.port, MString(e.proto)]


def _proto_vec(e: resolve.ProtoEnt) -> Any:
    return [MString(e.name), _strs(e.aliases), e.number]


def _glibc_net(e: resolve.NetEnt) -> int:
    """inet_network(3) of the entry's text in the networks file (glibc's n_net)."""
    path = getattr(resolve.get_resolver(), "networks_path", None)
    if path:
        for f in resolve.parse_db(path):
            if f[0] == e.name:
                try:
                    n = 0
                    for p in f[1].split("."):
                        n = (n << 8) | int(p, 0)
                    return n
                except ValueError:
                    break
    return e.net


def _net_vec(e: resolve.NetEnt) -> Any:
    return [MString(e.name), _strs(e.aliases), e.addrtype, _glibc_net(e)]


def _missing_string(who: Any) -> None:
    gthrow("wrong-type", "wrong-type-arg", who, "Wrong type (expecting ~A): ~S",
           [MString("string"), False], slist(False))


def getserv(name: Any = None, protocol: Any = None) -> Any:
    """(getserv [name-or-port protocol]) -> service vector; no arguments: next entry or #f"""
    if name is None:
        e = _next_entry("services")
        return False if e is None else _serv_vec(e)
    if not isinstance(protocol, MString):
        _missing_string(False)
    if name.__class__ is int:
        try:
            return _serv_vec(resolve.getservbyport(name, protocol.s, who="getserv"))
        except Exception as ex:
            if getattr(getattr(ex, "payload", None), "kind", "") == "range":
                gthrow("i/o", "system-error", "getserv", "no such service ~A", [name], slist(0))
            raise
    if not isinstance(name, MString):
        gthrow("wrong-type", "wrong-type-arg", "getserv", "Wrong type argument in position ~A (expecting ~A): ~S",
               [1, MString("string"), name], slist(name))
    return _serv_vec(resolve.getservbyname(name.s, protocol.s, who="getserv"))


def getservbyname(name: MString, protocol: MString) -> Any:
    """(getservbyname name protocol) -> service vector"""
    return getserv(name, protocol)


def getservbyport(port: int, protocol: MString) -> Any:
    """(getservbyport port protocol) -> service vector"""
    return getserv(port, protocol)


def getproto(protocol: Any = None) -> Any:
    """(getproto [name-or-number]) -> protocol vector; no argument: next entry or #f"""
    if protocol is None:
        e = _next_entry("protocols")
        return False if e is None else _proto_vec(e)
    if protocol.__class__ is int:
        return _proto_vec(resolve.getprotobynumber(protocol, who="getproto"))
    return _proto_vec(resolve.getprotobyname(_s(protocol), who="getproto"))


def getprotobyname(name: MString) -> Any:
    """(getprotobyname name) -> protocol vector"""
    return getproto(name)


def getprotobynumber(number: int) -> Any:
    """(getprotobynumber number) -> protocol vector"""
    return getproto(number)


def getnet(net: Any = None) -> Any:
    """(getnet [name-or-number]) -> network vector; no argument: next entry or #f"""
    if net is None:
        e = _next_entry("networks")
        return False if e is None else _net_vec(e)
    if net.__class__ is int:
        for e in resolve.entries("networks"):
            if _glibc_net(e) == net or e.net == net:
                return _net_vec(e)
        gthrow("i/o", "system-error", "getnet", "no such network ~A", [net], slist(0))
    return _net_vec(resolve.getnetbyname(_s(net), who="getnet"))


def getnetbyname(name: MString) -> Any:
    """(getnetbyname name) -> network vector"""
    return getnet(name)


def getnetbyaddr(number: int) -> Any:
    """(getnetbyaddr number) -> network vector"""
    return getnet(number)


def _setter(db: str, scheme: str) -> Any:
    def setent(stayopen: Any = False) -> Any:
        return _rewind(db)
    setent.__doc__ = f"({scheme} [stayopen])"
    return setent


def _ender(db: str, scheme: str) -> Any:
    def endent() -> Any:
        _CURSORS[db] = None
        return UNSPECIFIED
    endent.__doc__ = f"({scheme})"
    return endent


def _getent(db: str, conv: Any, scheme: str) -> Any:
    def getent() -> Any:
        e = _next_entry(db)
        return False if e is None else conv(e)
    getent.__doc__ = f"({scheme}) -> entry or #f"
    return getent


def _set_short(db: str, scheme: str) -> Any:
    def setx(stayopen: Any = None) -> Any:
        if stayopen is None:
            _CURSORS[db] = None
        else:
            _rewind(db)
        return UNSPECIFIED
    setx.__doc__ = f"({scheme} [stayopen])"
    return setx


DB = (("host", "hosts", _host_vec), ("serv", "services", _serv_vec),
      ("proto", "protocols", _proto_vec), ("net", "networks", _net_vec))

STR = A.string
EXPORTS: List[Entry] = [
    export("inet-ntop", inet_ntop, INT, A.any),
    export("inet-pton", inet_pton, INT, STR),
    export("inet-aton", inet_aton, STR),
    export("inet-ntoa", inet_ntoa, A.any),
    export("inet-netof", inet_netof, INT),
    export("inet-lnaof", inet_lnaof, INT),
    export("inet-makeaddr", inet_makeaddr, INT, INT),
    export("htons", _swap(16), INT), export("ntohs", _swap(16), INT),
    export("htonl", _swap(32), INT), export("ntohl", _swap(32), INT),
    export("getaddrinfo", getaddrinfo, A.any, A.any, INT, INT, INT, INT),
    export("gai-strerror", gai_strerror, INT),
    export("addrinfo:flags", _vec("addrinfo:flags", 6, 0), A.any),
    export("addrinfo:fam", _vec("addrinfo:fam", 6, 1), A.any),
    export("addrinfo:socktype", _vec("addrinfo:socktype", 6, 2), A.any),
    export("addrinfo:protocol", _vec("addrinfo:protocol", 6, 3), A.any),
    export("addrinfo:addr", _vec("addrinfo:addr", 6, 4), A.any),
    export("addrinfo:canonname", _vec("addrinfo:canonname", 6, 5), A.any),
    export("gethost", gethost, A.any),
    export("gethostbyname", gethostbyname, STR),
    export("gethostbyaddr", gethostbyaddr, INT),
    export("getserv", getserv, A.any, A.any),
    export("getservbyname", getservbyname, STR, STR),
    export("getservbyport", getservbyport, INT, STR),
    export("getproto", getproto, A.either("string or integer", STR, INT)),
    export("getprotobyname", getprotobyname, STR),
    export("getprotobynumber", getprotobynumber, INT),
    export("getnet", getnet, A.either("string or integer", STR, INT)),
    export("getnetbyname", getnetbyname, STR),
    export("getnetbyaddr", getnetbyaddr, INT),
    export("hostent:name", _vec("hostent:name", 5, 0), A.any),
    export("hostent:aliases", _vec("hostent:aliases", 5, 1), A.any),
    export("hostent:addrtype", _vec("hostent:addrtype", 5, 2), A.any),
    export("hostent:length", _vec("hostent:length", 5, 3), A.any),
    export("hostent:addr-list", _vec("hostent:addr-list", 5, 4), A.any),
    export("servent:name", _vec("servent:name", 4, 0), A.any),
    export("servent:aliases", _vec("servent:aliases", 4, 1), A.any),
    export("servent:port", _vec("servent:port", 4, 2), A.any),
    export("servent:proto", _vec("servent:proto", 4, 3), A.any),
    export("protoent:name", _vec("protoent:name", 3, 0), A.any),
    export("protoent:aliases", _vec("protoent:aliases", 3, 1), A.any),
    export("protoent:proto", _vec("protoent:proto", 3, 2), A.any),
    export("netent:name", _vec("netent:name", 4, 0), A.any),
    export("netent:aliases", _vec("netent:aliases", 4, 1), A.any),
    export("netent:addrtype", _vec("netent:addrtype", 4, 2), A.any),
    export("netent:net", _vec("netent:net", 4, 3), A.any),
]
for _short, _db, _conv in DB:
    EXPORTS += [export(f"set{_short}ent", _setter(_db, f"set{_short}ent"), A.any),
                export(f"get{_short}ent", _getent(_db, _conv, f"get{_short}ent")),
                export(f"end{_short}ent", _ender(_db, f"end{_short}ent")),
                export(f"set{_short}", _set_short(_db, f"set{_short}"), A.any)]

BINDINGS = install(LIB, EXPORTS)
_ = NIL
