"""Numbers: (scheme base) arithmetic, (scheme inexact) and (scheme complex).

Theory of operation
-------------------
The tower is int < Rational < float < complex (values.numbers); exact results are
always int or a normalised Rational, never Fraction(n, 1) and never bool. Exact
non-real numbers are values.numbers.ExactComplex (exact parts, never a zero
imaginary part: ``make_rect`` returns the real part instead); inexact ones are Python
complex. ExactComplex carries its own operators, so the arithmetic below needs no
special case for it; the procedures that look at parts (real-part, sqrt, exact,
the transcendental functions) convert it explicitly.

Each n-ary operation tries the Python operator first (the common case is two ints)
and only on a Python exception takes the slow path that gives the Scheme answer:
a division by an exact zero is a "range" condition, an inexact one gives an
infinity or NaN, and an int too large for a float becomes an infinity instead of an
OverflowError. No Python exception escapes for any argument the specs accept.
"""
from __future__ import annotations

import cmath
import math
from fractions import Fraction
from typing import Any, Callable, Optional, Tuple

from ..reader.numparse import parse_number
from ..values.conditions import throw, wrong_type
from ..values.misc import MultipleValues
from ..values.numbers import (COMPLEX_CLASSES, EXACT_CLASSES, EXACT_NUMBER_CLASSES, NUMBER_CLASSES,
                              REAL_CLASSES, ExactComplex, Rational, make_rect, norm, to_inexact)
from ..values.strings import MString
from .argtypes import A
from .registry import primitive

BASE = "(scheme base)"
INEXACT = "(scheme inexact)"
COMPLEX = "(scheme complex)"
INF = math.inf
NAN = math.nan
NUM = A.number
REAL = A.real
INT = A.integer          # int or integral float
RATIONAL = A.rational    # exact, or a finite float
A.define("radix", "radix (2, 8, 10 or 16)", "({x}.__class__ is int and {x} in (2, 8, 10, 16))")


class _No:
    """Marker for an absent optional argument (never a Scheme value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "#<absent>"


_NO: Any = _No()


# ---------------------------------------------------------------------------
# conversions and helpers

def to_float(x: Any) -> float:
    """The nearest float to real *x*; too large a magnitude gives an infinity."""
    try:
        return float(x)
    except OverflowError:
        return INF if x > 0 else -INF


def to_complex(x: Any) -> complex:
    """*x* as a Python complex, with infinities for huge exact parts."""
    c = x.__class__
    if c is complex:
        return x
    if c is ExactComplex:
        return to_inexact(x)
    return complex(to_float(x), 0.0)


def is_exact(x: Any) -> bool:
    return x.__class__ in EXACT_NUMBER_CLASSES


def _inexact_of(x: Any) -> Any:
    """*x* converted to float (or complex, for a non-real) for inexact contagion."""
    return to_inexact(x)


def _div0(who: str, *irritants: Any) -> Any:
    throw("range", who, "division by zero", *irritants)


def _fdiv(a: Any, b: Any) -> Any:
    """Inexact a / b where b is a zero: an infinity or NaN with IEEE signs."""
    if a.__class__ in COMPLEX_CLASSES or b.__class__ in COMPLEX_CLASSES:
        a = to_complex(a)
        return complex(_fdiv(a.real, 0.0), _fdiv(a.imag, 0.0))
    fa = to_float(a)
    if fa == 0 or fa != fa:
        return NAN
    return math.copysign(INF, fa) * math.copysign(1.0, float(b))


def _slow(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """Retry a mixed exact/inexact operation that overflowed converting to float."""
    return op(_inexact_of(a), _inexact_of(b))


def _add2(a: Any, b: Any) -> Any:
    try:
        return a + b
    except OverflowError:
        return _slow(lambda x, y: x + y, a, b)


def _mul2(a: Any, b: Any) -> Any:
    try:
        return a * b
    except OverflowError:
        return _slow(lambda x, y: x * y, a, b)


def _sub2(a: Any, b: Any) -> Any:
    try:
        return a - b
    except OverflowError:
        return _slow(lambda x, y: x - y, a, b)


def div2(a: Any, b: Any) -> Any:
    """Scheme (/ a b) on numbers."""
    if a.__class__ is int and b.__class__ is int:
        if b == 0:
            _div0("/", a, b)
        if a % b == 0:
            return a // b
        return Rational(a, b)
    try:
        return norm(a / b)
    except ZeroDivisionError:
        if is_exact(b) and is_exact(a):
            _div0("/", a, b)
        return _fdiv(a, b)
    except OverflowError:
        return div2(_inexact_of(a), _inexact_of(b))


# ---------------------------------------------------------------------------
# predicates

@primitive("number?", A.any)
def number_p(x: Any) -> bool:
    """(number? obj) -> boolean"""
    return x.__class__ in NUMBER_CLASSES


@primitive("complex?", A.any)
def complex_p(x: Any) -> bool:
    """(complex? obj) -> boolean"""
    return x.__class__ in NUMBER_CLASSES


@primitive("real?", A.any)
def real_p(x: Any) -> bool:
    """(real? obj) -> boolean"""
    return x.__class__ in REAL_CLASSES


@primitive("rational?", A.any)
def rational_p(x: Any) -> bool:
    """(rational? obj) -> boolean"""
    return x.__class__ in EXACT_CLASSES or (x.__class__ is float and math.isfinite(x))


@primitive("integer?", A.any)
def integer_p(x: Any) -> bool:
    """(integer? obj) -> boolean"""
    return x.__class__ is int or (x.__class__ is float and x.is_integer())


@primitive("exact?", NUM)
def exact_p(z: Any) -> bool:
    """(exact? z) -> boolean"""
    return z.__class__ in EXACT_NUMBER_CLASSES


@primitive("inexact?", NUM)
def inexact_p(z: Any) -> bool:
    """(inexact? z) -> boolean"""
    return z.__class__ not in EXACT_NUMBER_CLASSES


@primitive("exact-integer?", A.any)
def exact_integer_p(x: Any) -> bool:
    """(exact-integer? obj) -> boolean"""
    return x.__class__ is int


@primitive("nan?", NUM, lib=INEXACT)
def nan_p(z: Any) -> bool:
    """(nan? z) -> boolean"""
    if z.__class__ is float:
        return z != z
    if z.__class__ is complex:
        return z.real != z.real or z.imag != z.imag
    return False


@primitive("infinite?", NUM, lib=INEXACT)
def infinite_p(z: Any) -> bool:
    """(infinite? z) -> boolean"""
    if z.__class__ is float:
        return math.isinf(z)
    if z.__class__ is complex:
        return math.isinf(z.real) or math.isinf(z.imag)
    return False


@primitive("finite?", NUM, lib=INEXACT)
def finite_p(z: Any) -> bool:
    """(finite? z) -> boolean"""
    if z.__class__ is float:
        return math.isfinite(z)
    if z.__class__ is complex:
        return math.isfinite(z.real) and math.isfinite(z.imag)
    return True


@primitive("zero?", NUM)
def zero_p(z: Any) -> bool:
    """(zero? z) -> boolean"""
    return z == 0


@primitive("positive?", REAL)
def positive_p(x: Any) -> bool:
    """(positive? x) -> boolean"""
    return x > 0


@primitive("negative?", REAL)
def negative_p(x: Any) -> bool:
    """(negative? x) -> boolean"""
    return x < 0


@primitive("odd?", INT)
def odd_p(n: Any) -> bool:
    """(odd? n) -> boolean"""
    return n % 2 == 1


@primitive("even?", INT)
def even_p(n: Any) -> bool:
    """(even? n) -> boolean"""
    return n % 2 == 0


# ---------------------------------------------------------------------------
# comparison: n-ary, at least one argument, chained

def _chain(test: Callable[[Any, Any], bool], a: Any, b: Any, rest: Tuple[Any, ...]) -> bool:
    ok = test(a, b)
    prev = b
    for x in rest:          # every argument is checked even after a false result
        ok = test(prev, x) and ok
        prev = x
    return ok


@primitive("=", NUM, NUM, NUM)
def num_eq(a: Any, b: Any = _NO, *rest: Any) -> bool:
    """(= z1 z2 ...) -> boolean"""
    if b is _NO:
        return True
    if not rest:
        return a == b
    return _chain(lambda x, y: x == y, a, b, rest)


@primitive("<", REAL, REAL, REAL)
def num_lt(a: Any, b: Any = _NO, *rest: Any) -> bool:
    """(< x1 x2 ...) -> boolean"""
    if b is _NO:
        return True
    if not rest:
        return a < b
    return _chain(lambda x, y: x < y, a, b, rest)


@primitive(">", REAL, REAL, REAL)
def num_gt(a: Any, b: Any = _NO, *rest: Any) -> bool:
    """(> x1 x2 ...) -> boolean"""
    if b is _NO:
        return True
    if not rest:
        return a > b
    return _chain(lambda x, y: x > y, a, b, rest)


@primitive("<=", REAL, REAL, REAL)
def num_le(a: Any, b: Any = _NO, *rest: Any) -> bool:
    """(<= x1 x2 ...) -> boolean"""
    if b is _NO:
        return True
    if not rest:
        return a <= b
    return _chain(lambda x, y: x <= y, a, b, rest)


@primitive(">=", REAL, REAL, REAL)
def num_ge(a: Any, b: Any = _NO, *rest: Any) -> bool:
    """(>= x1 x2 ...) -> boolean"""
    if b is _NO:
        return True
    if not rest:
        return a >= b
    return _chain(lambda x, y: x >= y, a, b, rest)


def _extremum(better: Callable[[Any, Any], bool], a: Any, rest: Tuple[Any, ...]) -> Any:
    best = a
    inexact = a.__class__ is float
    nan = inexact and a != a
    for x in rest:
        if x.__class__ is float:
            inexact = True
            if x != x:
                nan = True
        if better(x, best):
            best = x
    if nan:
        return NAN
    return to_float(best) if inexact else best


@primitive("max", REAL, REAL)
def max_(a: Any, *rest: Any) -> Any:
    """(max x1 x2 ...) -> real"""
    return _extremum(lambda x, y: x > y, a, rest)


@primitive("min", REAL, REAL)
def min_(a: Any, *rest: Any) -> Any:
    """(min x1 x2 ...) -> real"""
    return _extremum(lambda x, y: x < y, a, rest)


# ---------------------------------------------------------------------------
# arithmetic

@primitive("+", NUM, NUM, NUM)
def add(a: Any = _NO, b: Any = _NO, *rest: Any) -> Any:
    """(+ z ...) -> number"""
    if b is _NO:
        return 0 if a is _NO else a
    try:
        r = a + b
        for x in rest:
            r = r + x
        return r
    except OverflowError:
        r = _add2(a, b)
        for x in rest:
            r = _add2(r, x)
        return r


@primitive("*", NUM, NUM, NUM)
def mul(a: Any = _NO, b: Any = _NO, *rest: Any) -> Any:
    """(* z ...) -> number"""
    if b is _NO:
        return 1 if a is _NO else a
    try:
        r = a * b
        for x in rest:
            r = r * x
        return r
    except OverflowError:
        r = _mul2(a, b)
        for x in rest:
            r = _mul2(r, x)
        return r


@primitive("-", NUM, NUM, NUM)
def sub(a: Any, b: Any = _NO, *rest: Any) -> Any:
    """(- z1 z2 ...) -> number"""
    if b is _NO:
        return -a
    try:
        r = a - b
        for x in rest:
            r = r - x
        return r
    except OverflowError:
        r = _sub2(a, b)
        for x in rest:
            r = _sub2(r, x)
        return r


@primitive("/", NUM, NUM, NUM)
def div(a: Any, b: Any = _NO, *rest: Any) -> Any:
    """(/ z1 z2 ...) -> number"""
    if b is _NO:
        return div2(1, a)
    r = div2(a, b)
    for x in rest:
        r = div2(r, x)
    return r


@primitive("abs", REAL)
def abs_(x: Any) -> Any:
    """(abs x) -> real"""
    return abs(x)


# integer division --------------------------------------------------------

def _int_args(who: str, n: Any, d: Any) -> bool:
    """Check the divisor; True when the result is inexact."""
    if d == 0:
        _div0(who, n, d)
    return n.__class__ is float or d.__class__ is float


def _floor_qr(who: str, n: Any, d: Any) -> Tuple[Any, Any]:
    if _int_args(who, n, d):
        q, r = divmod(to_float(n), to_float(d))
        return q, r
    return divmod(n, d)


def _trunc_qr(who: str, n: Any, d: Any) -> Tuple[Any, Any]:
    if _int_args(who, n, d):
        fn, fd = to_float(n), to_float(d)
        r = math.fmod(fn, fd)
        return float(round((fn - r) / fd)), r
    q = abs(n) // abs(d)
    if (n < 0) != (d < 0):
        q = -q
    return q, n - q * d


@primitive("floor/", INT, INT)
def floor_(n: Any, d: Any) -> MultipleValues:
    """(floor/ n1 n2) -> (values q r)"""
    return MultipleValues(_floor_qr("floor/", n, d))


@primitive("floor-quotient", INT, INT)
def floor_quotient(n: Any, d: Any) -> Any:
    """(floor-quotient n1 n2) -> integer"""
    return _floor_qr("floor-quotient", n, d)[0]


@primitive("floor-remainder", INT, INT)
def floor_remainder(n: Any, d: Any) -> Any:
    """(floor-remainder n1 n2) -> integer"""
    return _floor_qr("floor-remainder", n, d)[1]


@primitive("modulo", INT, INT)
def modulo(n: Any, d: Any) -> Any:
    """(modulo n1 n2) -> integer"""
    if n.__class__ is int and d.__class__ is int and d:
        return n % d
    return _floor_qr("modulo", n, d)[1]


@primitive("truncate/", INT, INT)
def truncate_(n: Any, d: Any) -> MultipleValues:
    """(truncate/ n1 n2) -> (values q r)"""
    return MultipleValues(_trunc_qr("truncate/", n, d))


@primitive("truncate-quotient", INT, INT)
def truncate_quotient(n: Any, d: Any) -> Any:
    """(truncate-quotient n1 n2) -> integer"""
    return _trunc_qr("truncate-quotient", n, d)[0]


@primitive("truncate-remainder", INT, INT)
def truncate_remainder(n: Any, d: Any) -> Any:
    """(truncate-remainder n1 n2) -> integer"""
    return _trunc_qr("truncate-remainder", n, d)[1]


@primitive("quotient", INT, INT)
def quotient(n: Any, d: Any) -> Any:
    """(quotient n1 n2) -> integer"""
    if n.__class__ is int and d.__class__ is int and d:
        q = n // d
        return q + 1 if q < 0 and q * d != n else q
    return _trunc_qr("quotient", n, d)[0]


@primitive("remainder", INT, INT)
def remainder(n: Any, d: Any) -> Any:
    """(remainder n1 n2) -> integer"""
    if n.__class__ is int and d.__class__ is int and d:
        r = n % d
        return r - d if r and (n < 0) != (d < 0) else r
    return _trunc_qr("remainder", n, d)[1]


def _int_fold(fn: Callable[[int, int], int], unit: int, args: Tuple[Any, ...]) -> Any:
    r = unit
    inexact = False
    for x in args:
        if x.__class__ is float:
            inexact = True
        r = fn(r, int(x))
    return float(r) if inexact else r


@primitive("gcd", INT)
def gcd(*ns: Any) -> Any:
    """(gcd n ...) -> integer"""
    return _int_fold(math.gcd, 0, ns)


@primitive("lcm", INT)
def lcm(*ns: Any) -> Any:
    """(lcm n ...) -> integer"""
    return _int_fold(math.lcm, 1, ns)


@primitive("numerator", RATIONAL)
def numerator(q: Any) -> Any:
    """(numerator q) -> integer"""
    if q.__class__ is float:
        return float(Fraction(q).numerator)
    return q if q.__class__ is int else q.numerator


@primitive("denominator", RATIONAL)
def denominator(q: Any) -> Any:
    """(denominator q) -> integer"""
    if q.__class__ is float:
        return float(Fraction(q).denominator)
    return 1 if q.__class__ is int else q.denominator


# rounding ----------------------------------------------------------------

def _round_float(fn: Callable[[float], Any], x: float) -> float:
    """fn applied to a float, keeping infinities, NaN and the sign of a zero result."""
    if not math.isfinite(x):
        return x
    r = float(fn(x))
    return math.copysign(r, x) if r == 0 else r


def _rounder(name: str, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def rounding(x: Any) -> Any:
        if x.__class__ is int:
            return x
        if x.__class__ is float:
            return _round_float(fn, x)
        return int(fn(x))

    rounding.__name__ = name
    rounding.__doc__ = f"({name} x) -> integer"
    return rounding


floor = primitive("floor", REAL)(_rounder("floor", math.floor))
ceiling = primitive("ceiling", REAL)(_rounder("ceiling", math.ceil))
truncate = primitive("truncate", REAL)(_rounder("truncate", math.trunc))
round_ = primitive("round", REAL)(_rounder("round", round))   # round() is banker's


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The simplest rational in [lo, hi] (Stern-Brocot / continued fractions)."""
    if lo > 0:
        return _simplest_pos(lo, hi)
    if hi < 0:
        return -_simplest_pos(-hi, -lo)
    return Fraction(0)


def _simplest_pos(lo: Fraction, hi: Fraction) -> Fraction:
    fl = math.floor(lo)
    if fl == lo:
        return Fraction(fl)
    if fl < math.floor(hi):
        return Fraction(fl + 1)
    return fl + 1 / _simplest_pos(1 / (hi - fl), 1 / (lo - fl))


@primitive("rationalize", REAL, REAL)
def rationalize(x: Any, y: Any) -> Any:
    """(rationalize x y) -> rational"""
    inexact = x.__class__ is float or y.__class__ is float
    if inexact:
        fx, fy = to_float(x), to_float(y)
        if fx != fx or fy != fy:
            return NAN
        if math.isinf(fy):
            return NAN if math.isinf(fx) else 0.0
        if math.isinf(fx):
            return fx
        x, y = Fraction(fx), Fraction(fy)
    y = abs(Fraction(y))
    r = _simplest_between(Fraction(x) - y, Fraction(x) + y)
    return to_float(r) if inexact else norm(r)


@primitive("exact-integer-sqrt", A.index)
def exact_integer_sqrt(k: int) -> MultipleValues:
    """(exact-integer-sqrt k) -> (values s r)"""
    s = math.isqrt(k)
    return MultipleValues((s, k - s * s))


@primitive("square", NUM)
def square(z: Any) -> Any:
    """(square z) -> number"""
    return _mul2(z, z)


# exactness ---------------------------------------------------------------

def to_exact(z: Any, who: str = "exact") -> Any:
    """The exact number equal to *z*; a range condition from *who* if there is none."""
    c = z.__class__
    if c is int or c is Rational or c is ExactComplex:
        return z
    if c is complex:
        if z.imag != 0:
            if not (math.isfinite(z.real) and math.isfinite(z.imag)):
                throw("range", who, "no exact representation of", z)
            return make_rect(to_exact(z.real, who), to_exact(z.imag, who))
        z = z.real
    if not math.isfinite(z):
        throw("range", who, "no exact representation of", z)
    if z.is_integer():
        return int(z)
    return Rational(*z.as_integer_ratio())


@primitive("exact", NUM)
def exact(z: Any) -> Any:
    """(exact z) -> exact number"""
    return to_exact(z)


@primitive("inexact", NUM)
def inexact(z: Any) -> Any:
    """(inexact z) -> inexact number"""
    return _inexact_of(z)


@primitive("inexact->exact", NUM)
def inexact_to_exact(z: Any) -> Any:
    """(inexact->exact z) -> exact number"""
    return to_exact(z, "inexact->exact")


@primitive("exact->inexact", NUM)
def exact_to_inexact(z: Any) -> Any:
    """(exact->inexact z) -> inexact number"""
    return _inexact_of(z)


# ---------------------------------------------------------------------------
# number <-> string

_DIGITS = {2: "b", 8: "o", 10: "d", 16: "x"}


def _int_text(n: int, radix: int) -> str:
    if radix == 10:
        return str(n)
    body = format(abs(n), _DIGITS[radix])
    return "-" + body if n < 0 else body


def _float_text(x: float, radix: int) -> str:
    """A float's digits; outside radix 10 they spell its exact (dyadic) value."""
    if x != x:
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    if radix == 10:
        from ..reader.printer import format_number
        return format_number(x)       # one spelling of flonums for write and number->string
    n, d = x.as_integer_ratio()
    return _int_text(n, radix) if d == 1 else _int_text(n, radix) + "/" + _int_text(d, radix)


def number_to_string(z: Any, radix: int = 10) -> str:
    """The external representation of number *z* in *radix* (2, 8, 10 or 16).

    Decimal points exist only in radix 10, so other radixes write an inexact
    number as ``#i`` and its exact value: (number->string 2.5 2) => "#i101/10".
    """
    c = z.__class__
    if c is int:
        return _int_text(z, radix)
    if c is Rational:
        return _int_text(z.numerator, radix) + "/" + _int_text(z.denominator, radix)
    if c is ExactComplex:
        return _exact_complex_text(z, radix)
    mark = "" if radix == 10 else "#i"
    if c is float:
        text = _float_text(z, radix)
        return text if not math.isfinite(z) else mark + text
    im = _float_text(z.imag, radix)
    if im[0] not in "+-":
        im = "+" + im
    if z.real == 0 and math.copysign(1.0, z.real) > 0:
        return mark + im + "i"
    return mark + _float_text(z.real, radix) + im + "i"


def _exact_complex_text(z: ExactComplex, radix: int) -> str:
    """1+2i, 1/2-3/4i, +i, -2i: no zero real part, no unit imaginary coefficient."""
    im = z.im
    if im == 1 or im == -1:
        im_t = "+" if im > 0 else "-"
    else:
        im_t = number_to_string(im, radix)
        if im_t[0] != "-":
            im_t = "+" + im_t
    re_t = "" if z.re == 0 else number_to_string(z.re, radix)
    return re_t + im_t + "i"


@primitive("number->string", NUM, A.radix)
def number_to_string_(z: Any, radix: int = 10) -> MString:
    """(number->string z [radix]) -> string"""
    if z.__class__ is int and radix == 10:
        return MString(str(z))
    return MString(number_to_string(z, radix))


@primitive("string->number", A.string, A.radix)
def string_to_number(s: MString, radix: int = 10) -> Any:
    """(string->number string [radix]) -> number or #f"""
    v = parse_number(s.s, radix)
    return False if v is None or v is False else v


# ---------------------------------------------------------------------------
# expt, sqrt and the transcendental functions

def _iroot(n: int, k: int) -> Optional[int]:
    """The exact k-th root of n >= 0, or None (integer Newton iteration from above)."""
    if n < 2:
        return n
    if k == 2:
        x = math.isqrt(n)
    else:
        x = 1 << -(-n.bit_length() // k)       # 2**ceil(bits/k) >= the root
        while True:
            y = ((k - 1) * x + n // x ** (k - 1)) // k
            if y >= x:
                break
            x = y
    return x if x ** k == n else None


def _exact_root(q: Any, k: int) -> Any:
    """The exact k-th root of exact q >= 0, or None."""
    if q.__class__ is int:
        return _iroot(q, k)
    n, d = _iroot(q.numerator, k), _iroot(q.denominator, k)
    return None if n is None or d is None else Rational(n, d)


MAX_EXPT_BITS = 1 << 28      # an exact power above 32 MB is refused, not computed for minutes


def _bits(q: Any) -> int:
    """Bits in the larger of numerator and denominator of exact *q*."""
    if q.__class__ is int:
        return q.bit_length()
    return max(q.numerator.bit_length(), q.denominator.bit_length())


def _is_odd(b: Any) -> bool:
    if b.__class__ is int:
        return b % 2 == 1
    return b.__class__ is float and b.is_integer() and b % 2 == 1


def _fexpt(a: Any, b: Any) -> Any:
    """Inexact a ** b, with infinities instead of Python exceptions."""
    try:
        return a ** b
    except (ZeroDivisionError, OverflowError) as e:
        if a.__class__ in COMPLEX_CLASSES or b.__class__ in COMPLEX_CLASSES:
            throw("range", "expt", "result not representable", a, b)
        if isinstance(e, ZeroDivisionError):       # 0.0 to a negative power
            return math.copysign(INF, a) if _is_odd(b) else INF
        return -INF if a < 0 and _is_odd(b) else INF


@primitive("expt", NUM, NUM)
def expt(z1: Any, z2: Any) -> Any:
    """(expt z1 z2) -> number"""
    c1, c2 = z1.__class__, z2.__class__
    if c2 is int and c1 is ExactComplex:
        if abs(z2) > 64 and abs(z2) * max(_bits(z1.re), _bits(z1.im)) > MAX_EXPT_BITS:
            throw("range", "expt", "exact result too large", z1, z2)
        return z1 ** z2
    if c2 is int and c1 in EXACT_CLASSES:
        if abs(z2) > 64 and abs(z1) != 1 and z1 != 0 and abs(z2) * _bits(z1) > MAX_EXPT_BITS:
            throw("range", "expt", "exact result too large", z1, z2)
        if z2 >= 0:
            return z1 ** z2
        if z1 == 0:
            _div0("expt", z1, z2)
        return norm(Fraction(z1) ** z2)
    if c2 is Rational and c1 in EXACT_CLASSES:
        if z1 >= 0:
            root = _exact_root(z1, z2.denominator)
            if root is not None:
                return expt(root, z2.numerator)
        elif z2.denominator == 2:                 # principal root of a negative: (expt -4 1/2) => +2i
            root = _exact_root(-z1, 2)
            if root is not None:
                return expt(make_rect(0, root), z2.numerator)
    if z1 == 0 and c1 in EXACT_CLASSES:
        if z2 == 0:
            return 1 if c2 in EXACT_NUMBER_CLASSES else 1.0
        if (z2.real if c2 in COMPLEX_CLASSES else z2) > 0:
            return 0 if c2 in EXACT_NUMBER_CLASSES else 0.0
    if c2 is int and c1 not in COMPLEX_CLASSES:
        return _fexpt(_inexact_of(z1), z2)        # float ** int stays real
    return _fexpt(_inexact_of(z1), _inexact_of(z2))


@primitive("exp", NUM, lib=INEXACT)
def exp(z: Any) -> Any:
    """(exp z) -> number"""
    if z.__class__ in COMPLEX_CLASSES:
        try:
            return cmath.exp(to_complex(z))
        except OverflowError:
            throw("range", "exp", "result not representable", z)
    try:
        return math.exp(to_float(z))
    except OverflowError:
        return INF


def _log1(z: Any) -> Any:
    if z.__class__ is ExactComplex:
        z = to_complex(z)
    if z.__class__ is complex:
        if z == 0:
            return complex(-INF, 0.0)
        return cmath.log(z)
    if z == 0:
        return -INF
    if z.__class__ is Rational:
        mag = math.log(abs(z.numerator)) - math.log(z.denominator)
    elif z != z:
        return NAN
    else:
        mag = math.log(abs(z))          # exact ints of any size are fine here
    return complex(mag, math.pi) if z < 0 else mag


@primitive("log", NUM, NUM, lib=INEXACT)
def log(z: Any, base: Any = _NO) -> Any:
    """(log z [base]) -> number"""
    if base is _NO:
        return _log1(z)
    return div2(_inexact_of(_log1(z)), _inexact_of(_log1(base)))


def _real_or_complex(rfn: Callable[[float], float], cfn: Callable[[complex], complex],
                     z: Any, in_domain: Callable[[float], bool]) -> Any:
    """rfn on a real argument in its domain, cfn otherwise; NaN for infinities."""
    if z.__class__ in COMPLEX_CLASSES:
        try:
            return cfn(to_complex(z))
        except (ValueError, OverflowError):
            throw("range", rfn.__name__, "argument out of domain", z)
    f = to_float(z)
    if f != f:
        return NAN
    try:
        if in_domain(f):
            return rfn(f)
        return cfn(complex(f, 0.0))
    except (ValueError, OverflowError):     # sin/cos/tan of an infinity and the like
        return NAN


def _always(f: float) -> bool:
    return True


def _unit(f: float) -> bool:
    return -1.0 <= f <= 1.0


def _transcendental(name: str, rfn: Callable[[float], float], cfn: Callable[[complex], complex],
                    domain: Callable[[float], bool]) -> Callable[[Any], Any]:
    def fn(z: Any) -> Any:
        return _real_or_complex(rfn, cfn, z, domain)

    fn.__name__ = name
    fn.__doc__ = f"({name} z) -> number"
    return primitive(name, NUM, lib=INEXACT)(fn)


sin = _transcendental("sin", math.sin, cmath.sin, _always)
cos = _transcendental("cos", math.cos, cmath.cos, _always)
tan = _transcendental("tan", math.tan, cmath.tan, _always)
asin = _transcendental("asin", math.asin, cmath.asin, _unit)
acos = _transcendental("acos", math.acos, cmath.acos, _unit)


@primitive("atan", NUM, REAL, lib=INEXACT)
def atan(y: Any, x: Any = _NO) -> Any:
    """(atan z) or (atan y x) -> number"""
    if x is _NO:
        return _real_or_complex(math.atan, cmath.atan, y, _always)
    if y.__class__ in COMPLEX_CLASSES:
        wrong_type("atan", 1, "real number", y)
    if x == 0 and y == 0 and is_exact(x) and is_exact(y):
        throw("range", "atan", "undefined for two exact zeros", y, x)
    return math.atan2(to_float(y), to_float(x))


@primitive("sqrt", NUM, lib=INEXACT)
def sqrt(z: Any) -> Any:
    """(sqrt z) -> number"""
    c = z.__class__
    if c is complex:
        if z.imag == 0:
            z = complex(z.real, 0.0)      # -1.0-0.0i is on the cut's upper side: +1.0i
        return cmath.sqrt(z)
    if c is ExactComplex:
        return _sqrt_exact_complex(z)
    if c in EXACT_CLASSES:
        root = _exact_root(abs(z), 2)
        if root is not None:
            return root if z >= 0 else make_rect(0, root)
        if c is int and z.bit_length() > 1000:   # beyond float range: via isqrt
            mag = to_float(math.isqrt(abs(z)))
            return mag if z > 0 else complex(0.0, mag)
    f = to_float(z)
    if f < 0:
        return complex(0.0, math.sqrt(-f))
    return math.sqrt(f)


def _sqrt_exact_complex(z: ExactComplex) -> Any:
    """The exact principal root of a+bi when there is one (sqrt -3+4i => 1+2i), else inexact.

    With m = |z|, the root is p+qi where p = sqrt((m+a)/2) and q = sign(b) sqrt((m-a)/2).
    """
    a, b = z.re, z.im
    m = _exact_root(a * a + b * b, 2)
    if m is not None:
        p = _exact_root(norm(Fraction(m + a) / 2), 2)
        q = _exact_root(norm(Fraction(m - a) / 2), 2)
        if p is not None and q is not None:
            return make_rect(p, q if b > 0 else -q)
    return cmath.sqrt(to_complex(z))


# ---------------------------------------------------------------------------
# (scheme complex)

@primitive("make-rectangular", REAL, REAL, lib=COMPLEX)
def make_rectangular(x: Any, y: Any) -> Any:
    """(make-rectangular x1 x2) -> number"""
    if y.__class__ is not float:
        if x.__class__ is not float:
            return make_rect(x, y)
        if y == 0:
            return x
    return complex(to_float(x), to_float(y))


@primitive("make-polar", REAL, REAL, lib=COMPLEX)
def make_polar(mag: Any, ang: Any) -> Any:
    """(make-polar x1 x2) -> number"""
    if ang == 0 and ang.__class__ is not float:
        return mag
    m, a = to_float(mag), to_float(ang)
    return complex(m * math.cos(a), m * math.sin(a))


@primitive("real-part", NUM, lib=COMPLEX)
def real_part(z: Any) -> Any:
    """(real-part z) -> real"""
    c = z.__class__
    return z.real if c is complex or c is ExactComplex else z


@primitive("imag-part", NUM, lib=COMPLEX)
def imag_part(z: Any) -> Any:
    """(imag-part z) -> real"""
    c = z.__class__
    return z.imag if c is complex or c is ExactComplex else 0


@primitive("magnitude", NUM, lib=COMPLEX)
def magnitude(z: Any) -> Any:
    """(magnitude z) -> real"""
    c = z.__class__
    if c is complex:
        return math.hypot(z.real, z.imag)
    if c is ExactComplex:       # exact when a^2+b^2 is a perfect square: (magnitude 3+4i) => 5
        root = _exact_root(z.re * z.re + z.im * z.im, 2)
        return root if root is not None else math.hypot(to_float(z.re), to_float(z.im))
    return abs(z)


@primitive("angle", NUM, lib=COMPLEX)
def angle(z: Any) -> Any:
    """(angle z) -> real"""
    c = z.__class__
    if c is complex or c is ExactComplex:
        return math.atan2(to_float(z.imag), to_float(z.real))
    if z.__class__ is float:
        return math.atan2(0.0, z)
    return 0 if z >= 0 else math.pi
