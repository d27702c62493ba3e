"""The one condition tree, source locations, and the Python exceptions that carry
Scheme raises.

A *condition* is a Scheme object (``Condition``) with a kind from ``KINDS``; the kinds
form a tree (``PARENT``) so that a dialect can ask "is this an i/o error?" once. Every
layer raises ``SchemeError(payload)`` where payload is any Scheme object — usually a
Condition made by ``make_condition`` — and dialects *view* the same object through
their own predicates and accessors (spec/conditions.md).
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Tuple


class SourceLocation:
    """file:line:col of a datum (line and column count from 1)."""

    __slots__ = ("file", "line", "col")

    def __init__(self, file: str, line: int, col: int) -> None:
        self.file = file
        self.line = line
        self.col = col

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    __repr__ = __str__


# kind -> parent kind. "error" is the root of everything an error handler sees.
PARENT: Dict[str, Optional[str]] = {
    "error": None,
    "assertion": "error",       # user (error ...) and assert
    "wrong-type": "error",      # an argument of the wrong type
    "arity": "error",           # wrong number of arguments
    "range": "error",           # an argument out of range (index, port number, offsets)
    "unbound": "error",         # unbound variable
    "not-procedure": "error",   # application of a non-procedure
    "syntax": "error",          # malformed form found by the expander
    "read": "error",            # reader: bad lexical syntax
    "i/o": "error",
    "file": "i/o",              # file open/delete failures
    "port-closed": "i/o",
    "socket": "i/o",            # an OS error on a socket call (errno, call, address)
    "closed": "socket",         # the socket was closed while a thread waited on it
    "timeout": "socket",        # a per-operation deadline expired
    "resolve": "i/o",           # getaddrinfo/getnameinfo failure (gai code)
    "herror": "resolve",        # gethostbyname-style failure (h_errno)
    "not-found": "resolve",     # a database lookup found nothing
    "unsupported": "i/o",       # option or constant the OS lacks
    "thread": "error",          # SRFI-18 thread conditions
    "join-timeout": "thread",
    "abandoned-mutex": "thread",
    "terminated-thread": "thread",
    "uncaught-exception": "thread",
    "continuation": "error",    # re-entry into a continuation that cannot be resumed
    "internal": "error",        # a bug in polysock
    "exit": None,               # (exit n) unwinding; not an error
}


def is_kind(kind: str, ancestor: str) -> bool:
    """True when *kind* is *ancestor* or below it in the tree."""
    k: Optional[str] = kind
    while k is not None:
        if k == ancestor:
            return True
        k = PARENT.get(k)
    return False


class Condition:
    """A condition object. ``data`` holds kind-specific fields (errno, call, address,
    gai_code, herror, option, value, ...)."""

    __slots__ = ("kind", "who", "message", "irritants", "data", "loc", "backtrace", "payload")

    def __init__(self, kind: str, who: Any, message: str, irritants: Tuple[Any, ...] = (),
                 data: Optional[Dict[str, Any]] = None, loc: Optional[SourceLocation] = None) -> None:
        self.kind = kind
        self.who = who
        self.message = message
        self.irritants = irritants
        self.data = data or {}
        self.loc = loc
        self.backtrace: Optional[list] = None
        self.payload: Any = None

    def is_a(self, kind: str) -> bool:
        return is_kind(self.kind, kind)

    def __repr__(self) -> str:
        return f"#<condition {self.kind} {self.who}: {self.message} {self.irritants!r}>"


def make_condition(kind: str, who: Any, message: str, *irritants: Any, **data: Any) -> Condition:
    if kind not in PARENT:
        raise ValueError(f"unknown condition kind {kind!r}")
    return Condition(kind, who, message, irritants, data)


class SchemeError(Exception):
    """A Scheme raise travelling as a Python exception. ``payload`` is the raised object;
    ``continuable`` is set by raise-continuable. Not yet directed at a handler: the
    innermost catch point (guard, with-exception-handler, handler call) resolves it."""

    def __init__(self, payload: Any, continuable: bool = False) -> None:
        super().__init__(payload)
        self.payload = payload
        self.continuable = continuable


class SchemeExit(BaseException):
    """(exit n): unwinds every dynamic-wind and ends the program with status ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def throw(kind: str, who: Any, message: str, *irritants: Any, **data: Any) -> "NoReturn":  # type: ignore[name-defined]
    """Raise a new condition of *kind*."""
    raise SchemeError(make_condition(kind, who, message, *irritants, **data))


def wrong_type(who: str, pos: int, expected: str, value: Any) -> "NoReturn":  # type: ignore[name-defined]
    """Raise the standard wrong-type condition for argument *pos* (1-based)."""
    raise SchemeError(make_condition(
        "wrong-type", who, f"argument {pos}: expected {expected}, got", value,
        position=pos, expected=expected, value=value))


def out_of_range(who: str, pos: int, value: Any, what: str = "value") -> "NoReturn":  # type: ignore[name-defined]
    raise SchemeError(make_condition(
        "range", who, f"argument {pos}: {what} out of range", value, position=pos, value=value))


#: Inline-operation sites, filled by the compiler and read when a Python TypeError or
#: AttributeError from open-coded arithmetic/pair access becomes a Scheme condition:
#: (filename, line, col) -> (primitive name, operand local names or None).
SITES: Dict[Tuple[str, int, int], Tuple[str, Tuple[Any, ...]]] = {}
