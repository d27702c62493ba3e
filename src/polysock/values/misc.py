"""Singletons and small value types: unspecified, eof, default object, multiple values,
promises, environments' markers, and records."""
from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple


class _Singleton:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


UNSPECIFIED = _Singleton("#<unspecified>")
EOF_OBJECT = _Singleton("#<eof>")
EOF = EOF_OBJECT
DEFAULT = _Singleton("#!default")

WRITES = [0]
"""A count of writes to existing pairs and strings: every ``set-car!``, ``set-cdr!``,
``string-set!`` and the like adds one (``WRITES[0] += 1``). An index built over such data
(``assoc``'s alist index) is valid while the count is the one it was built at. Filling
in a pair or a string that is being made, before any Scheme code can see it, is not a
write in this sense."""


class MultipleValues:
    """The result of ``(values ...)`` with a count other than one."""

    __slots__ = ("vals",)

    def __init__(self, vals: Tuple[Any, ...]) -> None:
        self.vals = vals

    def __repr__(self) -> str:
        return f"MultipleValues{self.vals!r}"


def values_of(v: Any) -> Tuple[Any, ...]:
    """The values a producer returned, as a tuple."""
    if v.__class__ is MultipleValues:
        return v.vals
    return (v,)


class Promise:
    """A promise: ``done`` tells whether ``value`` holds the result or ``thunk`` computes it.
    ``is_delay_force`` marks a thunk whose result is itself a promise to chain to."""

    __slots__ = ("done", "value", "thunk", "is_delay_force")

    def __init__(self, done: bool, value: Any = None, thunk: Any = None, is_delay_force: bool = False) -> None:
        self.done = done
        self.value = value
        self.thunk = thunk
        self.is_delay_force = is_delay_force


class RecordType:
    """A record type descriptor from define-record-type (or a dialect's record form)."""

    __slots__ = ("name", "fields", "uid", "printer")

    def __init__(self, name: str, fields: Sequence[str]) -> None:
        self.name = name
        self.fields = tuple(fields)
        self.uid = object()
        self.printer: Optional[Any] = None

    def __repr__(self) -> str:
        return f"#<record-type {self.name}>"


class Record:
    """An instance of a RecordType; ``vals`` is a Python list of field values."""

    __slots__ = ("rtype", "vals")

    def __init__(self, rtype: RecordType, vals: list) -> None:
        self.rtype = rtype
        self.vals = vals


class Environment:
    """A first-class environment for ``eval``: wraps a toplevel environment object."""

    __slots__ = ("env",)

    def __init__(self, env: Any) -> None:
        self.env = env


class Keyword:
    """A keyword object (``#:foo`` in Guile, ``foo:`` in CHICKEN); interned."""

    __slots__ = ("name",)
    _table: dict = {}

    def __new__(cls, name: str) -> "Keyword":
        k = cls._table.get(name)
        if k is None:
            k = object.__new__(cls)
            k.name = name
            cls._table[name] = k
        return k

    def __repr__(self) -> str:
        return f"#:{self.name}"
