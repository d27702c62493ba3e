"""Exact rationals and exact complex numbers that stay normalised.

Theory of operation
-------------------
An integral rational is a Python int and a complex number with an exact zero
imaginary part is its real part, so the inline arithmetic the compiler emits
(``a + b``) keeps Scheme's exactness rules without a check at each site.

``ExactComplex`` holds two exact reals (int or Rational), the imaginary one never
zero; ``make_rect`` is the only way to build one and returns the real part when the
imaginary part is an exact 0. Its operators answer exactly when the other operand is
exact (int, Rational, ExactComplex) and as a Python complex when it is inexact (float,
complex): inexactness is contagious as everywhere in Scheme. Like Python's complex it
has no ordering (``<`` raises TypeError), and it hashes like the Python complex it
equals, so ``=``-keyed tables see 1+2i and 1.0+2.0i as one key.
"""
from __future__ import annotations

import math
import operator
import sys
from fractions import Fraction
from typing import Any, FrozenSet, Tuple


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


def _flo(x: Any) -> float:
    """The nearest float to exact real *x*, saturating to an infinity."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


_HASH_MOD = 1 << sys.hash_info.width
_HASH_HALF = 1 << (sys.hash_info.width - 1)


class ExactComplex:
    """An exact non-real number: ``re`` + ``im``*i with exact parts, ``im`` != 0."""

    __slots__ = ("re", "im")

    def __init__(self, re: Any, im: Any) -> None:
        self.re = re
        self.im = im

    @property
    def real(self) -> Any:
        """The exact real part."""
        return self.re

    @property
    def imag(self) -> Any:
        """The exact imaginary part."""
        return self.im

    def __complex__(self) -> complex:
        return complex(_flo(self.re), _flo(self.im))

    def __repr__(self) -> str:
        return f"ExactComplex({self.re!r}, {self.im!r})"

    def __hash__(self) -> int:
        # CPython's complex hash, so that x == y implies hash(x) == hash(y).
        h = (hash(self.re) + sys.hash_info.imag * hash(self.im)) % _HASH_MOD
        if h >= _HASH_HALF:
            h -= _HASH_MOD
        return -2 if h == -1 else h

    def __eq__(self, other: Any) -> Any:
        c = other.__class__
        if c is ExactComplex:
            return self.re == other.re and self.im == other.im
        if c is complex:
            return self.re == other.real and self.im == other.imag
        if c in _REAL_PARTS or c is float:
            return False
        return NotImplemented

    def __ne__(self, other: Any) -> Any:
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __neg__(self) -> "ExactComplex":
        return ExactComplex(-self.re, -self.im)

    def __pos__(self) -> "ExactComplex":
        return self

    def __add__(self, other: Any) -> Any:
        p = _exact_parts(other)
        if p is None:
            return _inexact_op(self, other, operator.add)
        return make_rect(self.re + p[0], self.im + p[1])

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        p = _exact_parts(other)
        if p is None:
            return _inexact_op(self, other, operator.sub)
        return make_rect(self.re - p[0], self.im - p[1])

    def __rsub__(self, other: Any) -> Any:
        p = _exact_parts(other)
        if p is None:
            return _inexact_op(other, self, operator.sub)
        return make_rect(p[0] - self.re, p[1] - self.im)

    def __mul__(self, other: Any) -> Any:
        p = _exact_parts(other)
        if p is None:
            return _inexact_op(self, other, operator.mul)
        a, b = self.re, self.im
        c, d = p
        return make_rect(a * c - b * d, a * d + b * c)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        p = _exact_parts(other)
        if p is None:
            return _inexact_op(self, other, operator.truediv)
        return _exact_div((self.re, self.im), p)

    def __rtruediv__(self, other: Any) -> Any:
        p = _exact_parts(other)
        if p is None:
            return _inexact_op(other, self, operator.truediv)
        return _exact_div(p, (self.re, self.im))

    def __pow__(self, n: Any) -> Any:
        if n.__class__ is not int:
            return _inexact_op(self, n, operator.pow)
        if n < 0:
            return _exact_div((1, 0), _parts(self ** -n))
        r: Any = 1
        base: Any = self
        while n:
            if n & 1:
                r = r * base
            n >>= 1
            if n:
                base = base * base
        return r


def _parts(x: Any) -> Tuple[Any, Any]:
    """(re, im) of an exact number."""
    return (x.re, x.im) if x.__class__ is ExactComplex else (x, 0)


def _exact_parts(x: Any) -> Any:
    """(re, im) of an exact number, or None for anything else."""
    c = x.__class__
    if c is ExactComplex:
        return (x.re, x.im)
    if c in _REAL_PARTS:
        return (x, 0)
    return None


def _exact_div(a: Tuple[Any, Any], b: Tuple[Any, Any]) -> Any:
    """Exact (a0 + a1 i) / (b0 + b1 i); ZeroDivisionError for an exact zero divisor."""
    c, d = b
    den = c * c + d * d
    if den == 0:
        raise ZeroDivisionError("exact division by zero")
    x, y = a
    return make_rect(norm(Fraction(x * c + y * d) / den), norm(Fraction(y * c - x * d) / den))


def _inexact_op(a: Any, b: Any, op: Any) -> Any:
    """a op b where one side is ExactComplex and the other should be inexact."""
    ca, cb = a.__class__, b.__class__
    if not (ca is float or ca is complex or cb is float or cb is complex):
        return NotImplemented
    return op(to_inexact(a), to_inexact(b))


def to_inexact(x: Any) -> Any:
    """*x* as float (real) or complex (non-real), saturating huge exact parts to infinities."""
    c = x.__class__
    if c is float or c is complex:
        return x
    if c is ExactComplex:
        return complex(_flo(x.re), _flo(x.im))
    return _flo(x)


def make_rect(re: Any, im: Any) -> Any:
    """The exact number re + im*i (exact parts): the real part itself when im is 0."""
    if im == 0:
        return re
    return ExactComplex(re, im)


_REAL_PARTS: FrozenSet[type] = frozenset((int, Rational))

NUMBER_CLASSES: FrozenSet[type] = frozenset((int, float, Rational, complex, ExactComplex))
REAL_CLASSES: FrozenSet[type] = frozenset((int, float, Rational))
# Exact *reals*: ExactComplex is left out so rational?/real checks stay true to the name.
EXACT_CLASSES: FrozenSet[type] = frozenset((int, Rational))
EXACT_NUMBER_CLASSES: FrozenSet[type] = frozenset((int, Rational, ExactComplex))
COMPLEX_CLASSES: FrozenSet[type] = frozenset((complex, ExactComplex))


def is_number(x: Any) -> bool:
    return x.__class__ in NUMBER_CLASSES
