"""write / display / write-shared / write-simple and the PRINTERS hook table."""
from __future__ import annotations

import math

import pytest

from polysock.reader import printer
from polysock.reader.lexer import HashBangMarker
from polysock.reader.printer import (PRINTERS, display_string, format_number, write_char,
                                     write_shared_string, write_simple_string, write_string)
from polysock.values.conditions import make_condition
from polysock.values.misc import (DEFAULT, EOF, UNSPECIFIED, Environment, Keyword,
                                  MultipleValues, Promise, Record, RecordType)
from polysock.values.numbers import make_rational
from polysock.values.pairs import NIL, Pair, from_iter, cons
from polysock.values.strings import MString
from polysock.values.symbols import gensym, intern


@pytest.mark.parametrize("x,text", [
    (0, "0"), (-42, "-42"), (2 ** 70, "1180591620717411303424"),
    (1.0, "1.0"), (-0.5, "-0.5"), (-0.0, "-0.0"), (1e100, "1.0e+100"), (1e-7, "1.0e-07"),
    (1.5e300, "1.5e+300"), (123.456, "123.456"), (1e21, "1.0e+21"), (0.1, "0.1"),
    (math.inf, "+inf.0"), (-math.inf, "-inf.0"), (math.nan, "+nan.0"),
    (make_rational(1, 2), "1/2"), (make_rational(-7, 3), "-7/3"),
    (complex(1, 2), "1.0+2.0i"), (complex(1.5, -2), "1.5-2.0i"),
    (complex(0, math.inf), "0.0+inf.0i"), (complex(1, math.nan), "1.0+nan.0i"),
])
def test_format_number(x: object, text: str) -> None:
    assert format_number(x) == text
    assert write_string(x) == text


def test_format_number_radix() -> None:
    assert format_number(255, 16) == "ff"
    assert format_number(-5, 2) == "-101"
    assert format_number(8, 8) == "10"
    assert format_number(35, 36) == "z"
    assert format_number(make_rational(-3, 16), 16) == "-3/10"
    assert format_number(1.5, 16) == "1.5"      # inexact numbers stay decimal


def test_huge_integer_prints_all_digits() -> None:
    n = 10 ** 5000
    assert write_string(n) == "1" + "0" * 5000


@pytest.mark.parametrize("c,text", [
    ("a", "#\\a"), ("(", "#\\("), (" ", "#\\space"), ("\n", "#\\newline"),
    ("\t", "#\\tab"), ("\r", "#\\return"), ("\0", "#\\null"), ("\a", "#\\alarm"),
    ("\b", "#\\backspace"), ("\x7f", "#\\delete"), ("\x1b", "#\\escape"),
    ("\x01", "#\\x1"), ("\xa0", "#\\xa0"), ("λ", "#\\λ"), ("x", "#\\x"),
])
def test_write_char(c: str, text: str) -> None:
    assert write_char(c) == text
    assert write_string(c) == text
    assert display_string(c) == c


def test_strings() -> None:
    s = MString('a"b\\c\nd\te\x01fé|')
    assert write_string(s) == '"a\\"b\\\\c\\nd\\te\\x1;fé|"'
    assert display_string(s) == s.s
    assert write_string(MString("")) == '""'


@pytest.mark.parametrize("name,text", [
    ("abc", "abc"), ("ABC", "ABC"), ("+", "+"), ("...", "..."), ("->x", "->x"),
    ("a b", "|a b|"), ("", "||"), ("1", "|1|"), ("-1.5", "|-1.5|"), ("+i", "|+i|"),
    (".", "|.|"), ("#foo", "|#foo|"), ("a|b", "|a\\|b|"), ("a(b", "|a(b|"),
    ("a;b", "|a;b|"), ('a"b', '|a"b|'), ("'a", "|'a|"), ("a\nb", "|a\\nb|"),
    ("1+", "1+"), ("a#b", "a#b"), ("λ", "λ"),
])
def test_symbols(name: str, text: str) -> None:
    assert write_string(intern(name)) == text
    assert display_string(intern(name)) == name


def test_uninterned_symbol_prints_its_name() -> None:
    g = gensym("tmp")
    assert write_string(g) == g.name


def test_lists_and_vectors() -> None:
    assert write_string(NIL) == "()"
    assert write_string(from_iter([1, 2, 3])) == "(1 2 3)"
    assert write_string(from_iter([1, 2], 3)) == "(1 2 . 3)"
    assert write_string(cons(1, cons(2, MString("x")))) == '(1 2 . "x")'
    assert write_string(from_iter([intern("quote"), intern("x")])) == "(quote x)"
    assert write_string([1, MString("a"), [2]]) == '#(1 "a" #(2))'
    assert write_string([]) == "#()"
    assert write_string(bytearray(b"\x00\x10\xff")) == "#u8(0 16 255)"
    assert write_string(bytearray()) == "#u8()"
    assert display_string(from_iter([MString("a"), "b", intern("c d")])) == "(a b c d)"


def test_special_objects() -> None:
    assert write_string(True) == "#t" and write_string(False) == "#f"
    assert write_string(UNSPECIFIED) == "#<unspecified>"
    assert write_string(EOF) == "#<eof>"
    assert write_string(DEFAULT) == "#!default"
    assert write_string(Keyword("port")) == "#:port"
    assert write_string(HashBangMarker("optional")) == "#!optional"
    assert write_string(MultipleValues((1, MString("x"), intern("y")))) == '1 "x" y'
    assert display_string(MultipleValues((1, MString("x")))) == "1 x"
    assert write_string(MultipleValues(())) == ""
    assert write_string(Promise(False, thunk=lambda: 1)) == "#<promise>"
    assert write_string(Environment(None)) == "#<environment>"


def test_records() -> None:
    point = RecordType("<point>", ["x", "y"])
    assert write_string(Record(point, [1, MString("a")])) == '#<point 1 "a">'
    assert write_string(point) == "#<record-type point>"
    assert write_string(Record(RecordType("plain", []), [])) == "#<plain>"


def test_procedures() -> None:
    def my_proc() -> None: ...
    assert write_string(my_proc) == "#<procedure my_proc>"
    named = lambda: 0  # noqa: E731
    named.scheme_name = "socket-send"  # type: ignore[attr-defined]
    assert write_string(named) == "#<procedure socket-send>"
    assert write_string(lambda: 0) == "#<procedure anonymous>"


def test_conditions() -> None:
    c = make_condition("socket", "connect", "connection refused", MString("127.0.0.1"), 7)
    assert write_string(c) == '#<condition socket connect: connection refused "127.0.0.1" 7>'
    assert write_string(make_condition("error", None, "boom")) == "#<condition error boom>"


def test_unknown_objects() -> None:
    class Gizmo:
        pass
    assert write_string(Gizmo()) == "#<Gizmo>"


def test_printers_hook_table() -> None:
    class Sock:
        def __init__(self, fd: int) -> None:
            self.fd = fd

    class SubSock(Sock):
        pass

    PRINTERS[Sock] = lambda s, write: f"#<socket {s.fd}{'' if write else '!'}>"
    try:
        assert write_string(Sock(3)) == "#<socket 3>"
        assert display_string(Sock(3)) == "#<socket 3!>"
        assert write_string(SubSock(4)) == "#<socket 4>"        # nearest base class
        assert write_string(from_iter([Sock(5)])) == "(#<socket 5>)"
    finally:
        del PRINTERS[Sock]


def test_cycles_write_and_display() -> None:
    p = from_iter([1, 2, 3])
    p.cdr.cdr.cdr = p
    assert write_string(p) == "#0=(1 2 3 . #0#)"
    assert display_string(p) == "#0=(1 2 3 . #0#)"
    v = [1, None]
    v[1] = v
    assert write_string(v) == "#0=#(1 #0#)"
    q = cons(None, NIL)
    q.car = q
    assert write_string(q) == "#0=(#0#)"


def test_cycle_in_cdr_of_inner_list_uses_dotted_label() -> None:
    inner = from_iter([intern("b"), intern("c")])
    inner.cdr.cdr = inner
    outer = cons(intern("a"), inner)
    assert write_string(outer) == "(a . #0=(b c . #0#))"


def test_shared_structure() -> None:
    shared = from_iter([1, 2])
    x = from_iter([shared, shared, [shared]])
    assert write_string(x) == "((1 2) (1 2) #((1 2)))"
    assert write_shared_string(x) == "(#0=(1 2) #0# #(#0#))"
    assert write_simple_string(x) == "((1 2) (1 2) #((1 2)))"
    tail = from_iter([3])
    y = from_iter([from_iter([1], tail), from_iter([2], tail)])
    assert write_shared_string(y) == "((1 . #0=(3)) (2 . #0#))"


def test_write_shared_numbers_labels_in_order_of_appearance() -> None:
    a, b = from_iter([1]), from_iter([2])
    x = from_iter([b, a, b, a])
    assert write_shared_string(x) == "(#0=(2) #1=(1) #0# #1#)"


def test_long_list_does_not_recurse() -> None:
    n = 300_000
    x = from_iter(range(n))
    text = write_string(x)
    assert text.startswith("(0 1 2 ") and text.endswith(f" {n - 1})")


def test_deep_car_nesting_does_not_recurse() -> None:
    depth = 100_000
    x: object = NIL
    for _ in range(depth):
        x = cons(x, NIL)
    text = write_string(x)
    assert text == "(" * depth + "()" + ")" * depth


def test_deep_vector_nesting() -> None:
    x: list = []
    for _ in range(50_000):
        x = [x]
    assert write_string(x) == "#(" * 50_000 + "#()" + ")" * 50_000


def test_module_exports() -> None:
    for name in printer.__all__:
        assert hasattr(printer, name)
