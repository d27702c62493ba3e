"""CHICKEN dialect: shared data shapes — blobs, byte strings, SRFI-17 setters, errors.

Everything the other ``chicken_*`` modules share lives here so they import downward
only: ``Blob`` (CHICKEN's byte vector, distinct from SRFI-4 u8vectors), the Latin-1
mapping between CHICKEN byte strings and Python bytes (spec/host-language.md §2.5),
the SRFI-17 setter table behind ``(set! (proc args ...) v)``, and the helpers that
raise CHICKEN-shaped errors as core conditions.

CHICKEN kinds of a core condition are computed by chicken_conditions.py from its core
kind; a condition that needs kinds the core kind does not imply (``transient``,
``domain``) carries them in ``data["ck_kinds"]``, and extra property conditions in
``data["ck_props"]`` ({kind: [(property, value), ...]}).
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Dict, NoReturn, Optional, Tuple

from ..net.sockets import CoreSocket

from ..values.conditions import Condition, SchemeError, make_condition, wrong_type
from ..values.strings import MString
from ..values.symbols import intern


class Blob:
    """A CHICKEN blob: a mutable byte buffer that prints as ``#${hex}``."""

    __slots__ = ("b",)

    def __init__(self, b: bytearray) -> None:
        self.b = b

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Blob) and other.b == self.b

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "#${" + self.b.hex() + "}"


def _register_blob_printer() -> None:
    from ..reader.printer import PRINTERS
    PRINTERS[Blob] = lambda x, write: "#${" + x.b.hex() + "}"


_register_blob_printer()


#: descriptor -> the open CoreSocket polysock made for it (option accessors take fds)
FD_TABLE: "weakref.WeakValueDictionary[int, CoreSocket]" = weakref.WeakValueDictionary()


def register_fd(core: CoreSocket) -> CoreSocket:
    """Let procedures given an integer descriptor find *core*."""
    FD_TABLE[core.fd] = core
    return core


# ---------------------------------------------------------------- byte strings

def str_to_bytes(s: str) -> bytes:
    """A CHICKEN byte string's bytes: Latin-1, or UTF-8 when a char is above 255."""
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def bytes_to_mstring(b: Any) -> MString:
    """A fresh Scheme string holding *b* byte-for-char (Latin-1)."""
    return MString(bytes(b).decode("latin-1"))


def buffer_bytes(buf: Any) -> Optional[bytes]:
    """The bytes of a string or blob buffer; None for anything else."""
    if buf.__class__ is MString:
        return str_to_bytes(buf.s)
    if buf.__class__ is Blob:
        return bytes(buf.b)
    if buf.__class__ is bytearray:
        return bytes(buf)
    return None


def buffer_length(buf: Any) -> Optional[int]:
    """Length of a string (chars) or blob (bytes) buffer; None for other objects."""
    if buf.__class__ is MString:
        return len(buf.s)
    if buf.__class__ is Blob:
        return len(buf.b)
    if buf.__class__ is bytearray:
        return len(buf)
    return None


# ---------------------------------------------------------------- SRFI 17

#: id(getter) -> (getter, setter); the getter is kept alive by the entry.
SETTERS: Dict[int, Tuple[Any, Any]] = {}


def attach_setter(getter: Any, setter: Any) -> Any:
    """Record *setter* as the setter of *getter*; returns *getter*."""
    SETTERS[id(getter)] = (getter, setter)
    return getter


def setter_of(who: str, proc: Any) -> Any:
    """The setter of *proc*; an (exn type) error when it has none."""
    e = SETTERS.get(id(proc))
    if e is not None and e[0] is proc:
        return e[1]
    if not callable(proc):
        wrong_type(who, 1, "procedure", proc)
    throw_ck("wrong-type", who, "no setter defined", proc)
    raise AssertionError


# ---------------------------------------------------------------- errors

TRANSIENT_KINDS = ("exn", "i/o", "net", "transient")
TIMEOUT_KINDS = ("exn", "i/o", "net", "timeout")


def throw_ck(kind: str, who: Any, message: str, *args: Any, **data: Any) -> NoReturn:
    """Raise a core condition of *kind* shaped like a CHICKEN error: location *who*,
    message, arguments *args*."""
    raise SchemeError(make_condition(kind, who, message, *args, **data))


def net_error(who: str, message: str, *args: Any, **data: Any) -> NoReturn:
    """Raise (exn i/o net) with *message* and *args*."""
    throw_ck("socket", who, message, *args, **data)


def domain_error(who: str, message: str, *args: Any) -> NoReturn:
    """Raise (exn domain)."""
    throw_ck("range", who, message, *args, ck_kinds=("exn", "domain"))


def core_condition(e: SchemeError) -> Optional[Condition]:
    """The core condition an exception carries, or None."""
    p = e.payload
    return p if isinstance(p, Condition) else None


def strerror_of(c: Condition) -> str:
    """The OS text of a core condition ("Connection refused"), or its message."""
    s = c.data.get("strerror")
    return s if isinstance(s, str) and s else c.message


def ms_to_seconds(ms: Any) -> Optional[float]:
    """A CHICKEN millisecond timeout (or #f) as seconds (or None)."""
    return None if ms is False or ms is None else ms / 1000.0


def rethrow_net(e: SchemeError, who: str, what: str, *args: Any, transient: bool = False,
                timeout_ms: Any = None, fd: Any = None, plain: bool = False) -> NoReturn:
    """Re-raise a net-core failure as CHICKEN reports it: "<what> - <strerror>" at
    location *who* with arguments *args*; timeouts as (exn i/o net timeout) "operation
    timed out" (timeout fd); with *transient*, refused/unreachable/timed-out connects
    as (exn i/o net transient) carrying net.errno; with *plain*, never (exn i/o net
    unsupported) (the egg's socket creation reports EAFNOSUPPORT as plain (exn i/o net))."""
    c = core_condition(e)
    if c is None or c.kind in ("wrong-type", "arity", "exit"):
        raise e
    data = dict(c.data)
    if c.kind == "timeout":
        data.pop("ck_kinds", None)
        raise SchemeError(make_condition("timeout", who, "operation timed out",
                                         timeout_ms if timeout_ms is not None else False,
                                         fd if fd is not None else False, **data)) from None
    errno = data.get("errno")
    if transient and errno in TRANSIENT_ERRNOS:
        data["ck_kinds"] = TRANSIENT_KINDS
    kind = c.kind if c.kind in ("socket", "closed", "unsupported", "resolve", "herror",
                                "not-found") else "socket"
    if plain and kind == "unsupported":
        kind = "socket"
    raise SchemeError(make_condition(kind, who, f"{what} - {strerror_of(c)}", *args,
                                     **data)) from None


def _transient_errnos() -> frozenset[int]:
    import errno as _e
    return frozenset({_e.ECONNREFUSED, _e.ETIMEDOUT, _e.ENETUNREACH, _e.EHOSTUNREACH})


TRANSIENT_ERRNOS = _transient_errnos()


def sym(name: str) -> Any:
    """The interned symbol *name*."""
    return intern(name)


def call_scheme(f: Callable[..., Any], *args: Any) -> Any:
    """Call a Scheme procedure from Python (it returns its final value)."""
    return f(*args)
