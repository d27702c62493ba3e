"""Pairs, the empty list and list conversions."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Optional


class Nil:
    """The empty list ``()``; a singleton."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "()"

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __bool__(self) -> bool:  # Python-side convenience only; Scheme truth is `is not False`
        return False


NIL = Nil()


class Pair:
    """A mutable cons cell. Made by ``cons(car, cdr)``, or in hot loops by ``Pair()`` and two
    slot stores: the class has no ``__init__`` because calling one (a Python frame) would
    double the cost of every pair, and ``Pair()`` is cheaper than ``object.__new__(Pair)``,
    which goes through the generic ``__new__`` wrapper."""

    __slots__ = ("car", "cdr")

    def __iter__(self) -> Iterator[Any]:
        """Iterate the cars of a proper list (stops at a non-pair tail)."""
        p: Any = self
        while p.__class__ is Pair or isinstance(p, Pair):
            yield p.car
            p = p.cdr

    def __repr__(self) -> str:
        return f"Pair({self.car!r}, {self.cdr!r})"


class SrcPair(Pair):
    """A pair read from source text; ``loc`` is its SourceLocation."""

    __slots__ = ("loc",)

    def __init__(self, car: Any, cdr: Any, loc: Any = None) -> None:
        self.car = car
        self.cdr = cdr
        self.loc = loc


def cons(car: Any, cdr: Any) -> Pair:
    """A new pair."""
    p = Pair()
    p.car = car
    p.cdr = cdr
    return p


def from_iter(items: Iterable[Any], tail: Any = NIL) -> Any:
    """Build a Scheme list from a Python iterable (optionally improper, ending in *tail*).
    A str builds a list of its characters."""
    seq = items if isinstance(items, (list, tuple, str)) else list(items)
    result = tail
    P = Pair
    for x in reversed(seq):
        p = P()
        p.car = x
        p.cdr = result
        result = p
    return result


_QUICK = range(1 << 16)


def to_list(lst: Any) -> Optional[List[Any]]:
    """The cars of a proper list as a Python list, or None if *lst* is not a proper list."""
    out: List[Any] = []
    append = out.append
    p = lst
    for _ in _QUICK:             # short plain lists: no cycle bookkeeping
        if p.__class__ is not Pair:
            if p is NIL:
                return out
            break
        append(p.car)
        p = p.cdr
    return _to_list_checked(lst)


def _to_list_checked(lst: Any) -> Optional[List[Any]]:
    out: List[Any] = []
    slow = lst
    while isinstance(lst, Pair):
        out.append(lst.car)
        lst = lst.cdr
        if not isinstance(lst, Pair):
            break
        out.append(lst.car)
        lst = lst.cdr
        slow = slow.cdr
        if lst is slow:
            return None  # circular
    return out if lst is NIL else None


def is_list(x: Any) -> bool:
    """True for a finite proper list."""
    slow = x
    while True:
        if x is NIL:
            return True
        if not isinstance(x, Pair):
            return False
        x = x.cdr
        if x is NIL:
            return True
        if not isinstance(x, Pair):
            return False
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            return False


def location_of(x: Any) -> Any:
    """The SourceLocation of a datum read from source, or None."""
    return getattr(x, "loc", None)
