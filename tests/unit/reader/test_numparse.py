"""parse_number: the R7RS number grammar, exactness and result types."""
from __future__ import annotations

import math

import pytest

from polysock.reader.numparse import parse_number
from polysock.values.numbers import ExactComplex, Rational, make_rational

EXACT = [
    ("0", 0), ("-0", 0), ("+17", 17), ("00012", 12),
    ("1/2", make_rational(1, 2)), ("-6/4", make_rational(-3, 2)), ("8/4", 2),
    ("#x10", 16), ("#xff", 255), ("#XFF", 255), ("#x-Ab", -171), ("#b1010", 10),
    ("#o777", 511), ("#d10", 10), ("#b-1/10", make_rational(-1, 2)),
    ("#e1.5", make_rational(3, 2)), ("#e1e2", 100), ("#e.125", make_rational(1, 8)),
    ("#e1.2e-1", make_rational(3, 25)), ("#e#x1F", 31), ("#x#e1F", 31),
    ("#e1/3", make_rational(1, 3)), ("1+0i", 1), ("5@0", 5),
    ("12345678901234567890123456789", 12345678901234567890123456789),
]

INEXACT = [
    ("1.5", 1.5), ("-.5", -0.5), ("1.", 1.0), ("1e3", 1000.0), ("1E3", 1000.0),
    ("1s3", 1000.0), ("1f3", 1000.0), ("1d3", 1000.0), ("1l3", 1000.0),
    ("2.5e-2", 0.025), ("#i1/4", 0.25), ("#i5", 5.0), ("#i#x10", 16.0), ("#x#i10", 16.0),
    ("+inf.0", math.inf), ("-inf.0", -math.inf), ("1e500", math.inf), ("#i1/3", 1 / 3),
    ("#i" + "9" * 400, math.inf),
]

COMPLEX = [
    ("-2.5i", -2.5j), ("1.5+i", complex(1.5, 1)), ("1+2.0i", complex(1, 2)), ("#i1+2i", complex(1, 2)),
    ("+inf.0i", complex(0, math.inf)), ("1-inf.0i", complex(1, -math.inf)),
    ("1.0+0.0i", complex(1, 0)),
]

EXACT_COMPLEX = [
    ("1+2i", ExactComplex(1, 2)), ("1-2i", ExactComplex(1, -2)), ("+i", ExactComplex(0, 1)),
    ("-i", ExactComplex(0, -1)), ("+2i", ExactComplex(0, 2)), ("#e1+2i", ExactComplex(1, 2)),
    ("1/2+1/4i", ExactComplex(make_rational(1, 2), make_rational(1, 4))),
    ("#x10+fi", ExactComplex(16, 15)), ("#e1.5-2.5i", ExactComplex(make_rational(3, 2), make_rational(-5, 2))),
]

NOT_NUMBERS = [
    "", "+", "-", "...", ".", "1+", "1-", "i", "+-1", "--1", "1/", "/1", "1/2/3", "1//2",
    "1e", "1e+", "e1", "1.2.3", "1_000", "١٢", "inf", "nan", "+inf", "inf.0", "1x",
    "#x", "#e", "#x#x1", "#e#i1", "#i#e1", "#xg", "#b2", "#o8", "#x1.5", "#b1e1", "#q1",
    "1/0", "#e+inf.0", "#e-nan.0", "abc", "1+2", "1+2j", "1@", "@1", "1@@2", "+.e1",
    "0x10", "1e1.5", " 1", "1 ",
]


@pytest.mark.parametrize("text,value", EXACT)
def test_exact(text: str, value: object) -> None:
    got = parse_number(text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("text,value", INEXACT)
def test_inexact(text: str, value: float) -> None:
    got = parse_number(text)
    assert type(got) is float and got == value


@pytest.mark.parametrize("text,value", COMPLEX)
def test_complex(text: str, value: complex) -> None:
    got = parse_number(text)
    assert type(got) is complex and got == value


@pytest.mark.parametrize("text,value", EXACT_COMPLEX)
def test_exact_complex(text: str, value: ExactComplex) -> None:
    got = parse_number(text)
    assert type(got) is ExactComplex and got == value


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_nan() -> None:
    for text in ("+nan.0", "-nan.0", "+NaN.0"):
        x = parse_number(text)
        assert type(x) is float and math.isnan(x)


def test_rationals_are_normalised() -> None:
    x = parse_number("2/4")
    assert type(x) is Rational and (x.numerator, x.denominator) == (1, 2)
    assert type(parse_number("4/2")) is int
    assert type(parse_number("#e2.0")) is int


def test_radix_argument() -> None:
    assert parse_number("ff", 16) == 255
    assert parse_number("101", 2) == 5
    assert parse_number("17", 8) == 15
    assert parse_number("#d10", 16) == 10          # a prefix overrides the radix
    assert parse_number("1.5", 16) is None         # decimals are radix 10 only
    assert parse_number("10", 7) is None           # only 2, 8, 10 and 16


def test_polar() -> None:
    x = parse_number("2@1")
    assert type(x) is complex
    assert math.isclose(x.real, 2 * math.cos(1)) and math.isclose(x.imag, 2 * math.sin(1))


def test_decimal_rounding_is_correct() -> None:
    assert parse_number("0.1") == 0.1
    assert parse_number("2.2250738585072014e-308") == 2.2250738585072014e-308
    assert parse_number("#e0.1") == make_rational(1, 10)


def test_huge_integers_have_no_digit_limit() -> None:
    text = "7" * 6000
    assert parse_number(text) == int(text)
