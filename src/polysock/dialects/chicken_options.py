"""CHICKEN ``socket`` egg: integer constants (spec/chicken.md §2) and socket options
(§10): the high-level getter-with-setter accessors and the raw get/set-socket-option.

Constants come from the net core's table (CPython's socket module); a name CPython
lacks but Linux has gets the Linux value from the spec; a name Linux lacks is #f
(options) or 0 (the ai/ extras, as the egg's define-foreign-flag does). An accessor
whose option constant is #f raises (exn i/o net unsupported) "socket option
unavailable on this platform" on get and set. Options are reached by (level, number)
through the core with a raw codec, so blob and string values pass through unchanged.
Socket arguments may be a socket record or an integer descriptor of a socket polysock
opened (``FD_TABLE``).
"""
from __future__ import annotations

import errno as _errno
from typing import Any, Dict, List, Optional, Tuple

from ..net.constants import CONSTANTS
from ..net.options import CODECS, Codec, Option
from ..net.sockets import CoreSocket
from ..runtime.argtypes import A
from ..values.conditions import SchemeError, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.strings import MString
from ._table import Entry, export, install, value
from .chicken_data import (FD_TABLE, Blob, attach_setter, core_condition, net_error, strerror_of,
                           str_to_bytes, throw_ck)
from .chicken_socket import CkSocket

LIBS = ("(socket)", "(polysock chicken)")

# name -> (C name, Linux value or None when Linux lacks it, optional?)
CONSTANT_TABLE: List[Tuple[str, str, Optional[int]]] = [
    ("af/unspec", "AF_UNSPEC", 0), ("af/inet", "AF_INET", 2), ("af/inet6", "AF_INET6", 10),
    ("af/unix", "AF_UNIX", 1),
    ("sock/stream", "SOCK_STREAM", 1), ("sock/dgram", "SOCK_DGRAM", 2), ("sock/raw", "SOCK_RAW", 3),
    ("ipproto/tcp", "IPPROTO_TCP", 6), ("ipproto/udp", "IPPROTO_UDP", 17),
    ("shut/rd", "SHUT_RD", 0), ("shut/wr", "SHUT_WR", 1), ("shut/rdwr", "SHUT_RDWR", 2),
    ("ai/passive", "AI_PASSIVE", 1), ("ai/canonname", "AI_CANONNAME", 2),
    ("ai/numerichost", "AI_NUMERICHOST", 4),
    ("ni/numerichost", "NI_NUMERICHOST", 1), ("ni/numericserv", "NI_NUMERICSERV", 2),
    ("ni/nofqdn", "NI_NOFQDN", 4), ("ni/namereqd", "NI_NAMEREQD", 8), ("ni/dgram", "NI_DGRAM", 16),
    ("sol/socket", "SOL_SOCKET", 1), ("ipproto/ip", "IPPROTO_IP", 0),
    ("ipproto/ipv6", "IPPROTO_IPV6", 41), ("ipproto/icmp", "IPPROTO_ICMP", 1),
    ("so/reuseaddr", "SO_REUSEADDR", 2), ("so/debug", "SO_DEBUG", 1),
    ("so/acceptconn", "SO_ACCEPTCONN", 30), ("so/keepalive", "SO_KEEPALIVE", 9),
    ("so/dontroute", "SO_DONTROUTE", 5), ("so/broadcast", "SO_BROADCAST", 6),
    ("so/linger", "SO_LINGER", 13), ("so/oobinline", "SO_OOBINLINE", 10),
    ("so/sndbuf", "SO_SNDBUF", 7), ("so/rcvbuf", "SO_RCVBUF", 8),
    ("so/sndlowat", "SO_SNDLOWAT", 19), ("so/rcvlowat", "SO_RCVLOWAT", 18),
    ("so/sndtimeo", "SO_SNDTIMEO", 21), ("so/rcvtimeo", "SO_RCVTIMEO", 20),
    ("so/error", "SO_ERROR", 4), ("so/type", "SO_TYPE", 3),
    ("so/useloopback", "SO_USELOOPBACK", None), ("so/reuseport", "SO_REUSEPORT", 15),
    ("so/timestamp", "SO_TIMESTAMP", 29), ("so/exclusiveaddruse", "SO_EXCLUSIVEADDRUSE", None),
    ("tcp/nodelay", "TCP_NODELAY", 1), ("tcp/maxseg", "TCP_MAXSEG", 2),
    ("tcp/nopush", "TCP_NOPUSH", None), ("tcp/noopt", "TCP_NOOPT", None),
    ("tcp/keepalive", "TCP_KEEPALIVE", None),
    ("ip/options", "IP_OPTIONS", 4), ("ip/hdrincl", "IP_HDRINCL", 3), ("ip/tos", "IP_TOS", 1),
    ("ip/ttl", "IP_TTL", 2), ("ip/mtu", "IP_MTU", 14), ("ip/mtu-discover", "IP_MTU_DISCOVER", 10),
    ("ip/pktinfo", "IP_PKTINFO", 8), ("ip/recverr", "IP_RECVERR", 11),
    ("ip/recvtos", "IP_RECVTOS", 13), ("ip/recvttl", "IP_RECVTTL", 12),
    ("ip/router-alert", "IP_ROUTER_ALERT", 5), ("ip/recvopts", "IP_RECVOPTS", 6),
    ("ip/recvretopts", "IP_RECVRETOPTS", 7), ("ip/retopts", "IP_RETOPTS", 7),
    ("ip/recvdstaddr", "IP_RECVDSTADDR", None), ("ip/multicast-if", "IP_MULTICAST_IF", 32),
    ("ip/multicast-ttl", "IP_MULTICAST_TTL", 33), ("ip/multicast-loop", "IP_MULTICAST_LOOP", 34),
    ("ip/add-membership", "IP_ADD_MEMBERSHIP", 35), ("ip/drop-membership", "IP_DROP_MEMBERSHIP", 36),
    ("ipv6/v6only", "IPV6_V6ONLY", 26), ("ipv6/addrform", "IPV6_ADDRFORM", 1),
    ("ipv6/mtu", "IPV6_MTU", 24), ("ipv6/mtu-discover", "IPV6_MTU_DISCOVER", 23),
    ("ipv6/multicast-hops", "IPV6_MULTICAST_HOPS", 18), ("ipv6/multicast-if", "IPV6_MULTICAST_IF", 17),
    ("ipv6/multicast-loop", "IPV6_MULTICAST_LOOP", 19), ("ipv6/pktinfo", "IPV6_PKTINFO", 50),
    ("ipv6/rthdr", "IPV6_RTHDR", 57), ("ipv6/authhdr", "IPV6_AUTHHDR", 10),
    ("ipv6/dstopts", "IPV6_DSTOPTS", 59), ("ipv6/hopopts", "IPV6_HOPOPTS", 54),
    ("ipv6/flowinfo", "IPV6_FLOWINFO", None), ("ipv6/hoplimit", "IPV6_HOPLIMIT", 52),
    ("ipv6/recverr", "IPV6_RECVERR", 25), ("ipv6/router-alert", "IPV6_ROUTER_ALERT", 22),
    ("ipv6/unicast-hops", "IPV6_UNICAST_HOPS", 16), ("ipv6/nexthop", "IPV6_NEXTHOP", 9),
    ("ipv6/port-range", "IPV6_PORT_RANGE", None), ("ipv6/join-group", "IPV6_JOIN_GROUP", 20),
    ("ipv6/leave-group", "IPV6_LEAVE_GROUP", 21), ("ipv6/checksum", "IPV6_CHECKSUM", 7),
    # extension (spec §7 D): message flags for the receive/send procedures
    ("msg/oob", "MSG_OOB", 1), ("msg/peek", "MSG_PEEK", 2), ("msg/dontroute", "MSG_DONTROUTE", 4),
    ("msg/waitall", "MSG_WAITALL", 256), ("msg/dontwait", "MSG_DONTWAIT", 64),
]
# ai/ extras: 0 when the platform lacks them (the egg's define-foreign-flag)
FLAG_TABLE = [("ai/numericserv", "AI_NUMERICSERV", 1024), ("ai/v4mapped", "AI_V4MAPPED", 8),
              ("ai/all", "AI_ALL", 16), ("ai/addrconfig", "AI_ADDRCONFIG", 32),
              ("ai/mask", "AI_MASK", None), ("ai/default", "AI_DEFAULT", None)]


def constant_values() -> Dict[str, Any]:
    """Scheme name -> value of every constant."""
    out: Dict[str, Any] = {}
    for name, cname, linux in CONSTANT_TABLE:
        v = CONSTANTS.get(cname, linux)
        out[name] = False if v is None else v
    for name, cname, linux in FLAG_TABLE:
        v = CONSTANTS.get(cname, linux)
        out[name] = 0 if v is None else v
    return out


CONST = constant_values()

# ---------------------------------------------------------------- descriptors

def _core_of(who: str, s: Any) -> CoreSocket:
    if s.__class__ is CkSocket:
        return s.core
    if s.__class__ is int:
        core = FD_TABLE.get(s)
        if core is None or core.closed:
            net_error(who, "Bad file descriptor", s, errno=_errno.EBADF)
        return core
    wrong_type(who, 1, "socket or file descriptor", s)
    raise AssertionError


# ---------------------------------------------------------------- raw access

_RAW_SET = Codec("raw", None, lambda who, v: v, lambda raw: raw)


def _raise_opt(e: SchemeError, who: str) -> None:
    c = core_condition(e)
    if c is not None and c.data.get("errno") in (_errno.ENOPROTOOPT, _errno.EINVAL):
        throw_ck("unsupported", who, strerror_of(c), **c.data)
    if c is not None and c.kind in ("socket", "closed", "unsupported"):
        throw_ck("socket", who, strerror_of(c), **c.data)
    raise e


def _setsockopt(who: str, s: Any, level: int, name: int, raw: Any) -> None:
    core = _core_of(who, s)
    try:
        core.set_option(Option(f"{level}/{name}", level, name, _RAW_SET, False), raw, who)
    except SchemeError as e:
        _raise_opt(e, who)


def _getsockopt(who: str, s: Any, level: int, name: int, size: Optional[int]) -> Any:
    core = _core_of(who, s)
    codec = CODECS["int"] if size is None else Codec("raw", size, lambda w, v: v, bytes)
    try:
        return core.get_option(Option(f"{level}/{name}", level, name, codec, False), who)
    except SchemeError as e:
        _raise_opt(e, who)


def set_socket_option(s: Any, level: Any, name: Any, val: Any) -> Any:
    """(set-socket-option s level name val) -> unspecified"""
    who = "set-socket-option"
    if level is False:
        throw_ck("unsupported", who, "socket option level not supported")
    if name is False:
        throw_ck("unsupported", who, "socket option not supported")
    if val.__class__ is bool:
        raw: Any = 1 if val else 0
    elif val.__class__ is int:
        raw = val
    elif val.__class__ is Blob:
        raw = bytes(val.b)
    elif val.__class__ is MString:
        raw = str_to_bytes(val.s)
    else:
        throw_ck("wrong-type", who, "bad option value", val)
    _setsockopt(who, s, level, name, raw)
    return UNSPECIFIED


def get_socket_option(s: Any, level: Any, name: Any, length: Any = False) -> Any:
    """(get-socket-option s level name #!optional (len #f)) -> integer or blob"""
    who = "get-socket-option"
    if level is False:
        throw_ck("unsupported", who, "socket option level not supported")
    if name is False:
        throw_ck("unsupported", who, "socket option not supported")
    if length is False or length is None:
        return _getsockopt(who, s, level, name, None)
    if length.__class__ is not int or length < 0:
        wrong_type(who, 4, "exact integer", length)
    return Blob(bytearray(_getsockopt(who, s, level, name, length)))


# ---------------------------------------------------------------- accessors

def _accessor(proc: str, level_name: str, opt_name: str, kind: str, readonly: bool) -> Tuple[Any, Any]:
    """(getter, setter) for one high-level accessor."""
    level, opt = CONST[level_name], CONST[opt_name]

    def check_available() -> None:
        if level is False or opt is False:
            throw_ck("unsupported", proc, "socket option unavailable on this platform")

    def get(s: Any) -> Any:
        check_available()
        v = _getsockopt(proc, s, level, opt, None)
        return v != 0 if kind == "bool" else v

    def put(s: Any, v: Any) -> Any:
        check_available()
        if readonly:
            net_error(proc, "socket option is read-only")
        if kind == "bool":
            if v.__class__ is not bool:
                throw_ck("wrong-type", proc, "bad argument type: not a boolean", v)
            v = 1 if v else 0
        elif v.__class__ is not int:
            wrong_type(proc, 2, "exact integer", v)
        _setsockopt(proc, s, level, opt, v)
        return UNSPECIFIED
    get.__name__ = proc
    get.__doc__ = f"({proc} s) -> {'boolean' if kind == 'bool' else 'integer'}"
    put.__doc__ = f"((setter {proc}) s v)"
    return get, put


ACCESSORS = [
    ("so-reuse-address?", "sol/socket", "so/reuseaddr", "bool", False),
    ("so-debug?", "sol/socket", "so/debug", "bool", False),
    ("so-keep-alive?", "sol/socket", "so/keepalive", "bool", False),
    ("so-dont-route?", "sol/socket", "so/dontroute", "bool", False),
    ("so-broadcast?", "sol/socket", "so/broadcast", "bool", False),
    ("so-oob-inline?", "sol/socket", "so/oobinline", "bool", False),
    ("so-accept-connections?", "sol/socket", "so/acceptconn", "bool", True),
    ("so-send-buffer", "sol/socket", "so/sndbuf", "int", False),
    ("so-receive-buffer", "sol/socket", "so/rcvbuf", "int", False),
    ("so-send-low-water", "sol/socket", "so/sndlowat", "int", False),
    ("so-receive-low-water", "sol/socket", "so/rcvlowat", "int", False),
    ("so-error", "sol/socket", "so/error", "int", True),
    ("so-type", "sol/socket", "so/type", "int", True),
    ("tcp-no-delay?", "ipproto/tcp", "tcp/nodelay", "bool", False),
    ("tcp-no-push?", "ipproto/tcp", "tcp/nopush", "bool", False),
    ("tcp-no-options?", "ipproto/tcp", "tcp/noopt", "bool", False),
    ("tcp-keep-alive", "ipproto/tcp", "tcp/keepalive", "int", False),
    ("tcp-max-segment-size", "ipproto/tcp", "tcp/maxseg", "int", False),
    ("ip-header-included?", "ipproto/ip", "ip/hdrincl", "bool", False),
    ("ip-type-of-service", "ipproto/ip", "ip/tos", "int", False),
    ("ip-time-to-live", "ipproto/ip", "ip/ttl", "int", False),
    ("ipv6-v6-only?", "ipproto/ipv6", "ipv6/v6only", "bool", False),
]

sock_or_fd = A.either("socket or file descriptor", A.define("ck_sock_any", "socket", pred=lambda x: x.__class__ is CkSocket), A.exact_integer)

EXPORTS: List[Entry] = [
    export("set-socket-option", set_socket_option, sock_or_fd, A.any, A.any, A.any),
    export("get-socket-option", get_socket_option, sock_or_fd, A.any, A.any, A.any),
]
EXPORTS += [value(name, v) for name, v in CONST.items()]

BINDINGS = install(LIBS, EXPORTS)

# High-level accessors: registered primitives with an SRFI-17 setter attached.
from ..runtime.registry import primitive  # noqa: E402

ACCESSOR_PROCS: Dict[str, Any] = {}
for _name, _lvl, _opt, _kind, _ro in ACCESSORS:
    _g, _s = _accessor(_name, _lvl, _opt, _kind, _ro)
    primitive(_name, sock_or_fd, lib=LIBS[0], also=LIBS[1:])(_g)
    _sp = primitive(f"%set-{_name}", sock_or_fd, A.any, lib="(polysock chicken internal)")(_s)
    attach_setter(getattr(_g, "prim"), getattr(_s, "prim"))
    ACCESSOR_PROCS[_name] = getattr(_g, "prim")
