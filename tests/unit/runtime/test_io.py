"""The Scheme I/O primitives, called through their registered (checking) wrappers."""
from __future__ import annotations

from typing import Any

import pytest

from polysock.runtime import io  # noqa: F401  (registers the primitives)
from polysock.runtime import ports as P
from polysock.runtime.dynamic import parameterize
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import EOF
from polysock.values.pairs import NIL, Pair, cons
from polysock.values.strings import MString
from polysock.values.symbols import intern

BASE = LIBRARIES["(scheme base)"]
WRITE = LIBRARIES["(scheme write)"]
FILE = LIBRARIES["(scheme file)"]
READ = LIBRARIES["(scheme read)"]
EXTRAS = LIBRARIES["(polysock extras)"]


def s(x: str) -> MString:
    return MString(x)


def condition(fn: Any, *args: Any) -> Any:
    with pytest.raises(SchemeError) as e:
        fn(*args)
    return e.value.payload


def test_predicates() -> None:
    i = BASE["open-input-string"](s("x"))
    o = BASE["open-output-string"]()
    b = BASE["open-input-bytevector"](bytearray(b"\x01"))
    assert BASE["port?"](i) and not BASE["port?"](42)
    assert BASE["input-port?"](i) and not BASE["input-port?"](o)
    assert BASE["output-port?"](o) and not BASE["output-port?"](i)
    assert BASE["textual-port?"](i) and not BASE["textual-port?"](b)
    assert BASE["binary-port?"](b) and not BASE["binary-port?"](o)
    assert BASE["input-port-open?"](i)
    BASE["close-port"](i)
    assert not BASE["input-port-open?"](i)
    assert BASE["output-port-open?"](o)
    BASE["close-output-port"](o)
    assert not BASE["output-port-open?"](o)


def test_string_port_round_trip() -> None:
    o = BASE["open-output-string"]()
    BASE["write-string"](s("hello, world"), o, 7)
    BASE["write-char"]("!", o)
    BASE["newline"](o)
    BASE["write-string"](s("abcdef"), o, 1, 3)
    out = BASE["get-output-string"](o)
    assert isinstance(out, MString) and out.s == "world!\nbc"
    i = BASE["open-input-string"](out)
    assert BASE["read-line"](i).s == "world!"
    assert BASE["peek-char"](i) == "b"
    assert BASE["read-char"](i) == "b"
    assert BASE["char-ready?"](i)
    assert BASE["read-string"](5, i).s == "c"
    assert BASE["read-string"](5, i) is EOF
    assert BASE["read-char"](i) is EOF
    assert BASE["read-line"](i) is EOF


def test_bytevector_ports() -> None:
    o = BASE["open-output-bytevector"]()
    BASE["write-u8"](1, o)
    BASE["write-bytevector"](bytearray(b"abcde"), o, 1, 4)
    BASE["write-bytevector"](bytearray(b"Z"), o)
    v = BASE["get-output-bytevector"](o)
    assert v == bytearray(b"\x01bcdZ")
    i = BASE["open-input-bytevector"](v)
    assert BASE["peek-u8"](i) == 1
    assert BASE["read-u8"](i) == 1
    assert BASE["u8-ready?"](i)
    assert BASE["read-bytevector"](2, i) == bytearray(b"bc")
    buf = bytearray(6)
    assert BASE["read-bytevector!"](buf, i, 1) == 2
    assert buf == bytearray(b"\x00dZ\x00\x00\x00")
    assert BASE["read-bytevector!"](buf, i) is EOF
    assert BASE["read-bytevector"](3, i) is EOF
    assert BASE["read-bytevector"](0, i) == bytearray()
    assert BASE["read-u8"](i) is EOF


def test_wrong_type_errors() -> None:
    o = BASE["open-output-string"]()
    c = condition(BASE["read-char"], o)
    assert c.kind == "wrong-type" and c.who == "read-char" and c.data["position"] == 1
    b = BASE["open-input-bytevector"](bytearray())
    assert condition(BASE["read-char"], b).kind == "wrong-type"
    assert condition(BASE["read-u8"], BASE["open-input-string"](s(""))).kind == "wrong-type"
    assert condition(BASE["write-char"], "x", BASE["open-input-string"](s(""))).kind == "wrong-type"
    assert condition(BASE["get-output-string"], BASE["open-input-string"](s(""))).kind == "wrong-type"
    assert condition(BASE["read-string"], -1).kind == "wrong-type"
    assert condition(BASE["write-u8"], 256, BASE["open-output-bytevector"]()).kind == "wrong-type"


def test_range_errors() -> None:
    o = BASE["open-output-string"]()
    assert condition(BASE["write-string"], s("abc"), o, 2, 1).kind == "range"
    assert condition(BASE["write-string"], s("abc"), o, 0, 4).kind == "range"
    i = BASE["open-input-bytevector"](bytearray(b"xy"))
    assert condition(BASE["read-bytevector!"], bytearray(2), i, 0, 3).kind == "range"


def test_closed_port_condition() -> None:
    i = BASE["open-input-string"](s("abc"))
    BASE["close-input-port"](i)
    c = condition(BASE["read-char"], i)
    assert c.kind == "port-closed" and c.is_a("i/o")
    o = BASE["open-output-string"]()
    BASE["close-port"](o)
    assert condition(BASE["write-string"], s("x"), o).kind == "port-closed"


def test_current_ports_and_parameterize() -> None:
    cop = BASE["current-output-port"]
    assert cop() is P.STDOUT
    o = BASE["open-output-string"]()

    def body() -> Any:
        WRITE["display"](s("in"))
        BASE["write-char"]("!")
        BASE["newline"]()
        WRITE["write"](s("q"))
        return 1

    assert parameterize({cop: o}, body) == 1
    assert BASE["get-output-string"](o).s == 'in!\n"q"'
    i = BASE["open-input-string"](s("line1\nrest"))
    assert parameterize({BASE["current-input-port"]: i}, lambda: BASE["read-line"]()).s == "line1"
    # a binary port as current output: write-char complains about the port
    bo = BASE["open-output-bytevector"]()
    c = parameterize({cop: bo}, lambda: condition(BASE["write-char"], "x"))
    assert c.kind == "wrong-type"


def test_write_and_display() -> None:
    o = BASE["open-output-string"]()
    lst = cons(s("a b"), cons("c", cons(intern("sym"), cons(1, NIL))))
    WRITE["write"](lst, o)
    BASE["write-char"](" ", o)
    WRITE["display"](lst, o)
    BASE["write-char"](" ", o)
    WRITE["display"]("x", o)
    BASE["write-char"](" ", o)
    WRITE["write-simple"](s("q"), o)
    WRITE["write-shared"](s("r"), o)
    assert BASE["get-output-string"](o).s == '("a b" #\\c sym 1) (a b c sym 1) x "q""r"'


def test_write_a_port() -> None:
    o = BASE["open-output-string"]()
    WRITE["write"](BASE["open-input-string"](s("")), o)
    assert BASE["get-output-string"](o).s.startswith("#<textual-input-port")


def test_call_with_port_closes() -> None:
    i = BASE["open-input-string"](s("abc"))
    assert BASE["call-with-port"](i, lambda p: BASE["read-char"](p)) == "a"
    assert not BASE["input-port-open?"](i)


def test_eof_object() -> None:
    assert BASE["eof-object"]() is EOF
    assert BASE["eof-object?"](EOF) and not BASE["eof-object?"](False)


def test_flush_names() -> None:
    o = BASE["open-output-string"]()
    BASE["flush-output-port"](o)
    EXTRAS["flush-output"](o)
    EXTRAS["force-output"](o)
    EXTRAS["write-line"](s("line"), o)
    assert BASE["get-output-string"](o).s == "line\n"
    assert EXTRAS["read-line"](BASE["open-input-string"](s("a\r\nb"))).s == "a"


def test_string_conveniences() -> None:
    r = EXTRAS["with-output-to-string"](lambda: WRITE["display"](s("hi")))
    assert r.s == "hi"
    r = EXTRAS["call-with-output-string"](lambda p: BASE["write-string"](s("yo"), p))
    assert r.s == "yo"
    assert EXTRAS["with-input-from-string"](s("z"), lambda: BASE["read-char"]()) == "z"


def test_read() -> None:
    i = BASE["open-input-string"](s("(a . 1) #(x) \"s\" ; comment\n foo"))
    d = READ["read"](i)
    assert isinstance(d, Pair) and d.car is intern("a") and d.cdr == 1
    assert READ["read"](i) == [intern("x")]
    assert READ["read"](i).s == "s"
    assert READ["read"](i) is intern("foo")
    assert READ["read"](i) is EOF


def test_read_leaves_rest_for_read_char() -> None:
    i = BASE["open-input-string"](s("abc def"))
    assert READ["read"](i) is intern("abc")
    assert BASE["read-char"](i) == " "
    assert BASE["read-line"](i).s == "def"


def test_read_error_is_read_condition() -> None:
    i = BASE["open-input-string"](s("(a b"))
    c = condition(READ["read"], i)
    assert c.kind == "read"


# ---------------------------------------------------------------- files

def test_file_round_trip(tmp_path) -> None:
    name = s(str(tmp_path / "t.txt"))
    o = FILE["open-output-file"](name)
    WRITE["display"](s("héllo\n"), o)
    WRITE["write"](cons(1, cons(2, NIL)), o)
    BASE["close-port"](o)
    assert FILE["file-exists?"](name)
    i = FILE["open-input-file"](name)
    assert BASE["read-line"](i).s == "héllo"
    d = READ["read"](i)
    assert d.car == 1 and d.cdr.car == 2
    BASE["close-port"](i)
    FILE["delete-file"](name)
    assert not FILE["file-exists?"](name)


def test_binary_files(tmp_path) -> None:
    name = s(str(tmp_path / "b.bin"))
    o = FILE["open-binary-output-file"](name)
    BASE["write-bytevector"](bytearray(range(256)), o)
    BASE["close-port"](o)
    i = FILE["open-binary-input-file"](name)
    assert BASE["read-bytevector"](1000, i) == bytearray(range(256))
    BASE["close-port"](i)


def test_call_with_and_with_files(tmp_path) -> None:
    name = s(str(tmp_path / "c.txt"))
    FILE["call-with-output-file"](name, lambda p: BASE["write-string"](s("one\ntwo\n"), p))
    assert FILE["call-with-input-file"](name, lambda p: BASE["read-line"](p)).s == "one"
    FILE["with-output-to-file"](name, lambda: WRITE["display"](s("three")))
    assert FILE["with-input-from-file"](name, lambda: BASE["read-line"]()).s == "three"


def test_file_errors(tmp_path) -> None:
    missing = s(str(tmp_path / "nope" / "x"))
    for who in ("open-input-file", "open-output-file", "open-binary-input-file"):
        c = condition(FILE[who], missing)
        assert c.kind == "file" and c.who == who and c.data["filename"] == missing.s
        assert c.is_a("i/o") and c.is_a("error")
    c = condition(FILE["delete-file"], missing)
    assert c.kind == "file" and c.data["filename"] == missing.s
