"""Exact rationals that stay normalised: an integral result is a Python int, so the
inline arithmetic the compiler emits (``a + b``) keeps Scheme's exactness rules."""
from __future__ import annotations

from fractions import Fraction
from typing import Any


def norm(x: Any) -> Any:
    """Turn an integral Fraction into int and any other Fraction into Rational."""
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return int(x.numerator)
        if x.__class__ is not Rational:
            return Rational(x.numerator, x.denominator)
    return x


def _wrap(name: str):
    base = getattr(Fraction, name)

    def op(a, *b):
        return norm(base(a, *b))

    op.__name__ = name
    return op


class Rational(Fraction):
    """An exact non-integer rational number."""

    __slots__ = ()

    for _n in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
               "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__neg__",
               "__pos__", "__abs__", "__mod__", "__rmod__", "__floordiv__", "__rfloordiv__"):
        locals()[_n] = _wrap(_n)
    del _n


def make_rational(n: int, d: int) -> Any:
    """n/d, normalised (d != 0)."""
    return norm(Fraction(n, d))


NUMBER_CLASSES = frozenset((int, float, Rational, complex))
REAL_CLASSES = frozenset((int, float, Rational))
EXACT_CLASSES = frozenset((int, Rational))


def is_number(x: Any) -> bool:
    return x.__class__ in NUMBER_CLASSES
