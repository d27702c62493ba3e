"""define-record-type run-time support through the registered wrappers."""
from __future__ import annotations

import pytest

import polysock.runtime.records  # noqa: F401  (registers the primitives)
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import UNSPECIFIED, Record, RecordType
from polysock.values.pairs import NIL, Pair, from_iter, cons
from polysock.values.strings import MString
from polysock.values.symbols import intern

I = LIBRARIES["(polysock internal)"]
X = LIBRARIES["(polysock extras)"]


def S(*names):
    return from_iter([intern(n) for n in names])


def cond_of(fn, *args):
    with pytest.raises(SchemeError) as ei:
        fn(*args)
    return ei.value.payload


@pytest.fixture
def point():
    rtd = I["%make-record-type"](intern("<point>"), S("x", "y", "tag"))
    return rtd


def test_make_record_type(point):
    assert isinstance(point, RecordType)
    assert point.name == "<point>"
    assert point.fields == ("x", "y", "tag")
    empty = I["%make-record-type"](MString("thing"), NIL)
    assert empty.fields == () and empty.name == "thing"
    assert cond_of(I["%make-record-type"], 5, NIL).kind == "wrong-type"
    assert cond_of(I["%make-record-type"], intern("a"), from_iter([1])).kind == "wrong-type"
    assert cond_of(I["%make-record-type"], intern("a"), cons(intern("x"), 2)).kind == "wrong-type"


def test_constructor_predicate_accessors(point):
    make = I["%record-constructor"](point, from_iter([1, 0]), intern("make-point"))
    p = make(10, 20)                      # y then x
    assert p.__class__ is Record and p.vals == [20, 10, False]
    assert make.__name__ == "make-point"
    is_point = I["%record-predicate"](point, intern("point?"))
    assert is_point(p) is True
    assert is_point(5) is False
    other = I["%make-record-type"](intern("<point>"), S("x", "y", "tag"))
    assert is_point(I["%record-constructor"](other, NIL)()) is False   # distinct type, same name
    get_x = I["%record-accessor"](point, 0, intern("point-x"))
    get_tag = I["%record-accessor"](point, 2)
    set_tag = I["%record-modifier"](point, 2, intern("set-point-tag!"))
    assert get_x(p) == 20
    assert get_tag(p) is False
    assert set_tag(p, "t") is UNSPECIFIED
    assert get_tag(p) == "t"
    assert get_tag.__name__ == "point-tag"


def test_field_names_accepted(point):
    make = I["%record-constructor"](point, S("tag"))
    assert make("t").vals == [False, False, "t"]
    get_y = I["%record-accessor"](point, intern("y"))
    assert get_y(make(1)) is False


def test_constructor_arity(point):
    make = I["%record-constructor"](point, from_iter([0, 1]), intern("make-point"))
    with pytest.raises(TypeError, match="make-point"):
        make(1)


def test_accessor_type_errors(point):
    get_x = I["%record-accessor"](point, 0, intern("point-x"))
    c = cond_of(get_x, 5)
    assert c.kind == "wrong-type"
    assert c.who == "point-x"
    assert c.message == "argument 1: expected point, got"
    assert c.irritants == (5,)
    other = I["%make-record-type"](intern("other"), S("x"))
    o = I["%record-constructor"](other, from_iter([0]))(1)
    assert cond_of(get_x, o).who == "point-x"
    set_x = I["%record-modifier"](point, 0, intern("set-point-x!"))
    assert cond_of(set_x, o, 1).who == "set-point-x!"
    assert o.vals == [1]
    default_named = I["%record-modifier"](point, 1)
    assert cond_of(default_named, 1, 2).who == "set-point-y!"


def test_bad_indices(point):
    assert cond_of(I["%record-accessor"], point, 3).kind == "range"
    assert cond_of(I["%record-accessor"], point, intern("zz")).kind == "wrong-type"
    assert cond_of(I["%record-constructor"], point, from_iter([0, 0])).kind == "wrong-type"
    assert cond_of(I["%record-constructor"], point, from_iter([7])).kind == "range"
    assert cond_of(I["%record-accessor"], 5, 0).message == "argument 1: expected record type, got"


def test_record_p(point):
    r = I["%record-constructor"](point, NIL)()
    assert X["record?"](r) is True
    assert X["record?"](point) is False
    assert X["record?"]([1]) is False


def test_printing(point):
    from polysock.reader import printer
    r = I["%record-constructor"](point, from_iter([0, 1]))(1, MString("a"))
    assert printer.write_string(r) == '#<point 1 "a" #f>'
