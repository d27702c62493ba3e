"""eq?, eqv?, equal? and the hashable keys that hash tables derive from them.

Theory of operation
-------------------
``eq(a, b)`` is identity, except that exact integers in fixnum range and characters
compare by value: R7RS leaves ``(eq? 100 100)`` unspecified and every native Scheme
answers #t, so programs rely on it. ``eqv(a, b)`` adds the rest of the numbers (same
class, so exactness must agree; flonums by bit pattern, so ``0.0``/``-0.0`` differ and
a NaN is eqv to a NaN with the same bits).

``equal(a, b)`` must terminate on circular structure (R7RS 6.1). It walks both
structures with an explicit stack (never Python recursion; cdr chains are followed in a
loop) in two passes, as in Adams & Dybvig's "Efficient nondestructive equality checking
for trees and graphs":

1. a bounded pass that visits at most ``_BUDGET`` compound nodes; nearly every call ends
   here;
2. if the budget runs out, a pass with union-find over compound nodes: when two nodes
   are first compared they are merged into one class, and a later comparison of two
   nodes already in the same class is assumed to succeed. That makes the walk visit
   each pair of nodes at most once and decides equality of the (possibly infinite)
   unfoldings, which is what R7RS asks of circular structure.

``eqv_key(x)`` and ``equal_key(x)`` map a value to a hashable Python key such that two
values are eqv?/equal? exactly when their keys are ``==`` (up to the limits written at
``equal_key``). Hash tables and ``delete-duplicates`` use them.
"""
from __future__ import annotations

import struct
from typing import Any, Callable, Dict, List

from ..values.numbers import ExactComplex, Rational
from ..values.pairs import Pair
from ..values.strings import MString
from ..values.symbols import Symbol
from .argtypes import A
from .registry import primitive

FIXNUM_MIN = -(1 << 61)
FIXNUM_MAX = (1 << 61) - 1

_pack = struct.Struct("<d").pack
_BUDGET = 100_000


def eq(a: Any, b: Any) -> bool:
    """(eq? obj1 obj2) -> boolean"""
    if a is b:
        return True
    c = a.__class__
    if c is int:
        return b.__class__ is int and a == b and FIXNUM_MIN <= a <= FIXNUM_MAX
    if c is str:
        return b.__class__ is str and a == b
    return False


def _float_eqv(a: float, b: float) -> bool:
    if a == b:
        return a != 0.0 or _pack(a) == _pack(b)
    return a != a and _pack(a) == _pack(b)


def eqv(a: Any, b: Any) -> bool:
    """(eqv? obj1 obj2) -> boolean"""
    if a is b:
        return True
    c = a.__class__
    if c is not b.__class__:
        return False
    if c is int or c is str or c is Rational:
        return bool(a == b)
    if c is float:
        return _float_eqv(a, b)
    if c is complex:
        return _float_eqv(a.real, b.real) and _float_eqv(a.imag, b.imag)
    if c is ExactComplex:
        return bool(a.re == b.re and a.im == b.im)
    return False


def _leaf_equal(x: Any, y: Any) -> bool:
    """equal? for values that are not pairs or vectors."""
    c = x.__class__
    if c is MString:
        return y.__class__ is MString and x.s == y.s
    if c is bytearray:
        return y.__class__ is bytearray and x == y
    return eqv(x, y)


def _equal_bounded(a: Any, b: Any) -> Any:
    """True/False, or None when more than _BUDGET compound nodes were visited."""
    budget = _BUDGET
    stack: List[Any] = [a, b]
    while stack:
        y = stack.pop()
        x = stack.pop()
        while True:
            if x is y:
                break
            if isinstance(x, Pair):
                if not isinstance(y, Pair):
                    return False
                budget -= 1
                if budget < 0:
                    return None
                xa = x.car
                ya = y.car
                if xa is not ya:
                    if isinstance(xa, Pair) or xa.__class__ is list:
                        stack.append(xa)
                        stack.append(ya)
                    elif not _leaf_equal(xa, ya):
                        return False
                x = x.cdr
                y = y.cdr
                continue
            if x.__class__ is list:
                if y.__class__ is not list or len(x) != len(y):
                    return False
                budget -= 1
                if budget < 0:
                    return None
                for i in range(len(x) - 1, -1, -1):
                    stack.append(x[i])
                    stack.append(y[i])
                break
            if not _leaf_equal(x, y):
                return False
            break
    return True


def _equal_uf(a: Any, b: Any) -> bool:
    """equal? with union-find over compound nodes; terminates on any structure."""
    parent: Dict[int, int] = {}

    def find(k: int) -> int:
        root = k
        while True:
            p = parent.get(root, root)
            if p == root:
                break
            root = p
        while k != root:  # path compression
            nxt = parent.get(k, k)
            parent[k] = root
            k = nxt
        return root

    def same(x: Any, y: Any) -> bool:
        """Whether x and y are already in one class; if not, merge them."""
        rx = find(id(x))
        ry = find(id(y))
        if rx == ry:
            return True
        parent[rx] = ry
        return False

    stack: List[Any] = [a, b]
    while stack:
        y = stack.pop()
        x = stack.pop()
        while True:
            if x is y:
                break
            if isinstance(x, Pair):
                if not isinstance(y, Pair):
                    return False
                if same(x, y):
                    break
                stack.append(x.car)
                stack.append(y.car)
                x = x.cdr
                y = y.cdr
                continue
            if x.__class__ is list:
                if y.__class__ is not list or len(x) != len(y):
                    return False
                if same(x, y):
                    break
                for i in range(len(x) - 1, -1, -1):
                    stack.append(x[i])
                    stack.append(y[i])
                break
            if not _leaf_equal(x, y):
                return False
            break
    return True


_ATOMS = frozenset((int, str, Symbol, bool, bytearray))   # equal? is == within one class


def equal(a: Any, b: Any) -> bool:
    """(equal? obj1 obj2) -> boolean; terminates on circular structure"""
    if a is b:
        return True
    c = a.__class__
    if c is MString:   # the common case (string keys in assoc, member): no walk
        return b.__class__ is MString and a.s == b.s
    if c in _ATOMS:
        return c is b.__class__ and a == b
    r = _equal_bounded(a, b)
    if r is None:
        return _equal_uf(a, b)
    return bool(r)


# ---------------------------------------------------------------------------
# Hashable keys

class _Tag:
    """A unique marker inside keys (never equal to any other key component)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


_TRUE = _Tag("#t")
_FALSE = _Tag("#f")
_PAIR = _Tag("pair")
_VECTOR = _Tag("vector")
_KEY_BUDGET = 1_000_000

def _self(x: Any) -> Any:
    return x


def _by_id(x: Any) -> Any:
    return ("id", id(x))


def _classify(c: type) -> Callable[[Any], Any]:
    """The eqv key function for a class not in the table: identity when Python
    already hashes and compares its instances by identity, else their id."""
    plain = getattr(c, "__hash__", None) is object.__hash__ and c.__eq__ is object.__eq__
    if issubclass(c, Pair):
        plain = True
    return _self if plain else _by_id


# class -> key function (``_self`` marks values that are their own key); grows lazily.
_EQV_KEYS: Dict[type, Callable[[Any], Any]] = {
    int: _self, str: _self, Rational: _self,
    bool: lambda x: _TRUE if x else _FALSE,
    float: lambda x: ("f", _pack(x)),
    complex: lambda x: ("z", _pack(x.real), _pack(x.imag)),
    ExactComplex: lambda x: ("zx", x.re, x.im),
}


def eqv_key(x: Any) -> Any:
    """A hashable key: eqv_key(a) == eqv_key(b) exactly when (eqv? a b)."""
    c = x.__class__
    f = _EQV_KEYS.get(c)
    if f is None:
        f = _EQV_KEYS[c] = _classify(c)
    return x if f is _self else f(x)


def _structural(x: Any) -> Any:
    return _structural_key(x)


_EQUAL_KEYS: Dict[type, Callable[[Any], Any]] = {
    MString: lambda x: x.s,
    str: lambda x: ("c", x),
    bytearray: lambda x: ("b", bytes(x)),
    list: _structural,
}


def equal_key(x: Any) -> Any:
    """A hashable key: equal_key(a) == equal_key(b) exactly when (equal? a b).

    Strings become their Python text (characters then become ``("c", ch)``), bytevectors
    their bytes, pairs and vectors a flat tuple of tokens (prefix-free, so no tuple
    nesting and no deep recursion in hashing). Limits: a circular structure, or one that
    would unfold to more than a million tokens, is keyed by identity.
    """
    c = x.__class__
    f = _EQUAL_KEYS.get(c)
    if f is None:
        f = _EQUAL_KEYS[c] = _structural if issubclass(c, Pair) else (_EQV_KEYS.get(c) or _classify(c))
    return x if f is _self else f(x)


_EXIT = _Tag("exit")


def _structural_key(root: Any) -> Any:
    out: List[Any] = []
    open_nodes: Dict[int, int] = {}   # ids of compound nodes on the current path
    stack: List[Any] = [root]
    budget = _KEY_BUDGET
    while stack:
        x = stack.pop()
        if x is _EXIT:
            del open_nodes[stack.pop()]
            continue
        if isinstance(x, Pair) or x.__class__ is list:
            k = id(x)
            if k in open_nodes:
                return ("id", id(root))
            budget -= 1
            if budget < 0:
                return ("id", id(root))
            open_nodes[k] = 1
            stack.append(k)
            stack.append(_EXIT)
            if x.__class__ is list:
                out.append(_VECTOR)
                out.append(len(x))
                for i in range(len(x) - 1, -1, -1):
                    stack.append(x[i])
            else:
                out.append(_PAIR)
                stack.append(x.cdr)
                stack.append(x.car)
            continue
        out.append(equal_key(x))
    return tuple(out)


# ---------------------------------------------------------------------------
# Scheme procedures

# The helpers are the procedures themselves: one Python call per (eqv? a b), not two.
eq_p = primitive("eq?", A.any, A.any)(eq)
eqv_p = primitive("eqv?", A.any, A.any)(eqv)
equal_p = primitive("equal?", A.any, A.any)(equal)
