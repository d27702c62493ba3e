"""Socket constants, taken from Python's ``socket`` module by name prefix.

Nothing is typed by hand: a constant the running OS (or CPython build) lacks is
simply absent from ``CONSTANTS``, and dialects show it as #f or raise "unsupported".
"""
from __future__ import annotations

import socket as _socket
from typing import Dict, Optional

PREFIXES = ("AF_", "PF_", "SOCK_", "SOL_", "SO_", "SCM_", "IPPROTO_", "IP_", "IPV6_",
            "TCP_", "MSG_", "AI_", "NI_", "EAI_", "SHUT_", "INADDR_")

# Python spells some POSIX protocol families only as AF_*; PF_x == AF_x on every
# system CPython supports, so PF_ names are derived from AF_ names when missing.
CONSTANTS: Dict[str, int] = {}
for _name in dir(_socket):
    if _name.startswith(PREFIXES):
        _v = getattr(_socket, _name)
        if isinstance(_v, int):
            CONSTANTS[_name] = int(_v)
for _name, _v in list(CONSTANTS.items()):
    if _name.startswith("AF_"):
        CONSTANTS.setdefault("PF_" + _name[3:], _v)


def get(name: str) -> Optional[int]:
    """The value of constant *name*, or None when this system lacks it."""
    return CONSTANTS.get(name)


def has(name: str) -> bool:
    """True when constant *name* exists here."""
    return name in CONSTANTS


def names(prefix: str) -> Dict[str, int]:
    """All constants whose name starts with *prefix*."""
    return {k: v for k, v in CONSTANTS.items() if k.startswith(prefix)}


def name_of(prefix: str, value: int) -> Optional[str]:
    """The first constant name with *prefix* whose value is *value* (for printing)."""
    for k, v in CONSTANTS.items():
        if k.startswith(prefix) and v == value:
            return k
    return None


AF_UNSPEC: int = CONSTANTS["AF_UNSPEC"]
AF_INET: int = CONSTANTS["AF_INET"]
AF_INET6: int = CONSTANTS["AF_INET6"]
AF_UNIX: Optional[int] = CONSTANTS.get("AF_UNIX")
SOCK_STREAM: int = CONSTANTS["SOCK_STREAM"]
SOCK_DGRAM: int = CONSTANTS["SOCK_DGRAM"]
