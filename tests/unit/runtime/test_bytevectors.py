"""Bytevector primitives of (scheme base), through their wrappers."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

import polysock.runtime.bytevectors  # noqa: F401  (registers the primitives)
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import UNSPECIFIED
from polysock.values.strings import MString

BASE = LIBRARIES["(scheme base)"]
BV = bytearray


def b(name, *args):
    return BASE[name](*args)


def cond(fn, *args):
    with pytest.raises(SchemeError) as e:
        fn(*args)
    return e.value.payload


def wrong(name, pos, *args):
    c = cond(BASE[name], *args)
    assert c.kind == "wrong-type" and c.who == name and c.data["position"] == pos


def ranged(name, pos, *args):
    c = cond(BASE[name], *args)
    assert c.kind == "range" and c.who == name and c.data["position"] == pos


def test_predicate():
    assert b("bytevector?", BV()) is True
    assert b("bytevector?", b"abc") is False and b("bytevector?", [1, 2]) is False
    assert b("bytevector?", MString("")) is False


def test_constructors():
    assert b("make-bytevector", 3, 255) == BV([255] * 3)
    assert b("make-bytevector", 2) == BV(2)
    assert b("make-bytevector", 0, 1) == BV()
    assert b("bytevector", 1, 2, 3) == BV([1, 2, 3])
    assert b("bytevector") == BV()
    assert b("bytevector").__class__ is bytearray
    wrong("make-bytevector", 1, -1)
    wrong("make-bytevector", 2, 2, 256)
    wrong("make-bytevector", 2, 2, -1)
    wrong("bytevector", 2, 1, 256)
    wrong("bytevector", 3, 1, 2, 1.0)
    wrong("bytevector", 1, True)


def test_ref_set_length():
    v = BV([1, 2, 3])
    assert b("bytevector-length", v) == 3
    assert b("bytevector-u8-ref", v, 0) == 1 and b("bytevector-u8-ref", v, 2) == 3
    assert b("bytevector-u8-set!", v, 1, 200) is UNSPECIFIED
    assert v == BV([1, 200, 3])
    ranged("bytevector-u8-ref", 2, v, 3)
    ranged("bytevector-u8-set!", 2, v, 3, 0)
    ranged("bytevector-u8-ref", 2, BV(), 0)
    wrong("bytevector-u8-ref", 2, v, -1)
    wrong("bytevector-u8-ref", 1, b"abc", 0)
    wrong("bytevector-u8-set!", 3, v, 0, 256)
    wrong("bytevector-length", 1, [1])
    assert len(v) == 3


def test_copy():
    v = BV(b"hello")
    c = b("bytevector-copy", v)
    assert c == v and c is not v
    assert b("bytevector-copy", v, 2) == BV(b"llo")
    assert b("bytevector-copy", v, 1, 3) == BV(b"el")
    assert b("bytevector-copy", v, 5) == BV()
    ranged("bytevector-copy", 2, v, 6)
    ranged("bytevector-copy", 3, v, 2, 1)
    ranged("bytevector-copy", 3, v, 0, 6)


def test_copy_bang():
    to = BV(b"12345")
    assert b("bytevector-copy!", to, 1, BV(b"ab")) is UNSPECIFIED
    assert to == BV(b"1ab45")
    b("bytevector-copy!", to, 0, BV(b"xyz"), 1)
    assert to == BV(b"yzb45")
    b("bytevector-copy!", to, 3, BV(b"pqrs"), 1, 3)
    assert to == BV(b"yzbqr")
    s = BV(b"abcde")
    b("bytevector-copy!", s, 1, s, 0, 3)
    assert s == BV(b"aabce")
    ranged("bytevector-copy!", 2, to, 4, BV(b"ab"))
    ranged("bytevector-copy!", 2, to, 6, BV())
    ranged("bytevector-copy!", 4, to, 0, BV(b"ab"), 3)
    ranged("bytevector-copy!", 5, to, 0, BV(b"ab"), 1, 3)
    wrong("bytevector-copy!", 3, to, 0, b"ab")
    assert len(to) == 5              # a failed copy never grows the target


def test_append():
    a, c = BV(b"ab"), BV(b"c")
    r = b("bytevector-append", a, c, BV())
    assert r == BV(b"abc") and r.__class__ is bytearray
    assert b("bytevector-append") == BV()
    one = b("bytevector-append", a)
    assert one == a and one is not a
    wrong("bytevector-append", 2, a, b"c")
    wrong("bytevector-append", 3, a, a, "c")


def test_utf8():
    s = b("utf8->string", BV("\u03bbx".encode()))
    assert s.__class__ is MString and s.s == "\u03bbx"
    assert b("utf8->string", BV(b"hello"), 1, 3).s == "el"
    assert b("utf8->string", BV(b"hello"), 3).s == "lo"
    assert b("utf8->string", BV(b"\xffa")).s == "\ufffda"
    assert b("string->utf8", MString("\u03bb")) == BV(b"\xce\xbb")
    assert b("string->utf8", MString("abc"), 1) == BV(b"bc")
    assert b("string->utf8", MString("a\u03bbc"), 1, 2) == BV(b"\xce\xbb")
    assert b("string->utf8", MString("")).__class__ is bytearray
    ranged("utf8->string", 2, BV(b"ab"), 3)
    ranged("string->utf8", 3, MString("ab"), 0, 3)
    wrong("utf8->string", 1, MString("ab"))
    wrong("string->utf8", 1, BV(b"ab"))


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_utf8_round_trip(t):
    assert b("utf8->string", b("string->utf8", MString(t))).s == t


@given(st.binary(), st.data())
def test_copy_matches_slicing(data_bytes, data):
    v = BV(data_bytes)
    i = data.draw(st.integers(0, len(v)))
    j = data.draw(st.integers(i, len(v)))
    assert b("bytevector-copy", v, i, j) == v[i:j]
