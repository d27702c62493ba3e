"""eq?, eqv?, equal? through the registered wrappers, and the key functions."""
from __future__ import annotations

import math

import pytest

from polysock.runtime import equivalence as E
from polysock.runtime.registry import LIBRARIES
from polysock.values.misc import Record, RecordType
from polysock.values.numbers import make_rational
from polysock.values.pairs import NIL, Pair, SrcPair, from_iter, cons
from polysock.values.strings import MString
from polysock.values.symbols import gensym, intern

BASE = LIBRARIES["(scheme base)"]
eq_p, eqv_p, equal_p = BASE["eq?"], BASE["eqv?"], BASE["equal?"]


def L(*xs):
    return from_iter(xs)


def circular(*xs):
    lst = from_iter(xs)
    p = lst
    while p.cdr is not NIL:
        p = p.cdr
    p.cdr = lst
    return lst


class TestEq:
    def test_symbols_and_singletons(self):
        assert eq_p(intern("a"), intern("a")) is True
        assert eq_p(intern("a"), intern("b")) is False
        assert eq_p(NIL, NIL) is True
        assert eq_p(True, True) is True
        assert eq_p(False, True) is False

    def test_uninterned_symbols_by_identity(self):
        g = gensym()
        assert eq_p(g, g) is True
        assert eq_p(gensym("x"), gensym("x")) is False

    def test_fixnums_and_chars_by_value(self):
        assert eq_p(100, 100) is True
        assert eq_p(int("123456789"), int("123456789")) is True
        assert eq_p("a", "a") is True
        assert eq_p(1, 2) is False

    def test_bignums_by_identity(self):
        a = 2 ** 70
        b = int(str(2 ** 70))
        assert eq_p(a, a) is True
        assert eq_p(a, b) is False

    def test_bool_is_not_an_integer(self):
        assert eq_p(True, 1) is False
        assert eq_p(1, True) is False
        assert eq_p(0, False) is False

    def test_strings_and_pairs_by_identity(self):
        s = MString("")
        assert eq_p(s, s) is True
        assert eq_p(MString(""), MString("")) is False
        p = L(1)
        assert eq_p(p, p) is True
        assert eq_p(L(1), L(1)) is False
        assert eq_p([], []) is False

    def test_arity(self):
        with pytest.raises(TypeError):
            eq_p(1)


class TestEqv:
    def test_numbers_same_exactness(self):
        assert eqv_p(2, 2) is True
        assert eqv_p(2, 2.0) is False
        assert eqv_p(2 ** 80, 2 ** 80 + 0) is True
        assert eqv_p(make_rational(1, 2), make_rational(2, 4)) is True
        assert eqv_p(make_rational(1, 2), 0.5) is False

    def test_floats(self):
        assert eqv_p(1.5, 1.5) is True
        assert eqv_p(0.0, -0.0) is False
        assert eqv_p(-0.0, -0.0) is True
        nan = float("nan")
        assert eqv_p(nan, float("nan")) is True
        assert eqv_p(math.inf, math.inf) is True

    def test_complex(self):
        assert eqv_p(complex(1, 2), complex(1, 2)) is True
        assert eqv_p(complex(0.0, 1), complex(-0.0, 1)) is False

    def test_chars_and_others(self):
        assert eqv_p("x", "x") is True
        assert eqv_p("x", "y") is False
        assert eqv_p(MString("a"), MString("a")) is False
        assert eqv_p(bytearray(b""), bytearray(b"")) is False
        assert eqv_p(True, 1) is False


class TestEqual:
    def test_lists_vectors_strings(self):
        assert equal_p(L(1, L(2, 3), [4, MString("x")]), L(1, L(2, 3), [4, MString("x")])) is True
        assert equal_p(L(1, 2), L(1, 3)) is False
        assert equal_p(L(1, 2), L(1, 2, 3)) is False
        assert equal_p(MString("abc"), MString("abc")) is True
        assert equal_p(MString("abc"), MString("abd")) is False
        assert equal_p(bytearray(b"\x01\x02"), bytearray(b"\x01\x02")) is True
        assert equal_p([1, 2], [1, 2, 3]) is False
        assert equal_p([], []) is True

    def test_numbers_use_eqv(self):
        assert equal_p(L(2), L(2.0)) is False
        assert equal_p(L(0.0), L(-0.0)) is False

    def test_srcpair_equals_pair(self):
        assert equal_p(SrcPair(1, NIL), cons(1, NIL)) is True

    def test_dotted(self):
        assert equal_p(cons(1, 2), cons(1, 2)) is True
        assert equal_p(cons(1, 2), cons(1, 3)) is False

    def test_string_vs_symbol(self):
        assert equal_p(MString("a"), intern("a")) is False
        assert equal_p("a", MString("a")) is False

    def test_records_by_identity(self):
        rt = RecordType("r", ["a"])
        r1 = Record(rt, [1])
        assert equal_p(r1, r1) is True
        assert equal_p(r1, Record(rt, [1])) is False

    def test_long_list_no_recursion(self):
        n = 300_000
        a = from_iter(range(n))
        b = from_iter(range(n))
        assert equal_p(a, b) is True
        c = from_iter(list(range(n - 1)) + [-1])
        assert equal_p(a, c) is False

    def test_deep_car_nesting(self):
        a: object = NIL
        b: object = NIL
        for _ in range(200_000):
            a = cons(a, NIL)
            b = cons(b, NIL)
        assert equal_p(a, b) is True

    def test_circular_lists(self):
        assert equal_p(circular(1, 2), circular(1, 2)) is True
        assert equal_p(circular(1, 2), circular(1, 2, 1, 2)) is True
        assert equal_p(circular(1, 2), circular(1, 3)) is False
        assert equal_p(circular(1), L(1, 1, 1)) is False

    def test_circular_through_car_and_vector(self):
        v1: list = [1, None]
        v1[1] = v1
        v2: list = [1, None]
        v2[1] = v2
        assert equal_p(v1, v2) is True
        v3: list = [2, None]
        v3[1] = v3
        assert equal_p(v1, v3) is False
        p1 = cons(None, NIL)
        p1.car = p1
        p2 = cons(None, NIL)
        p2.car = p2
        assert equal_p(p1, p2) is True

    def test_large_dag_is_fast_and_right(self):
        # a shared DAG whose unfolding is 2**40 nodes: union-find pass must cut it short
        a: object = NIL
        b: object = NIL
        for i in range(40):
            a = cons(a, a)
            b = cons(b, b)
        assert equal_p(a, b) is True


class TestKeys:
    def test_eqv_key_agrees_with_eqv(self):
        vals = [1, 1.0, -0.0, 0.0, True, False, "a", make_rational(1, 2), 0.5, complex(1, 1),
                intern("a"), MString("a"), NIL, 2 ** 80]
        for x in vals:
            for y in vals:
                assert (E.eqv_key(x) == E.eqv_key(y)) == E.eqv(x, y), (x, y)

    def test_equal_key_agrees_with_equal(self):
        vals = [L(1, 2), L(1, 2), L(1, L(2)), [1, 2], [1, 2], [L(1, 2)], MString("ab"), MString("ab"),
                "a", MString("a"), bytearray(b"a"), cons(1, 2), L(1, 2.0), L(), [], 1, True]
        for x in vals:
            for y in vals:
                assert (E.equal_key(x) == E.equal_key(y)) == E.equal(x, y), (x, y)
                if E.equal(x, y):
                    assert hash(E.equal_key(x)) == hash(E.equal_key(y))

    def test_equal_key_prefix_free(self):
        # ((1) 2) and (1 2) and (1 . (2)) must be distinguished correctly
        assert E.equal_key(L(L(1), 2)) != E.equal_key(L(1, 2))
        assert E.equal_key(cons(1, L(2))) == E.equal_key(L(1, 2))
        assert E.equal_key([L(1), 2]) != E.equal_key([1, L(2)])

    def test_equal_key_circular_falls_back_to_identity(self):
        c = circular(1, 2)
        assert E.equal_key(c) == E.equal_key(c)
        assert E.equal_key(c) != E.equal_key(circular(1, 2))

    def test_equal_key_long_list(self):
        a = from_iter(range(200_000))
        assert E.equal_key(a) == E.equal_key(from_iter(range(200_000)))
        hash(E.equal_key(a))
