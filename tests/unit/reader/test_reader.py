"""Reader: datum types, locations, port reading, hooks, options and speed."""
from __future__ import annotations

import gc
import time

import pytest
from reader_testutil import FakePort, equal

from polysock.reader.lexer import HashBangMarker
from polysock.reader.parser import (SKIP, Reader, ReaderOptions, default_hash_bang, read_all,
                                    read_one)
from polysock.reader.printer import write_string
from polysock.values.conditions import SchemeError, SourceLocation
from polysock.values.misc import DEFAULT, EOF, UNSPECIFIED, Keyword
from polysock.values.pairs import NIL, Pair, SrcPair
from polysock.values.strings import MString
from tests.fakes.helpers import cyclic_garbage_kinds
from polysock.values.symbols import Symbol, intern


def read1(text: str, **options: object) -> object:
    return Reader(text, options=ReaderOptions(**options)).read()  # type: ignore[arg-type]


def read_error(text: str, **options: object) -> SchemeError:
    with pytest.raises(SchemeError) as info:
        Reader(text, "f.scm", ReaderOptions(**options)).read_all()  # type: ignore[arg-type]
    assert info.value.payload.kind == "read"
    return info.value


# ------------------------------------------------------------ representation

def test_datum_types() -> None:
    lst, s, c, sym, vec, bv, t, n = read_all('(a) "s" #\\c sym #(1) #u8(1) #t 5')
    assert type(lst) is SrcPair and lst.cdr is NIL
    assert type(s) is MString and s.s == "s"
    assert c == "c" and type(c) is str
    assert sym is intern("sym") and type(sym) is Symbol
    assert type(vec) is list and vec == [1]
    assert type(bv) is bytearray and bv == bytearray([1])
    assert t is True and n == 5


def test_every_list_pair_is_a_srcpair() -> None:
    x = read1("(a (b . c) #((d)) 'e)")
    todo = [x]
    count = 0
    while todo:
        p = todo.pop()
        if isinstance(p, Pair):
            assert type(p) is SrcPair and isinstance(p.loc, SourceLocation)
            count += 1
            todo += [p.car, p.cdr]
        elif isinstance(p, list):
            todo += p
    assert count == 8


def test_strings_are_fresh_objects() -> None:
    a, b = read_all('"x" "x"')
    assert a is not b


def test_empty_input_and_whitespace() -> None:
    assert read1("") is EOF
    assert read1("   \n ; comment only\n #| block |# #;(x)") is EOF
    r = Reader("a")
    assert r.read() is intern("a") and r.read() is EOF and r.read() is EOF


def test_eof_object_read_by_hash_bang_does_not_stop_read_all() -> None:
    assert read_all("a #!eof b") == [intern("a"), EOF, intern("b")]


def test_locations_have_file_name() -> None:
    x = Reader("\n  (a)", "prog.scm").read()
    assert str(x.loc) == "prog.scm:2:3"


def test_list_pairs_share_one_location() -> None:
    x = read1("(a b c)")
    assert x.loc is x.cdr.loc is x.cdr.cdr.loc


def test_crlf_and_cr_counting() -> None:
    a, b = read_all("(a)\r\n(b)")
    assert (b.loc.line, b.loc.col) == (2, 1)


def test_location_after_long_input() -> None:
    text = "x\n" * 10000 + "  (y)"
    d = read_all(text)[-1]
    assert (d.loc.line, d.loc.col) == (10001, 3)


# ------------------------------------------------------------ errors

def test_error_is_a_read_condition_with_location() -> None:
    e = read_error("(a\n  (b")
    cond = e.payload
    assert cond.who == "read"
    assert cond.message.startswith("f.scm:2:5: ")
    assert cond.loc.file == "f.scm" and (cond.loc.line, cond.loc.col) == (2, 5)
    assert cond.data == {"file": "f.scm", "line": 2, "col": 5}


def test_no_python_exception_escapes_for_garbage() -> None:
    bad = ["#", "#\\", "(", ")", "#(", "#u8", "#u8(", '"\\', "|\\", "#|", "#0", "#0=",
           "'", ",@", "#;", "#!", "#e", "#x1.0", "#\\xZZ", '"\\x110000;"', "(. 1)", "#:a"]
    for text in bad:
        with pytest.raises(SchemeError):
            Reader(text).read_all()


def test_errors_do_not_disable_gc() -> None:
    assert gc.isenabled()
    with pytest.raises(SchemeError):
        read_all("(")
    assert gc.isenabled()
    read_all("(a)")
    assert gc.isenabled()


# ------------------------------------------------------------ nesting and size

def test_deep_nesting_does_not_recurse() -> None:
    depth = 200_000
    x = read1("(" * depth + "x" + ")" * depth)
    for _ in range(depth):
        x = x.car
    assert x is intern("x")


def test_deep_quotes() -> None:
    x = read1("'" * 50_000 + "x")
    for _ in range(50_000):
        assert x.car is intern("quote")
        x = x.cdr.car
    assert x is intern("x")


def test_long_list() -> None:
    n = 200_000
    x = read1("(" + " ".join(map(str, range(n))) + ")")
    i = 0
    while x is not NIL:
        assert x.car == i
        x, i = x.cdr, i + 1
    assert i == n


def test_one_megabyte_reads_quickly() -> None:
    unit = ('(define (fib n) ; comment\n  (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n'
            '(display "hello, world\\n") \'(1 2.5 #\\a #(x y z) "str") `(a ,b ,@c)\n')
    text = unit * (1_000_000 // len(unit))
    datums = read_all(text)   # its speed is measured by bench/, never asserted in a unit test
    assert len(datums) == 4 * (1_000_000 // len(unit))


# ------------------------------------------------------------ read_one / position

def test_read_one() -> None:
    text = "(a b) c  \"d\""
    d, pos = read_one(text)
    assert write_string(d) == "(a b)" and pos == 5
    d, pos = read_one(text, pos)
    assert d is intern("c") and pos == 7
    d, pos = read_one(text, pos)
    assert d.s == "d" and pos == len(text)
    d, pos = read_one(text, pos)
    assert d is EOF


def test_reader_position() -> None:
    r = Reader("abc (d) ")
    r.read()
    assert r.position == 3
    r.read()
    assert r.position == 7


# ------------------------------------------------------------ ports

PORT_TEXT = ('(a b . c)  abc x #(1 2 "x\\"y") #u8(1 2) ,@q ,z #\\space #\\( #\\x41 |a b| '
             '#t #true 12.5 #x1F ; comment\n#| nested #| x |# |# foo "multi\nline" '
             '#0=(a . #0#) #;(skip me) "esc\\x41;\\\n   cont" 42')


def test_port_reads_same_datums_as_text() -> None:
    from_text = [write_string(d) for d in read_all(PORT_TEXT)]
    r = Reader.from_port(FakePort(PORT_TEXT))
    from_port = []
    while (d := r.read()) is not EOF:
        from_port.append(write_string(d))
    assert from_port == from_text


@pytest.mark.parametrize("text,datum,rest", [
    ("abc def", "abc", " def"),
    ("abc)", "abc", ")"),
    ("(a b)\nnext", "(a b)", "\nnext"),
    ('"str"x', '"str"', "x"),
    ("#\\a b", "#\\a", " b"),
    ("#\\space)", "#\\space", ")"),
    ("#\\()", "#\\(", ")"),
    ("12 ", "12", " "),
    ("#t\n", "#t", "\n"),
    ("'x y", "(quote x)", " y"),
    (",@x y", "(unquote-splicing x)", " y"),
    ("#u8(1 2) z", "#u8(1 2)", " z"),
    ("; c\n  x;y", "x", ";y"),
    ("#| c |#x y", "x", " y"),
    ("#;a b c", "b", " c"),
    ("|a b|c", "|a b|", "c"),
    ("#0=(a . #0#) r", "#0=(a . #0#)", " r"),
    ("#x10(", "16", "("),
])
def test_port_read_stops_right_after_the_datum(text: str, datum: str, rest: str) -> None:
    port = FakePort(text)
    d = Reader.from_port(port).read()
    assert write_string(d) == datum
    assert port.rest() == rest


def test_port_reader_keeps_fold_case_and_lines_across_reads() -> None:
    port = FakePort("#!fold-case\nABC\n  (X)")
    r = Reader.from_port(port, "sock")
    assert r.read() is intern("abc")
    x = r.read()
    assert write_string(x) == "(x)" and str(x.loc) == "sock:3:3"


def test_port_errors() -> None:
    for text in ("(a", '"abc', "#| x", "#\\"):
        with pytest.raises(SchemeError):
            Reader.from_port(FakePort(text)).read()


def test_port_with_empty_string_at_end() -> None:
    class StrPort(FakePort):
        def peek_char(self) -> str:
            return self.text[self.i] if self.i < len(self.text) else ""

        def read_char(self) -> str:
            c = self.peek_char()
            self.i += bool(c)
            return c
    r = Reader.from_port(StrPort("(a) b"))
    assert write_string(r.read()) == "(a)"
    assert r.read() is intern("b")
    assert r.read() is EOF


def test_port_long_tokens_are_linear() -> None:
    text = '"' + "x" * 200_000 + '" ' + "y" * 100_000 + " (" + " z" * 50_000 + ")"
    r = Reader.from_port(FakePort(text))
    start = time.perf_counter()
    assert len(r.read().s) == 200_000
    assert len(r.read().name) == 100_000
    r.read()
    assert time.perf_counter() - start < 10


# ------------------------------------------------------------ dialect hooks

def test_hash_bang_defaults() -> None:
    assert read_all("#!eof #!default #!unspecific #!optional #!rest #!key") == [
        EOF, DEFAULT, UNSPECIFIED, HashBangMarker("optional"), HashBangMarker("rest"),
        HashBangMarker("key")]
    assert HashBangMarker("optional") is HashBangMarker("optional")


def test_hash_bang_hook() -> None:
    def hook(reader: Reader, name: str) -> object:
        if name == "void":
            return intern("the-void")
        if name == "comment":
            return SKIP
        return default_hash_bang(reader, name)
    opts = ReaderOptions(hash_bang=hook)
    assert Reader("(#!void #!comment #!eof)", options=opts).read_all()[0].car is intern("the-void")
    assert write_string(Reader("(#!comment 1 #!default)", options=opts).read()) == "(1 #!default)"
    with pytest.raises(SchemeError) as info:
        Reader(" #!nope", options=opts).read()
    assert info.value.payload.loc.col == 2


def _blob(reader: Reader) -> object:
    if reader.read_char() != "{":
        raise reader.error("expected { after #$", at_token=True)
    digits = []
    while (c := reader.read_char()) != "}":
        if not c:
            raise reader.error("end of input in blob")
        digits.append(c)
    return bytes.fromhex("".join(digits))


def test_hash_dispatch_hook_blob() -> None:
    opts = ReaderOptions(hash_dispatch={"$": _blob})
    assert Reader("(#${0a0B} x)", options=opts).read().car == b"\n\x0b"
    with pytest.raises(SchemeError) as info:
        Reader("  #$x", options=opts).read()
    assert info.value.payload.loc.col == 3


def test_hash_dispatch_hook_on_port() -> None:
    port = FakePort("#${ff00} rest")
    r = Reader.from_port(port, options=ReaderOptions(hash_dispatch={"$": _blob}))
    assert r.read() == b"\xff\x00"
    assert port.rest() == " rest"


def test_hash_dispatch_multi_char_key_and_nested_datum() -> None:
    def vu8(reader: Reader) -> object:
        items = reader.read_datum()
        return bytearray(list(items)) if items is not NIL else bytearray()
    opts = ReaderOptions(hash_dispatch={"vu8": vu8})
    assert Reader("#vu8(1 2 3) #(4)", options=opts).read_all() == [bytearray([1, 2, 3]), [4]]


def test_hash_dispatch_skip() -> None:
    opts = ReaderOptions(hash_dispatch={"@": lambda r: (r.read_char(), SKIP)[1]})
    assert write_string(Reader("(a #@x b)", options=opts).read()) == "(a b)"


def test_hook_peek_and_location() -> None:
    seen = {}

    def hook(reader: Reader) -> object:
        seen["peek"] = reader.peek_char()
        seen["loc"] = str(reader.location())
        return reader.read_char()
    r = Reader("\n #%q", "h", ReaderOptions(hash_dispatch={"%": hook}))
    assert r.read() == "q"
    assert seen == {"peek": "q", "loc": "h:2:4"}


def test_keywords_are_interned() -> None:
    a, b = Reader("#:x #:x", options=ReaderOptions(keywords="prefix")).read_all()
    assert a is b is Keyword("x")


def test_options_validation() -> None:
    with pytest.raises(ValueError):
        ReaderOptions(keywords="sideways")


def test_fold_case_does_not_touch_strings_or_bar_symbols() -> None:
    d = read1('(ABC "ABC" |ABC| #\\A)', fold_case=True)
    assert write_string(d) == '(abc "ABC" ABC #\\A)'


def test_atom_cache_respects_fold_case_changes() -> None:
    assert write_string(read1("(X #!fold-case X #!no-fold-case X)")) == "(X x X)"


def test_labels_patch_vectors_and_quotes() -> None:
    d = read1("#0=#(a '#0# (b . #0#))")
    assert d[1].cdr.car is d
    assert d[2].cdr is d


def test_equal_helper_sanity() -> None:
    assert equal(read1("(1 #(2 \"x\") 2.5)"), read1("(1 #(2 \"x\") 2.5)"))
    assert not equal(read1("(1 2)"), read1("(1 2.0)"))


def test_a_reader_is_freed_without_the_cycle_collector():
    # The lexer's handler tables are the class's functions, not bound methods on each
    # lexer: reading leaves nothing for the cycle collector.
    read_all('(a "b" #(1) #\\c #t #x1f) (x)', "t.scm")    # warm
    kinds = cyclic_garbage_kinds(lambda: read_all('(a "b" #(1) #\\c #t #x1f) (x)', "t.scm"))
    assert "Lexer" not in kinds and "method" not in kinds
