"""OS and resolver failures -> the conditions of spec/conditions.md §0, in one table.

``raise_os_error(who, call, exc, address=None, sock=None)`` is the only converter:
the net core catches a Python exception at the system-call boundary and hands it here.
Classification is by exception class (first match along the MRO), then by
(call, errno) and errno overrides. ``who`` is the Scheme-level procedure name a
dialect reports; ``call`` is the C call that failed ("connect", "recv", ...).
Messages read ``connect: connection refused (127.0.0.1:7)`` once printed as
``who: message``.
"""
from __future__ import annotations

import errno as _errno
import os
import socket as _socket
from typing import Any, Dict, NoReturn, Optional, Tuple, Type

from ..values.conditions import Condition, SchemeError, make_condition

# Exception classes the hub raises; registered by sockets.use_hub() so this module
# does not import the hub itself. class -> condition kind.
HUB_KINDS: Dict[Type[BaseException], str] = {}

# (call, errno) -> kind, checked before ERRNO_KINDS.
CALL_ERRNO_KINDS: Dict[Tuple[str, int], str] = {
    ("getsockopt", _errno.ENOPROTOOPT): "unsupported",
    ("setsockopt", _errno.ENOPROTOOPT): "unsupported",
}
# errno -> kind for every call. Anything else is "socket".
ERRNO_KINDS: Dict[int, str] = {
    _errno.EBADF: "closed",
    _errno.EAFNOSUPPORT: "unsupported",
    _errno.EPROTONOSUPPORT: "unsupported",
    _errno.ESOCKTNOSUPPORT: "unsupported",
}
# Python exceptions without an errno that come from bad values handed to a call.
VALUE_ERRORS = (OverflowError, ValueError, TypeError, UnicodeError)

H_ERRNO_TEXT = {1: "unknown host", 2: "host name lookup failure",
                3: "unknown server error", 4: "no address associated with name"}


def lower_first(text: str) -> str:
    """'Connection refused' -> 'connection refused' (keeps 'EOF'-style acronyms)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _with_address(text: str, address: Any) -> str:
    return f"{text} ({address})" if address is not None else text


def errno_name(code: Optional[int]) -> Optional[str]:
    """'ECONNREFUSED' for 111, None for None or unknown numbers."""
    return _errno.errorcode.get(code) if code is not None else None


def classify(call: str, exc: BaseException) -> str:
    """The condition kind of *exc* raised by C call *call*."""
    for cls in type(exc).__mro__:
        k = HUB_KINDS.get(cls)
        if k is not None:
            return k
    if isinstance(exc, _socket.herror):
        return "herror"
    if isinstance(exc, _socket.gaierror):
        return "resolve"
    if isinstance(exc, OSError):
        if exc.errno is None:
            return "range" if "too long" in str(exc) else "socket"
        return CALL_ERRNO_KINDS.get((call, exc.errno)) or ERRNO_KINDS.get(exc.errno, "socket")
    if isinstance(exc, VALUE_ERRORS):
        return "range"
    return "internal"


def condition_for(who: str, call: str, exc: BaseException, address: Any = None,
                  sock: Any = None) -> Condition:
    """The condition describing *exc*; see the module docstring for the fields."""
    kind = classify(call, exc)
    if kind == "resolve":
        code = exc.args[0] if exc.args else None
        text = exc.args[1] if len(exc.args) > 1 else str(exc)
        return make_condition("resolve", who, _with_address(lower_first(text), address),
                              call=call, gai_code=code, strerror=text, address=address)
    if kind == "herror":
        code = exc.args[0] if exc.args else None
        text = exc.args[1] if len(exc.args) > 1 else H_ERRNO_TEXT.get(code, str(exc))  # type: ignore[arg-type]
        return make_condition("herror", who, _with_address(lower_first(text), address),
                              call=call, herror=code, strerror=text, address=address)
    if kind == "busy":
        return make_condition("socket", who, "another thread is already waiting on this socket",
                              call=call, errno=_errno.EBUSY, errno_name="EBUSY",
                              strerror=os.strerror(_errno.EBUSY), socket=sock, address=address)
    if kind == "timeout":
        return timeout_condition(who, call, getattr(exc, "timeout", None), sock, address)
    if kind == "closed" and not isinstance(exc, OSError):
        return closed_condition(who, call, sock)
    if kind == "range" or kind == "internal":
        msg = str(exc) or type(exc).__name__
        return make_condition(kind, who, _with_address(lower_first(msg), address),
                              call=call, value=address, address=address)
    code = getattr(exc, "errno", None)
    text = getattr(exc, "strerror", None) or (os.strerror(code) if code else str(exc))
    return make_condition(kind, who, _with_address(lower_first(text), address),
                          errno=code, errno_name=errno_name(code), call=call,
                          address=address, strerror=text, socket=sock)


def raise_os_error(who: str, call: str, exc: BaseException, address: Any = None,
                   sock: Any = None) -> NoReturn:
    """Raise the condition for *exc* (never the Python exception itself)."""
    raise SchemeError(condition_for(who, call, exc, address, sock)) from None


def os_condition(who: str, call: str, code: int, address: Any = None, sock: Any = None) -> Condition:
    """The condition for a bare errno *code* (e.g. SO_ERROR after connect)."""
    return condition_for(who, call, OSError(code, os.strerror(code)), address, sock)


def timeout_condition(who: str, call: str, timeout: Any, sock: Any = None, address: Any = None) -> Condition:
    """The condition for an expired per-operation deadline."""
    return make_condition("timeout", who, _with_address("operation timed out", address),
                          timeout, call=call, timeout=timeout, errno=_errno.ETIMEDOUT,
                          errno_name="ETIMEDOUT", strerror="Connection timed out",
                          socket=sock, address=address)


def closed_condition(who: str, call: str, sock: Any = None) -> Condition:
    """The condition for using (or waiting on) a closed socket; errno is EBADF."""
    return make_condition("closed", who, "socket is closed", *(() if sock is None else (sock,)),
                          call=call, errno=_errno.EBADF, errno_name="EBADF",
                          strerror=os.strerror(_errno.EBADF), socket=sock)


def not_found(who: str, what: str, key: Any) -> NoReturn:
    """Raise not-found for a database lookup of *what* (service, protocol, network...)."""
    raise SchemeError(make_condition("not-found", who, f"no such {what}", key,
                                     call=f"get{what}", key=key, errno=0)) from None


def unsupported(who: str, name: Any, what: str = "option") -> NoReturn:
    """Raise unsupported for an option/constant this system lacks."""
    raise SchemeError(make_condition("unsupported", who, f"{what} not supported on this system",
                                     name, option=name, errno=_errno.ENOPROTOOPT,
                                     errno_name="ENOPROTOOPT")) from None


def range_error(who: str, what: str, value: Any) -> NoReturn:
    """Raise range: '<what> out of range'."""
    raise SchemeError(make_condition("range", who, f"{what} out of range", value, value=value)) from None
