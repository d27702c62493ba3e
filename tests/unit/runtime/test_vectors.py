"""Vector primitives through the registered wrappers."""
from __future__ import annotations

import pytest

import polysock.runtime.vectors  # noqa: F401  (registers the primitives)
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import UNSPECIFIED
from polysock.values.pairs import NIL, Pair, from_iter, to_list, cons

BASE = LIBRARIES["(scheme base)"]
X = LIBRARIES["(polysock extras)"]


def cond_of(fn, *args):
    with pytest.raises(SchemeError) as ei:
        fn(*args)
    return ei.value.payload


def test_predicate_and_constructors():
    assert BASE["vector?"]([1]) is True
    assert BASE["vector?"](from_iter([1])) is False
    assert BASE["vector?"](bytearray(2)) is False
    assert BASE["make-vector"](3, 0) == [0, 0, 0]
    assert len(BASE["make-vector"](2)) == 2
    assert BASE["make-vector"](0) == []
    assert BASE["vector"](1, 2) == [1, 2]
    assert BASE["vector"]() == []
    assert cond_of(BASE["make-vector"], -1).kind == "wrong-type"


def test_ref_set_length():
    v = [1, 2, 3]
    assert BASE["vector-length"](v) == 3
    assert BASE["vector-ref"](v, 2) == 3
    assert BASE["vector-set!"](v, 0, "x") is UNSPECIFIED
    assert v[0] == "x"
    c = cond_of(BASE["vector-ref"], v, 3)
    assert c.kind == "range" and c.who == "vector-ref" and c.irritants == (3,)
    assert cond_of(BASE["vector-set!"], v, 5, 0).kind == "range"
    c = cond_of(BASE["vector-ref"], v, -1)
    assert c.kind == "wrong-type" and c.data["position"] == 2
    c = cond_of(BASE["vector-ref"], from_iter([1]), 0)
    assert c.message == "argument 1: expected vector, got"
    assert cond_of(BASE["vector-length"], "a").who == "vector-length"


def test_list_conversions():
    v = [1, 2, 3, 4]
    assert to_list(BASE["vector->list"](v)) == [1, 2, 3, 4]
    assert to_list(BASE["vector->list"](v, 1)) == [2, 3, 4]
    assert to_list(BASE["vector->list"](v, 1, 3)) == [2, 3]
    assert BASE["vector->list"](v, 4) is NIL
    assert cond_of(BASE["vector->list"], v, 3, 2).kind == "range"
    assert cond_of(BASE["vector->list"], v, 0, 5).data["position"] == 3
    assert BASE["list->vector"](from_iter([1, 2])) == [1, 2]
    assert BASE["list->vector"](NIL) == []
    assert cond_of(BASE["list->vector"], cons(1, 2)).who == "list->vector"


def test_fill_copy_append():
    v = [1, 2, 3, 4]
    BASE["vector-fill!"](v, 0, 2)
    assert v == [1, 2, 0, 0]
    BASE["vector-fill!"](v, 9)
    assert v == [9] * 4
    BASE["vector-fill!"](v, 7, 1, 2)
    assert v == [9, 7, 9, 9]
    c = BASE["vector-copy"](v)
    assert c == v and c is not v
    assert BASE["vector-copy"](v, 1, 3) == [7, 9]
    assert cond_of(BASE["vector-copy"], v, 5).kind == "range"
    assert BASE["vector-append"]([1], [], [2, 3]) == [1, 2, 3]
    assert BASE["vector-append"]() == []
    assert cond_of(BASE["vector-append"], [1], 2).data["position"] == 2


def test_vector_copy_bang():
    to = [0, 0, 0, 0, 0]
    BASE["vector-copy!"](to, 1, [1, 2, 3], 1)
    assert to == [0, 2, 3, 0, 0]
    v = [1, 2, 3, 4, 5]
    BASE["vector-copy!"](v, 1, v, 0, 3)      # overlapping, forward
    assert v == [1, 1, 2, 3, 5]
    v = [1, 2, 3, 4, 5]
    BASE["vector-copy!"](v, 0, v, 2)          # overlapping, backward
    assert v == [3, 4, 5, 4, 5]
    c = cond_of(BASE["vector-copy!"], [0, 0], 1, [1, 2])
    assert c.kind == "range" and c.who == "vector-copy!"
    assert cond_of(BASE["vector-copy!"], [0], 0, [1, 2], 2, 1).kind == "range"


def test_map_for_each():
    assert BASE["vector-map"](lambda x: x * 2, [1, 2]) == [2, 4]
    assert BASE["vector-map"](lambda a, b: a + b, [1, 2, 3], [10, 20]) == [11, 22]
    seen = []
    BASE["vector-for-each"](seen.append, [1, 2])
    BASE["vector-for-each"](lambda a, b: seen.append(a * b), [1, 2], [3, 4, 5])
    assert seen == [1, 2, 3, 8]
    assert cond_of(BASE["vector-map"], lambda x: x, from_iter([1])).kind == "wrong-type"
    # mutation by the procedure does not disturb the iteration
    v = [1, 2, 3]
    assert BASE["vector-map"](lambda x: v.clear() or x, v) == [1, 2, 3]


def test_mit_extras():
    v = [0, 1, 2, 3]
    assert X["subvector"](v, 1, 3) == [1, 2]
    assert cond_of(X["subvector"], v, 3, 5).kind == "range"
    assert X["vector-head"](v, 2) == [0, 1]
    assert X["vector-tail"](v, 3) == [3]
    assert cond_of(X["vector-tail"], v, 5).kind == "range"
    g = X["vector-grow"](v, 6)
    assert len(g) == 6 and g[:4] == v and g is not v
    assert cond_of(X["vector-grow"], v, 2).kind == "range"


def test_binary_search():
    table = [cons(1, "i"), cons(2, "ii"), cons(3, "iii"), cons(6, "vi")]
    lt = lambda a, b: a < b  # noqa: E731
    car = lambda p: p.car  # noqa: E731
    assert X["vector-binary-search"](table, lt, car, 2).cdr == "ii"
    assert X["vector-binary-search"](table, lt, car, 4) is False
    nums = [1, 3, 5, 7]
    cmp = lambda k, e: k - e  # noqa: E731
    assert X["vector-binary-search"](nums, 7, cmp) == 7
    assert X["vector-binary-search"](nums, 4, cmp) is False
    assert X["vector-binary-search"]([], 4, cmp) is False
    assert cond_of(X["vector-binary-search"], nums, 1, 2).kind == "wrong-type"
