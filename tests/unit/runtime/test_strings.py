"""String primitives of (scheme base) and (scheme char), through their wrappers."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

import polysock.runtime.chars  # noqa: F401  (registers the primitives)
import polysock.runtime.strings  # noqa: F401
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import UNSPECIFIED
from polysock.values.pairs import NIL, Pair, from_iter, to_list, cons
from polysock.values.strings import MString

BASE = LIBRARIES["(scheme base)"]
CHAR = LIBRARIES["(scheme char)"]
M = MString


def b(name, *args):
    return BASE[name](*args)


def cond(fn, *args):
    with pytest.raises(SchemeError) as e:
        fn(*args)
    return e.value.payload


def wrong(name, pos, *args, table=BASE):
    c = cond(table[name], *args)
    assert c.kind == "wrong-type" and c.who == name and c.data["position"] == pos


def ranged(name, pos, *args):
    c = cond(BASE[name], *args)
    assert c.kind == "range" and c.who == name and c.data["position"] == pos


def text(x):
    assert x.__class__ is MString
    return x.s


def test_string_p():
    assert b("string?", M("")) is True
    assert b("string?", "a") is False and b("string?", 1) is False


def test_make_string_and_string():
    assert text(b("make-string", 3, "x")) == "xxx"
    assert text(b("make-string", 0, "x")) == ""
    assert len(b("make-string", 2)) == 2
    assert text(b("string", "a", "\u03bb", "c")) == "a\u03bbc"
    assert text(b("string")) == ""
    wrong("make-string", 1, -1)
    wrong("make-string", 1, 1.0)
    wrong("make-string", 2, 3, M("x"))
    wrong("string", 2, "a", M("b"))
    wrong("string", 3, "a", "b", 99)


def test_length_ref_set():
    s = M("h\u00e9llo")
    assert b("string-length", s) == 5
    assert b("string-ref", s, 1) == "\u00e9"
    assert b("string-ref", s, 4) == "o"
    assert b("string-set!", s, 0, "J") is UNSPECIFIED
    assert s.s == "J\u00e9llo"
    b("string-set!", s, 4, "\U0001F600")
    assert s.s == "J\u00e9ll\U0001F600"
    ranged("string-ref", 2, s, 5)
    ranged("string-set!", 2, s, 5, "x")
    ranged("string-ref", 2, M(""), 0)
    wrong("string-ref", 2, s, -1)
    wrong("string-ref", 2, s, "0")
    wrong("string-ref", 1, "abc", 0)
    wrong("string-set!", 3, s, 0, M("x"))
    wrong("string-length", 1, ["a"])


def test_substring_copy():
    s = M("hello world")
    assert text(b("substring", s, 0, 5)) == "hello"
    assert text(b("substring", s, 6)) == "world"
    assert text(b("substring", s, 11, 11)) == ""
    c = b("string-copy", s)
    assert c is not s and c.s == s.s
    assert text(b("string-copy", s, 6)) == "world"
    assert text(b("string-copy", s, 2, 4)) == "ll"
    ranged("substring", 2, s, 12)
    ranged("substring", 3, s, 5, 4)
    ranged("substring", 3, s, 0, 12)
    ranged("string-copy", 2, s, 20)
    ranged("string-copy", 3, s, 3, 2)
    wrong("substring", 2, s, 1.0, 2)


def test_string_append():
    a, c = M("ab"), M("cd")
    r = b("string-append", a, c, M(""), M("e"))
    assert text(r) == "abcde"
    e = b("string-append")
    assert text(e) == ""
    one = b("string-append", a)
    assert one is not a and one.s == "ab"
    wrong("string-append", 2, a, "c")
    wrong("string-append", 3, a, c, 3)
    big = [M("x")] * 10000
    assert len(b("string-append", *big)) == 10000


def test_string_list_conversion():
    lst = b("string->list", M("abc"))
    assert to_list(lst) == ["a", "b", "c"]
    assert b("string->list", M("")) is NIL
    assert to_list(b("string->list", M("abcde"), 2)) == ["c", "d", "e"]
    assert to_list(b("string->list", M("abcde"), 1, 3)) == ["b", "c"]
    assert text(b("list->string", from_iter(["x", "y"]))) == "xy"
    assert text(b("list->string", NIL)) == ""
    wrong("list->string", 1, from_iter(["x", 1]))
    wrong("list->string", 1, from_iter(["x", M("y")]))
    wrong("list->string", 1, cons("a", "b"))
    wrong("list->string", 1, "ab")
    ranged("string->list", 3, M("abc"), 1, 4)


def test_string_vector_conversion():
    assert b("string->vector", M("abc")) == ["a", "b", "c"]
    assert b("string->vector", M("abc"), 1) == ["b", "c"]
    assert b("string->vector", M("abc"), 1, 2) == ["b"]
    assert text(b("vector->string", ["1", "2", "3"])) == "123"
    assert text(b("vector->string", ["1", "2", "3"], 1, 2)) == "2"
    wrong("vector->string", 1, ["a", 2])
    wrong("vector->string", 1, M("ab"))
    ranged("vector->string", 2, ["a"], 2)
    ranged("string->vector", 3, M("abc"), 2, 1)


def test_string_copy_bang():
    to = M("12345")
    assert b("string-copy!", to, 1, M("ab")) is UNSPECIFIED
    assert to.s == "1ab45"
    b("string-copy!", to, 0, M("xyz"), 1)
    assert to.s == "yzb45"
    b("string-copy!", to, 3, M("pqrs"), 1, 3)
    assert to.s == "yzbqr"
    b("string-copy!", to, 5, M(""))
    assert to.s == "yzbqr"
    s = M("abcde")            # overlapping copy within one string
    b("string-copy!", s, 1, s, 0, 3)
    assert s.s == "aabce"
    ranged("string-copy!", 2, to, 4, M("ab"))
    ranged("string-copy!", 2, to, 6, M(""))
    ranged("string-copy!", 4, to, 0, M("ab"), 3)
    ranged("string-copy!", 5, to, 0, M("ab"), 1, 0)
    wrong("string-copy!", 3, to, 0, "ab")


def test_string_fill_bang():
    s = M("abcde")
    assert b("string-fill!", s, "x") is UNSPECIFIED
    assert s.s == "xxxxx"
    b("string-fill!", s, "y", 2)
    assert s.s == "xxyyy"
    b("string-fill!", s, "z", 1, 3)
    assert s.s == "xzzyy"
    ranged("string-fill!", 3, s, "a", 6)
    ranged("string-fill!", 4, s, "a", 2, 9)
    wrong("string-fill!", 2, s, M("a"))


@pytest.mark.parametrize("name,args,expected", [
    ("string=?", ("abc", "abc"), True),
    ("string=?", ("abc", "abc", "abd"), False),
    ("string=?", ("abc",), True),
    ("string<?", ("abc", "abd", "b"), True),
    ("string<?", ("abc", "abc"), False),
    ("string<?", ("ab", "abc"), True),
    ("string>?", ("b", "abd", "abc"), True),
    ("string<=?", ("a", "a", "b"), True),
    ("string>=?", ("b", "b", "a"), True),
    ("string>=?", ("a", "b"), False),
])
def test_string_comparisons(name, args, expected):
    assert BASE[name](*map(M, args)) is expected


@pytest.mark.parametrize("name,args,expected", [
    ("string-ci=?", ("Stra\u00dfe", "STRASSE", "strasse"), True),
    ("string-ci=?", ("abc", "ABD"), False),
    ("string-ci<?", ("abc", "ABD"), True),
    ("string-ci>?", ("ABD", "abc"), True),
    ("string-ci<=?", ("ABC", "abc", "abd"), True),
    ("string-ci>=?", ("b", "B", "a"), True),
])
def test_string_ci_comparisons(name, args, expected):
    assert CHAR[name](*map(M, args)) is expected


def test_comparison_type_errors():
    for name in ("string=?", "string<?", "string>?", "string<=?", "string>=?"):
        wrong(name, 1, "a", M("a"))
        wrong(name, 2, M("a"), "a")
        wrong(name, 3, M("a"), M("b"), 1)
    wrong("string-ci=?", 2, M("a"), 1, table=CHAR)


def test_case_operations():
    up, down, fold = CHAR["string-upcase"], CHAR["string-downcase"], CHAR["string-foldcase"]
    assert text(up(M("Stra\u00dfe"))) == "STRASSE"
    assert text(down(M("HELLO World"))) == "hello world"
    assert text(down(M("\u03a7\u0391\u039f\u03a3"))) == "\u03c7\u03b1\u03bf\u03c2"   # final sigma
    assert text(fold(M("Stra\u00dfe"))) == "strasse"
    assert text(fold(M("\u03a3\u03c2"))) == "\u03c3\u03c3"
    s = M("abc")
    assert up(s) is not s and s.s == "abc"
    for name in ("string-upcase", "string-downcase", "string-foldcase"):
        wrong(name, 1, "abc", table=CHAR)
    assert "string-upcase" not in BASE


def test_string_map():
    up = CHAR["char-upcase"]
    assert text(b("string-map", up, M("abc"))) == "ABC"
    assert text(b("string-map", lambda a, c: c, M("abc"), M("xy"))) == "xy"
    assert text(b("string-map", lambda a, c, d: max(a, c, d), M("axc"), M("bbbb"), M("cac"))) == "cxc"
    assert text(b("string-map", up, M(""))) == ""
    c = cond(BASE["string-map"], lambda ch: 1, M("a"))
    assert c.kind == "wrong-type" and c.who == "string-map"
    c = cond(BASE["string-map"], lambda a, d: M("x"), M("a"), M("b"))
    assert c.kind == "wrong-type"
    wrong("string-map", 1, 5, M("a"))
    wrong("string-map", 2, up, "a")
    wrong("string-map", 3, up, M("a"), 7)


def test_string_for_each():
    seen = []
    assert b("string-for-each", seen.append, M("abc")) is UNSPECIFIED
    assert seen == ["a", "b", "c"]
    pairs = []
    b("string-for-each", lambda x, y: pairs.append(x + y), M("abc"), M("12"))
    assert pairs == ["a1", "b2"]
    wrong("string-for-each", 1, "f", M("a"))
    wrong("string-for-each", 3, seen.append, M("a"), None)


def test_string_for_each_deep_loop_is_python_loop():
    count = [0]

    def bump(c):
        count[0] += 1

    b("string-for-each", bump, M("x" * 100000))
    assert count[0] == 100000


@given(st.text(), st.data())
def test_substring_matches_python(t, data):
    i = data.draw(st.integers(0, len(t)))
    j = data.draw(st.integers(i, len(t)))
    assert text(b("substring", M(t), i, j)) == t[i:j]
    assert text(b("list->string", b("string->list", M(t), i, j))) == t[i:j]


@given(st.text(), st.text())
def test_comparisons_match_python(x, y):
    assert b("string<?", M(x), M(y)) is (x < y)
    assert b("string=?", M(x), M(y)) is (x == y)


# --- symbols and booleans (runtime/symbols.py) ----------------------------

import polysock.runtime.symbols  # noqa: E402,F401
from polysock.values.symbols import Symbol, gensym, intern  # noqa: E402


def test_symbol_predicates():
    assert b("symbol?", intern("foo")) is True
    assert b("symbol?", gensym()) is True
    assert b("symbol?", M("foo")) is False and b("symbol?", "f") is False
    assert b("symbol=?", intern("a"), intern("a"), intern("a")) is True
    assert b("symbol=?", intern("a"), intern("a"), intern("b")) is False
    assert b("symbol=?", intern("a")) is True
    g = gensym("a")
    assert b("symbol=?", g, g) is True and b("symbol=?", g, intern(g.name)) is False
    wrong("symbol=?", 2, intern("a"), M("a"))
    wrong("symbol=?", 3, intern("a"), intern("b"), "a")


def test_symbol_string_conversion():
    s = b("symbol->string", intern("hello"))
    assert text(s) == "hello"
    assert b("symbol->string", intern("hello")) is not s
    sym = b("string->symbol", M("with space"))
    assert sym.__class__ is Symbol and sym is intern("with space")
    assert b("string->symbol", M("")) is intern("")
    wrong("symbol->string", 1, M("x"))
    wrong("string->symbol", 1, intern("x"))
    wrong("string->symbol", 1, "x")


@given(st.text())
def test_symbol_round_trip(t):
    assert text(b("symbol->string", b("string->symbol", M(t)))) == t
    assert b("string->symbol", M(t)) is b("string->symbol", M(t))


def test_booleans():
    assert b("boolean?", True) is True and b("boolean?", False) is True
    assert b("boolean?", 0) is False and b("boolean?", NIL) is False
    assert b("boolean=?", True, True) is True and b("boolean=?", False, False, False) is True
    assert b("boolean=?", True, False) is False and b("boolean=?", False, False, True) is False
    wrong("boolean=?", 1, 1, True)
    wrong("boolean=?", 2, True, 1)
    wrong("boolean=?", 3, True, True, NIL)
