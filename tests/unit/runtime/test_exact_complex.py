"""Exact complex numbers: the value class, reading, writing and every numeric procedure."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

import polysock.runtime.numbers  # noqa: F401  (registers the primitives)
from polysock.reader.numparse import parse_number
from polysock.reader.printer import format_number, write_string
from polysock.runtime.equivalence import eqv, eqv_key, equal
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.numbers import ExactComplex, Rational, make_rational, make_rect
from polysock.values.pairs import Pair, NIL, cons
from polysock.values.strings import MString

BASE = LIBRARIES["(scheme base)"]
INEXACT = LIBRARIES["(scheme inexact)"]
COMPLEX = LIBRARIES["(scheme complex)"]
R = Rational
Z = ExactComplex


def b(name, *args):
    return BASE[name](*args)


def ix(name, *args):
    return INEXACT[name](*args)


def cx(name, *args):
    return COMPLEX[name](*args)


def same(x, y):
    """Equal and of the same class (parts included for exact complex numbers)."""
    if x.__class__ is not y.__class__:
        return False
    if x.__class__ is ExactComplex:
        return same(x.re, y.re) and same(x.im, y.im)
    return x == y


def cond(fn, *args):
    with pytest.raises(SchemeError) as e:
        fn(*args)
    return e.value.payload


exact_reals = st.one_of(st.integers(-10**6, 10**6),
                        st.builds(make_rational, st.integers(-1000, 1000), st.integers(1, 50)))
exact_numbers = st.builds(make_rect, exact_reals, exact_reals)


# --- the value class ------------------------------------------------------

def test_make_rect_normalises():
    assert same(make_rect(1, 0), 1) and same(make_rect(R(1, 2), 0), R(1, 2))
    z = make_rect(1, 2)
    assert z.__class__ is ExactComplex and z.re == 1 and z.im == 2
    assert (z.real, z.imag) == (1, 2)
    assert repr(z) == "ExactComplex(1, 2)"


def test_slots():
    with pytest.raises(AttributeError):
        Z(1, 2).other = 3


def test_exact_arithmetic():
    a, c = Z(1, 2), Z(3, -1)
    assert same(a + c, 4 + Z(0, 1)) and same(a + c, Z(4, 1))
    assert same(a - a, 0) and same(a + Z(0, -2), 1)
    assert same(a * c, Z(5, 5)) and same(Z(0, 1) * Z(0, 1), -1)
    assert same(a / c, Z(R(1, 10), R(7, 10))) and same(a / a, 1)
    assert same(1 / Z(0, 1), Z(0, -1)) and same(a / 2, Z(R(1, 2), 1))
    assert same(R(1, 2) + a, Z(R(3, 2), 2)) and same(a + R(1, 2), Z(R(3, 2), 2))
    assert same(3 - a, Z(2, -2)) and same(a - 3, Z(-2, 2))
    assert same(2 * a, Z(2, 4)) and same(R(1, 2) * a, Z(R(1, 2), 1))
    assert same(-a, Z(-1, -2)) and same(+a, a)
    assert same(a ** 2, Z(-3, 4)) and same(a ** 0, 1) and same(a ** -1, Z(R(1, 5), R(-2, 5)))
    with pytest.raises(ZeroDivisionError):
        a / 0


def test_inexact_contagion():
    a = Z(1, 2)
    for r in (a + 1.5, 1.5 + a, a * 2.0, a - 0.5, 0.5 - a, a / 2.0, 2.0 / a, a + 1j, 1j * a):
        assert r.__class__ is complex
    assert a + 1.5 == complex(2.5, 2) and 2.0 / a == 2.0 / complex(1, 2)
    assert a - complex(1, 2) == 0


def test_equality_and_hash():
    a = Z(1, 2)
    assert a == Z(1, 2) and a == complex(1, 2) and complex(1, 2) == a
    assert a != Z(1, 3) and a != 1 and a != 1.0 and 1 != a and R(1, 2) != Z(R(1, 2), 1)
    assert hash(a) == hash(complex(1, 2)) and hash(Z(R(1, 2), -3)) == hash(complex(0.5, -3))
    assert not (a == "1+2i") and a != NIL


def test_no_ordering():
    for op in (lambda: Z(1, 2) < 1, lambda: 1 < Z(1, 2), lambda: Z(1, 2) >= Z(1, 2),
               lambda: R(1, 2) <= Z(0, 1), lambda: 1.0 > Z(0, 1)):
        with pytest.raises(TypeError):
            op()


def test_non_numbers_are_type_errors():
    for op in (lambda: Z(1, 2) + MString("x"), lambda: Z(1, 2) * True, lambda: True - Z(1, 2)):
        with pytest.raises(TypeError):
            op()


@given(exact_numbers, exact_numbers, exact_numbers)
def test_field_laws(x, y, w):
    assert x + y == y + x and x * y == y * x
    assert (x + y) + w == x + (y + w) and (x * y) * w == x * (y * w)
    assert x * (y + w) == x * y + x * w
    assert (x - y) + y == x
    if y != 0:
        assert (x / y) * y == x


# --- reading and writing --------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("1+2i", Z(1, 2)), ("1/2+3/4i", Z(R(1, 2), R(3, 4))), ("+i", Z(0, 1)), ("-i", Z(0, -1)),
    ("-2i", Z(0, -2)), ("#d10+11i", Z(10, 11)), ("#x10+11i", Z(16, 17)), ("#b-1-i", Z(-1, -1)),
    ("#e1.0+1.0i", Z(1, 1)), ("#e.5-2.5i", Z(R(1, 2), R(-5, 2))), ("0+i", Z(0, 1)), ("1+0i", 1),
])
def test_read_exact(text, value):
    assert same(parse_number(text), value)


@pytest.mark.parametrize("text,value", [
    ("1.0+2i", complex(1, 2)), ("1+2.0i", complex(1, 2)), ("#i1+2i", complex(1, 2)),
    ("#i+i", 1j), ("1.0+0i", 1.0),
])
def test_read_inexact(text, value):
    got = parse_number(text)
    assert got.__class__ is value.__class__ and got == value


def test_read_polar_exact_prefix():
    z = parse_number("#e2@1")
    assert z.__class__ is ExactComplex and abs(complex(z) - 2 * complex(math.cos(1), math.sin(1))) < 1e-15
    assert parse_number("#e1@0") == 1 and parse_number("#e+inf.0@1") is None


@pytest.mark.parametrize("value,text", [
    (Z(1, 2), "1+2i"), (Z(1, -2), "1-2i"), (Z(-1, 2), "-1+2i"), (Z(R(1, 2), R(3, 4)), "1/2+3/4i"),
    (Z(0, 1), "+i"), (Z(0, -1), "-i"), (Z(0, 2), "+2i"), (Z(0, -2), "-2i"), (Z(3, 1), "3+i"),
    (Z(3, -1), "3-i"), (Z(0, R(-1, 2)), "-1/2i"), (Z(10, 11), "10+11i"),
])
def test_write(value, text):
    assert format_number(value) == text and write_string(value) == text
    assert b("number->string", value).s == text
    assert same(parse_number(text), value)


def test_write_radix():
    assert format_number(Z(10, 11), 16) == "a+bi" and b("number->string", Z(10, -11), 16).s == "a-bi"
    assert b("number->string", Z(0, -1), 2).s == "-i" and b("number->string", Z(2, 3), 2).s == "10+11i"
    assert same(b("string->number", MString("a+bi"), 16), Z(10, 11))


@given(exact_numbers, st.sampled_from([2, 8, 10, 16]))
def test_round_trip(z, radix):
    assert same(b("string->number", b("number->string", z, radix), radix), z)


def test_symbols_that_look_like_complex_get_bars():
    from polysock.values.symbols import intern
    assert write_string(intern("+i")) == "|+i|" and write_string(intern("1+2i")) == "|1+2i|"


# --- predicates -----------------------------------------------------------

def test_predicates():
    z = Z(1, 2)
    assert b("number?", z) and b("complex?", z)
    assert not b("real?", z) and not b("rational?", z) and not b("integer?", z)
    assert b("exact?", z) and not b("inexact?", z) and not b("exact-integer?", z)
    assert not b("zero?", z) and not ix("nan?", z) and not ix("infinite?", z) and ix("finite?", z)
    assert b("inexact?", complex(1, 2)) and not b("exact?", complex(1, 2))


def test_real_only_procedures_reject_exact_complex():
    for name in ("<", ">", "<=", ">="):
        c = cond(BASE[name], Z(1, 2), 1)
        assert c.kind == "wrong-type"
    for name in ("abs", "floor", "positive?", "max"):
        assert cond(BASE[name], Z(1, 2)).kind == "wrong-type"
    assert cond(INEXACT["atan"], Z(0, 1), 1).kind == "wrong-type"


def test_numeric_equality():
    z = Z(1, 2)
    assert b("=", z, Z(1, 2)) and b("=", z, complex(1, 2)) and b("=", complex(1, 2), z, Z(1, 2))
    assert not b("=", z, 1) and not b("=", 1, z) and not b("=", z, Z(2, 1))


# --- arithmetic through the primitives ------------------------------------

def test_primitive_arithmetic():
    z = Z(1, 2)
    assert same(b("+", z, 1, R(1, 2)), Z(R(5, 2), 2)) and same(b("+", z, Z(0, -2)), 1)
    assert same(b("-", z), Z(-1, -2)) and same(b("-", z, z), 0)
    assert same(b("*", z, z, z), Z(-11, -2)) and same(b("*", Z(0, 1), Z(0, 1)), -1)
    assert same(b("/", z), Z(R(1, 5), R(-2, 5))) and same(b("/", z, 2, z), R(1, 2))
    assert same(b("square", Z(0, 1)), -1) and b("+", z, 1.0).__class__ is complex
    c = cond(BASE["/"], z, 0)
    assert c.kind == "range" and c.who == "/"
    r = b("/", z, 0.0)
    assert r.__class__ is complex and math.isinf(r.real) and math.isinf(r.imag)


def test_exact_and_inexact():
    assert same(b("exact", complex(1, 2.5)), Z(1, R(5, 2))) and same(b("exact", complex(3, 0)), 3)
    assert same(b("exact", Z(1, 2)), Z(1, 2)) and same(b("inexact->exact", complex(0, -1)), Z(0, -1))
    assert same(b("inexact", Z(R(1, 2), 1)), complex(0.5, 1.0))
    assert same(b("exact->inexact", Z(0, 1)), 1j)
    big = b("inexact", Z(10 ** 400, -(10 ** 400)))
    assert big.real == math.inf and big.imag == -math.inf
    assert cond(BASE["exact"], complex(1, math.inf)).kind == "range"
    assert cond(BASE["exact"], complex(math.nan, 1)).kind == "range"


def test_complex_library():
    assert same(cx("make-rectangular", 1, 2), Z(1, 2)) and same(cx("make-rectangular", 1, 0), 1)
    assert same(cx("make-rectangular", R(1, 2), R(3, 4)), Z(R(1, 2), R(3, 4)))
    assert same(cx("make-rectangular", 1.0, 2), complex(1, 2)) and same(cx("make-rectangular", 1.0, 0), 1.0)
    assert same(cx("make-rectangular", 1, 2.0), complex(1, 2))
    assert same(cx("real-part", Z(1, 2)), 1) and same(cx("imag-part", Z(1, 2)), 2)
    assert same(cx("real-part", Z(R(1, 2), 2)), R(1, 2)) and same(cx("imag-part", 7), 0)
    assert same(cx("imag-part", R(1, 3)), 0) and same(cx("real-part", complex(1, 2)), 1.0)
    assert same(cx("magnitude", Z(3, 4)), 5) and same(cx("magnitude", Z(0, R(-1, 2))), R(1, 2))
    assert same(cx("magnitude", Z(1, 2)), math.sqrt(5))
    assert same(cx("angle", Z(1, 2)), math.atan2(2, 1)) and same(cx("angle", Z(0, 1)), math.pi / 2)
    assert same(cx("make-polar", 2, 0), 2)


def test_sqrt():
    assert same(ix("sqrt", -4), Z(0, 2)) and same(ix("sqrt", -1), Z(0, 1))
    assert same(ix("sqrt", R(-9, 4)), Z(0, R(3, 2)))
    assert same(ix("sqrt", -2), complex(0, math.sqrt(2)))
    assert same(ix("sqrt", Z(-3, 4)), Z(1, 2)) and same(ix("sqrt", Z(-3, -4)), Z(1, -2))
    assert same(ix("sqrt", Z(0, 2)), Z(1, 1)) and same(ix("sqrt", Z(0, -2)), Z(1, -1))
    r = ix("sqrt", Z(1, 1))
    assert r.__class__ is complex and abs(r * r - complex(1, 1)) < 1e-12
    assert same(ix("sqrt", complex(-1.0, -0.0)), 1j) and same(ix("sqrt", complex(-4.0, 0.0)), 2j)
    assert ix("sqrt", complex(-1.0, -1e-300)).imag < 0      # only a zero imaginary part is flipped


@given(exact_numbers)
def test_sqrt_of_square(z):
    r = ix("sqrt", b("*", z, z))
    assert same(r, z) or same(b("-", r), z)


def test_expt():
    z = Z(1, 2)
    assert same(b("expt", z, 2), Z(-3, 4)) and same(b("expt", z, 0), 1)
    assert same(b("expt", z, -2), Z(R(-3, 25), R(-4, 25))) and same(b("expt", Z(0, 1), 4), 1)
    assert same(b("expt", -4, R(1, 2)), Z(0, 2)) and same(b("expt", -4, R(3, 2)), Z(0, -8))
    assert same(b("expt", R(-1, 4), R(-1, 2)), Z(0, -2))
    r = b("expt", 2, z)
    assert r.__class__ is complex and abs(r - 2 ** complex(1, 2)) < 1e-12
    assert b("expt", z, 0.5).__class__ is complex and b("expt", z, 2.0).__class__ is complex
    assert same(b("expt", 0, Z(1, 1)), 0)
    c = cond(BASE["expt"], Z(2, 3), 10 ** 9)
    assert c.kind == "range"


def test_transcendental():
    z = Z(1, 2)
    for name in ("exp", "log", "sin", "cos", "tan", "asin", "acos", "atan"):
        r = ix(name, z)
        assert r.__class__ is complex
        assert abs(r - ix(name, complex(1, 2))) < 1e-12
    assert ix("log", z, 2).__class__ is complex


# --- equivalence ----------------------------------------------------------

def test_eqv_equal():
    assert eqv(Z(1, 2), Z(1, 2)) and b("eqv?", Z(1, 2), make_rect(1, 2))
    assert not b("eqv?", Z(1, 2), complex(1, 2)) and not b("eqv?", Z(1, 2), Z(1, 3))
    assert not b("eqv?", Z(R(1, 2), 1), Z(1, 1))
    assert equal(cons(Z(1, 2), NIL), cons(Z(1, 2), NIL)) and b("equal?", [Z(0, 1)], [Z(0, 1)])
    assert eqv_key(Z(1, 2)) == eqv_key(make_rect(1, 2)) and eqv_key(Z(1, 2)) != eqv_key(complex(1, 2))
