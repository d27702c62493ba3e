"""Character primitives of (scheme base) and (scheme char), through their wrappers."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

import polysock.runtime.chars  # noqa: F401  (registers the primitives)
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.strings import MString

BASE = LIBRARIES["(scheme base)"]
CHAR = LIBRARIES["(scheme char)"]


def cond(fn, *args):
    with pytest.raises(SchemeError) as e:
        fn(*args)
    return e.value.payload


def wrong(table, name, pos, *args):
    c = cond(table[name], *args)
    assert c.kind == "wrong-type" and c.who == name and c.data["position"] == pos


def test_char_p():
    assert BASE["char?"]("a") is True
    assert BASE["char?"](MString("a")) is False
    assert BASE["char?"](97) is False
    assert BASE["char?"]("ab") is False


def test_char_integer_conversion():
    assert BASE["char->integer"]("A") == 65
    assert BASE["char->integer"]("\u03bb") == 0x3BB
    assert BASE["char->integer"]("\U0001F600") == 0x1F600
    assert BASE["integer->char"](955) == "\u03bb"
    assert BASE["integer->char"](0) == "\x00"
    assert BASE["integer->char"](0x10FFFF) == "\U0010FFFF"
    wrong(BASE, "char->integer", 1, 65)
    wrong(BASE, "char->integer", 1, MString("A"))
    wrong(BASE, "integer->char", 1, "A")
    wrong(BASE, "integer->char", 1, -1)
    wrong(BASE, "integer->char", 1, 65.0)
    for bad in (0x110000, 0xD800, 0xDFFF):
        c = cond(BASE["integer->char"], bad)
        assert c.kind == "range" and c.who == "integer->char"


@given(st.characters(exclude_categories=("Cs",)))
def test_char_round_trip(c):
    assert BASE["integer->char"](BASE["char->integer"](c)) == c


@pytest.mark.parametrize("name,args,expected", [
    ("char=?", ("a", "a"), True),
    ("char=?", ("a", "a", "b"), False),
    ("char<?", ("a", "b", "c"), True),
    ("char<?", ("a", "c", "b"), False),
    ("char<?", ("a", "a"), False),
    ("char>?", ("c", "b", "a"), True),
    ("char<=?", ("a", "a", "b"), True),
    ("char>=?", ("b", "b", "a"), True),
    ("char>=?", ("a", "b"), False),
    ("char=?", ("a",), True),
])
def test_char_comparisons(name, args, expected):
    assert BASE[name](*args) is expected


@pytest.mark.parametrize("name,args,expected", [
    ("char-ci=?", ("a", "A"), True),
    ("char-ci=?", ("a", "A", "b"), False),
    ("char-ci<?", ("a", "B", "c"), True),
    ("char-ci>?", ("C", "b", "A"), True),
    ("char-ci<=?", ("a", "A", "b"), True),
    ("char-ci>=?", ("B", "b", "a"), True),
    ("char-ci=?", ("\u03c3", "\u03a3", "\u03c2"), True),
])
def test_char_ci_comparisons(name, args, expected):
    assert CHAR[name](*args) is expected


def test_comparison_type_errors():
    for name in ("char=?", "char<?", "char>?", "char<=?", "char>=?"):
        wrong(BASE, name, 1, 1, "a")
        wrong(BASE, name, 2, "a", MString("a"))
        wrong(BASE, name, 3, "a", "b", 3)
    wrong(CHAR, "char-ci=?", 2, "a", None)
    wrong(CHAR, "char-ci<?", 4, "a", "b", "c", 4)


def test_classification():
    a = CHAR
    assert a["char-alphabetic?"]("a") and a["char-alphabetic?"]("\u03bb")
    assert not a["char-alphabetic?"]("1") and not a["char-alphabetic?"](" ")
    assert a["char-numeric?"]("1") and a["char-numeric?"]("\u0663")   # ARABIC-INDIC THREE
    assert not a["char-numeric?"]("a") and not a["char-numeric?"]("\u00bd")
    assert a["char-whitespace?"](" ") and a["char-whitespace?"]("\t")
    assert a["char-whitespace?"]("\n") and a["char-whitespace?"]("\u00a0")
    assert a["char-whitespace?"]("\u3000") and not a["char-whitespace?"]("a")
    assert not a["char-whitespace?"]("\x1c")
    assert a["char-upper-case?"]("A") and not a["char-upper-case?"]("a")
    assert not a["char-upper-case?"]("1")
    assert a["char-lower-case?"]("a") and a["char-lower-case?"]("\u00df")
    assert not a["char-lower-case?"]("A") and not a["char-lower-case?"]("3")
    for name in ("char-alphabetic?", "char-numeric?", "char-whitespace?",
                 "char-upper-case?", "char-lower-case?", "digit-value"):
        wrong(CHAR, name, 1, 65)


def test_digit_value():
    d = CHAR["digit-value"]
    assert d("3") == 3 and d("0") == 0 and d("\u0664") == 4 and d("\u0ae6") == 0
    assert d("a") is False and d("\u00bd") is False and d(" ") is False


@pytest.mark.parametrize("c,up,down,fold", [
    ("a", "A", "a", "a"),
    ("A", "A", "a", "a"),
    ("1", "1", "1", "1"),
    ("\u00df", "\u00df", "\u00df", "\u00df"),     # sharp s: no one-char uppercase
    ("\u03a3", "\u03a3", "\u03c3", "\u03c3"),
    ("\u03c2", "\u03a3", "\u03c2", "\u03c3"),     # final sigma folds to sigma
    ("\u0130", "\u0130", "i", "\u0130"),          # dotted capital I
    ("\u1e9e", "\u1e9e", "\u00df", "\u00df"),     # capital sharp s
    ("\u01c5", "\u01c4", "\u01c6", "\u01c6"),     # titlecase DZ with caron
    ("\ufb00", "\ufb00", "\ufb00", "\ufb00"),     # ff ligature
])
def test_case_mapping(c, up, down, fold):
    assert CHAR["char-upcase"](c) == up
    assert CHAR["char-downcase"](c) == down
    assert CHAR["char-foldcase"](c) == fold


@given(st.characters(exclude_categories=("Cs",)))
def test_case_mapping_gives_one_char(c):
    for name in ("char-upcase", "char-downcase", "char-foldcase"):
        r = CHAR[name](c)
        assert r.__class__ is str and len(r) == 1


def test_case_type_errors():
    for name in ("char-upcase", "char-downcase", "char-foldcase"):
        wrong(CHAR, name, 1, MString("a"))


def test_library_placement():
    assert "char-upcase" not in BASE and "char-ci=?" not in BASE
    assert "char=?" in BASE and "char=?" not in CHAR
    assert BASE["char<?"].__name__ == "char<?"
