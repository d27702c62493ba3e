"""scsh 0.6 database-information entries (spec/scsh.md §9) and herror constants.

``host-info``, ``network-info``, ``service-info`` and ``protocol-info`` look entries up
through ``net.resolve`` (which runs them off the hub, so a slow lookup parks only the
calling green thread) and return records with the ``name:field`` accessors of scsh's
``define-record``. A failed host lookup raises an "herror" condition whose irritants
are ``(herror-code name)`` (spec §9 D: an ordinary error, not an errno error); the
other three return #f when nothing is found. Host addresses are IPv4 integers.
"""
from __future__ import annotations

from typing import Any, Callable, List, Optional

from ..net import address as netaddr
from ..net import resolve
from ..net.constants import CONSTANTS
from ..reader.printer import PRINTERS
from ..runtime.argtypes import A
from ..values.conditions import SchemeError, make_condition, wrong_type
from ..values.pairs import NIL, Pair, cons
from ..values.strings import MString
from ._table import Entry, export, install, value
from .scsh_net import AF_INET, LIBS, ScshAddress

AF_INET6 = CONSTANTS.get("AF_INET6", 10)


class Info:
    """One database record: its kind ("host-info"...) and field values in order."""

    __slots__ = ("kind", "vals")

    def __init__(self, kind: str, *vals: Any) -> None:
        self.kind = kind
        self.vals = list(vals)


PRINTERS[Info] = lambda x, write: f"#{{{x.kind} {x.vals[0]}}}"  # type: ignore[assignment]

FIELDS = {
    "host-info": ("name", "aliases", "addresses"),
    "network-info": ("name", "aliases", "net"),
    "service-info": ("name", "aliases", "port", "protocol"),
    "protocol-info": ("name", "aliases", "number"),
}


def _slist(items: List[Any]) -> Any:
    r: Any = NIL
    for x in reversed(items):
        r = cons(x, r)
    return r


def _strings(items: List[str]) -> Any:
    return _slist([MString(x) for x in items])


def _not_found(e: SchemeError) -> bool:
    p = e.payload
    return getattr(p, "kind", None) == "not-found"


def _lookup(fn: Callable[[], Any]) -> Any:
    """The entry *fn* finds, or None when the database has no such entry."""
    try:
        return fn()
    except SchemeError as e:
        if _not_found(e):
            return None
        raise


# ---------------------------------------------------------------- hosts

def _ipv4_ints(addrs: List[str]) -> List[int]:
    out = []
    for a in addrs:
        if netaddr.family_of_text(a) == AF_INET:
            out.append(netaddr.ipv4_to_int("host-info", a))
    return out


def host_info(key: Any) -> Info:
    """(host-info name-or-socket-address) -> host-info"""
    who = "host-info"
    if isinstance(key, MString):
        name = key.s
        call: Callable[[], Any] = lambda: resolve.gethostbyname(name, who=who)
    elif isinstance(key, ScshAddress):
        if key.family != AF_INET:
            wrong_type(who, 1, "internet socket-address", key)
        name = netaddr.int_to_ipv4(who, key.value[0])
        call = lambda: resolve.gethostbyaddr(name, who=who)
    else:
        wrong_type(who, 1, "string or socket-address", key)
        raise AssertionError
    try:
        h = call()
    except SchemeError as e:
        p = e.payload
        if getattr(p, "kind", None) != "herror":
            raise
        code = p.data.get("herror", 1)
        raise SchemeError(make_condition(
            "herror", who, f"host lookup failed: {p.data.get('strerror', p.message)}",
            code, MString(name), herror=code, strerror=p.data.get("strerror"),
            call=p.data.get("call"), address=name)) from None
    return Info("host-info", MString(h.name), _strings(h.aliases), _slist(_ipv4_ints(h.addresses)))


# ---------------------------------------------------------------- networks

def _octets(n: int) -> int:
    """How many leading octets network number *n* stands for (inet_network form)."""
    k = 1
    while n >= 1 << (8 * k) and k < 4:
        k += 1
    return k


def _net_info(e: Any) -> Info:
    return Info("network-info", MString(e.name), _strings(e.aliases), e.net)


def network_info(key: Any) -> Any:
    """(network-info name-or-socket-address) -> network-info or #f"""
    who = "network-info"
    if isinstance(key, MString):
        e = _lookup(lambda: resolve.getnetbyname(key.s, who=who))
        return False if e is None else _net_info(e)
    if not isinstance(key, ScshAddress) or key.family != AF_INET:
        wrong_type(who, 1, "string or internet socket-address", key)
    host = key.value[0]
    best: Optional[Any] = None
    best_k = -1
    for e in resolve.entries("networks"):
        if e.addrtype != AF_INET:
            continue
        k = _octets(e.net)
        if e.net == 0 and k == 1:
            k = 0                          # "default" 0.0.0.0 covers everything: weakest
        if (host >> (8 * (4 - k)) if k else 0) == e.net and k > best_k:
            best, best_k = e, k
    return False if best is None else _net_info(best)


# ---------------------------------------------------------------- services, protocols

def service_info(key: Any, proto: Any = None) -> Any:
    """(service-info name-or-number [protocol-name]) -> service-info or #f"""
    who = "service-info"
    if proto is not None and not isinstance(proto, MString):
        wrong_type(who, 2, "string", proto)
    p = None if proto is None or proto.s == "" else proto.s
    if isinstance(key, MString):
        e = _lookup(lambda: resolve.getservbyname(key.s, p, who=who))
    elif key.__class__ is int:
        if not 0 <= key <= 0xFFFF:
            return False
        e = _lookup(lambda: resolve.getservbyport(key, p, who=who))
    else:
        wrong_type(who, 1, "string or integer", key)
        raise AssertionError
    if e is None:
        return False
    return Info("service-info", MString(e.name), _strings(e.aliases), e.port, MString(e.proto))


def protocol_info(key: Any) -> Any:
    """(protocol-info name-or-number) -> protocol-info or #f"""
    who = "protocol-info"
    if isinstance(key, MString):
        e = _lookup(lambda: resolve.getprotobyname(key.s, who=who))
    elif key.__class__ is int:
        e = _lookup(lambda: resolve.getprotobynumber(key, who=who))
    else:
        wrong_type(who, 1, "string or integer", key)
        raise AssertionError
    if e is None:
        return False
    return Info("protocol-info", MString(e.name), _strings(e.aliases), e.number)


# ---------------------------------------------------------------- record procedures

def _predicate(kind: str) -> Callable[[Any], bool]:
    def pred(x: Any) -> bool:
        return x.__class__ is Info and x.kind == kind
    pred.__doc__ = f"({kind}? obj) -> boolean"
    return pred


def _accessor(kind: str, i: int) -> Callable[[Any], Any]:
    def get(x: Any) -> Any:
        return x.vals[i]
    get.__doc__ = f"({kind}:{FIELDS[kind][i]} {kind}) -> value"
    return get


def _info_arg(kind: str) -> Any:
    return A.define("scsh_" + kind.replace("-", "_"), kind,
                    pred=lambda x: x.__class__ is Info and x.kind == kind)


RECORDS: List[Entry] = []
for _kind, _fields in FIELDS.items():
    _arg = _info_arg(_kind)
    RECORDS.append(export(f"{_kind}?", _predicate(_kind), A.any))
    for _i, _f in enumerate(_fields):
        RECORDS.append(export(f"{_kind}:{_f}", _accessor(_kind, _i), _arg))

EXPORTS: List[Entry] = [
    export("host-info", host_info, A.any),
    export("network-info", network_info, A.any),
    export("service-info", service_info, A.any, A.any),
    export("protocol-info", protocol_info, A.any),
    *RECORDS,
    value("herror/host-not-found", 1),
    value("herror/try-again", 2),
    value("herror/no-recovery", 3),
    value("herror/no-data", 4),
    value("herror/no-address", 4),
]

BINDINGS = install(LIBS, EXPORTS)
