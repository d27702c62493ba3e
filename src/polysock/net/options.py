"""Socket options: one table, option name -> (level, optname, value codec).

Names are the C constant names ("SO_REUSEADDR", "TCP_NODELAY"); dialects map their own
spellings onto them. Levels come from the name's prefix. A name this system lacks is
absent from ``OPTIONS``; asking for it raises "unsupported". Codecs turn Python-level
values into what ``setsockopt`` takes and back:

=========  ==========================================  ============================
codec      Python value                                 kernel form
=========  ==========================================  ============================
bool       True/False (ints accepted: non-zero = on)    int
int        int                                          int
linger     (onoff: bool, seconds: int)                  struct linger {int; int}
timeval    float seconds, 0.0 = no timeout              struct timeval {long; long}
bytes      bytes (str accepted, encoded UTF-8)          raw buffer
=========  ==========================================  ============================
The linger tuple is a Python value only; dialect adapters turn it into Scheme data.
"""
from __future__ import annotations

import struct
from typing import Any, Callable, Dict, Optional, Tuple

from ..values.conditions import throw
from .constants import CONSTANTS
from .errors import unsupported

_LINGER = struct.Struct("@ii")
_TIMEVAL = struct.Struct("@ll")
BYTES_BUFLEN = 256


class Codec:
    """How one option's value is encoded; ``size`` None means a plain int option."""

    __slots__ = ("name", "size", "encode", "decode")

    def __init__(self, name: str, size: Optional[int], encode: Callable[[str, Any], Any],
                 decode: Callable[[Any], Any]) -> None:
        self.name, self.size, self.encode, self.decode = name, size, encode, decode


def _bad_type(who: str, expected: str, v: Any) -> None:
    throw("wrong-type", who, f"expected {expected}, got", v, expected=expected, value=v)


def _enc_bool(who: str, v: Any) -> int:
    if v.__class__ is bool:
        return int(v)
    if v.__class__ is int:
        return 1 if v else 0
    _bad_type(who, "boolean", v)
    raise AssertionError


def _enc_int(who: str, v: Any) -> int:
    if v.__class__ is bool:
        return int(v)
    if v.__class__ is not int:
        _bad_type(who, "integer", v)
    if not -(1 << 31) <= v < (1 << 31):
        throw("range", who, "option value out of range", v, value=v)
    return int(v)


def _enc_linger(who: str, v: Any) -> bytes:
    if v is None or v is False:
        return _LINGER.pack(0, 0)
    if v.__class__ is int:
        onoff, secs = True, v
    elif isinstance(v, tuple) and len(v) == 2:
        onoff, secs = bool(v[0]), v[1]
    else:
        _bad_type(who, "linger (onoff seconds)", v)
        raise AssertionError
    if secs.__class__ is not int:
        _bad_type(who, "integer seconds", secs)
    if not 0 <= secs < (1 << 31):
        throw("range", who, "linger seconds out of range", secs, value=secs)
    return _LINGER.pack(1 if onoff else 0, secs)


def _dec_linger(raw: bytes) -> Tuple[bool, int]:
    onoff, secs = _LINGER.unpack(raw[:_LINGER.size])
    return (bool(onoff), secs)


def _enc_timeval(who: str, v: Any) -> bytes:
    if v is None or v is False:
        v = 0
    if v.__class__ not in (int, float) or v != v:
        _bad_type(who, "seconds", v)
    if v < 0 or v > 1e9:
        throw("range", who, "timeout out of range", v, value=v)
    sec = int(v)
    return _TIMEVAL.pack(sec, int(round((v - sec) * 1_000_000)))


def _dec_timeval(raw: bytes) -> float:
    sec, usec = _TIMEVAL.unpack(raw[:_TIMEVAL.size])
    return float(sec + usec / 1_000_000)


def _enc_bytes(who: str, v: Any) -> bytes:
    if isinstance(v, (bytes, bytearray)):
        return bytes(v)
    if isinstance(v, str):
        return v.encode("utf-8")
    s = getattr(v, "s", None)          # MString
    if isinstance(s, str):
        return s.encode("utf-8")
    _bad_type(who, "bytevector or string", v)
    raise AssertionError


CODECS: Dict[str, Codec] = {
    "bool": Codec("bool", None, _enc_bool, bool),
    "int": Codec("int", None, _enc_int, int),
    "linger": Codec("linger", _LINGER.size, _enc_linger, _dec_linger),
    "timeval": Codec("timeval", _TIMEVAL.size, _enc_timeval, _dec_timeval),
    "bytes": Codec("bytes", BYTES_BUFLEN, _enc_bytes, bytes),
}

# Options whose codec is not "int".
CODEC_OF: Dict[str, str] = {
    **{n: "bool" for n in (
        "SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE", "SO_BROADCAST", "SO_DEBUG",
        "SO_DONTROUTE", "SO_OOBINLINE", "SO_ACCEPTCONN", "SO_PASSCRED", "SO_TIMESTAMP",
        "TCP_NODELAY", "TCP_CORK", "TCP_QUICKACK", "IPV6_V6ONLY", "IP_MULTICAST_LOOP",
        "IPV6_MULTICAST_LOOP", "IP_HDRINCL", "IP_RECVTOS", "IP_PKTINFO")},
    "SO_LINGER": "linger",
    "SO_RCVTIMEO": "timeval", "SO_SNDTIMEO": "timeval",
    **{n: "bytes" for n in (
        "SO_BINDTODEVICE", "IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP", "IP_OPTIONS",
        "IPV6_JOIN_GROUP", "IPV6_LEAVE_GROUP", "IPV6_ADD_MEMBERSHIP",
        "IPV6_DROP_MEMBERSHIP", "TCP_CONGESTION")},
}
READ_ONLY = frozenset({"SO_TYPE", "SO_ERROR", "SO_ACCEPTCONN", "SO_PROTOCOL", "SO_DOMAIN",
                       "SO_PEERCRED", "SO_PEERSEC"})
# name prefix -> level constant name
LEVEL_OF_PREFIX = (("SO_", "SOL_SOCKET"), ("TCP_", "IPPROTO_TCP"),
                   ("IPV6_", "IPPROTO_IPV6"), ("IP_", "IPPROTO_IP"))


class Option:
    """One socket option: where it lives and how its value is encoded."""

    __slots__ = ("name", "level", "optname", "codec", "readonly")

    def __init__(self, name: str, level: int, optname: int, codec: Codec, readonly: bool) -> None:
        self.name, self.level, self.optname = name, level, optname
        self.codec, self.readonly = codec, readonly

    def __repr__(self) -> str:
        return f"<option {self.name} {self.codec.name}>"


def _build() -> Dict[str, Option]:
    table: Dict[str, Option] = {}
    for name, value in CONSTANTS.items():
        for prefix, level_name in LEVEL_OF_PREFIX:
            if name.startswith(prefix):
                level = CONSTANTS.get(level_name)
                if level is not None:
                    codec = CODECS[CODEC_OF.get(name, "int")]
                    table[name] = Option(name, level, value, codec, name in READ_ONLY)
                break
    return table


OPTIONS: Dict[str, Option] = _build()
BY_NUMBER: Dict[Tuple[int, int], Option] = {}
for _o in OPTIONS.values():
    BY_NUMBER.setdefault((_o.level, _o.optname), _o)


def lookup(who: str, name: str) -> Option:
    """The option called *name*; raises unsupported when this system lacks it."""
    o = OPTIONS.get(name)
    if o is None:
        unsupported(who, name)
    return o


def by_number(level: int, optname: int) -> Option:
    """The option at (level, optname); an unknown pair gets the int codec."""
    o = BY_NUMBER.get((level, optname))
    if o is None:
        o = Option(f"{level}/{optname}", level, optname, CODECS["int"], False)
    return o
