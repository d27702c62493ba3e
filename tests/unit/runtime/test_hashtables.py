"""Hash tables through the registered wrappers."""
from __future__ import annotations

import importlib

import pytest

import polysock.runtime.equivalence  # noqa: F401
import polysock.runtime.hashtables as H
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError
from polysock.values.misc import UNSPECIFIED
from polysock.values.pairs import NIL, Pair, from_iter, to_list, cons
from polysock.values.strings import MString
from polysock.values.symbols import intern

S69 = LIBRARIES["(srfi 69)"]
X = LIBRARIES["(polysock extras)"]
BASE = LIBRARIES["(scheme base)"]


def cond_of(fn, *args):
    with pytest.raises(SchemeError) as ei:
        fn(*args)
    return ei.value.payload


def L(*xs):
    return from_iter(xs)


def ms(s):
    return MString(s)


def _optional(lib, name, module):
    try:
        importlib.import_module(module)
    except ImportError:
        pass
    proc = LIBRARIES.get(lib, {}).get(name)
    assert proc is not None, f"{name} is not registered in {lib}"
    return proc


class TestSrfi69:
    def test_default_is_equal(self):
        t = S69["make-hash-table"]()
        assert S69["hash-table?"](t) is True
        assert S69["hash-table?"]([]) is False
        S69["hash-table-set!"](t, ms("k"), 1)
        S69["hash-table-set!"](t, L(1, 2), 2)
        S69["hash-table-set!"](t, [1, ms("x")], 3)
        assert S69["hash-table-ref"](t, ms("k")) == 1
        assert S69["hash-table-ref"](t, L(1, 2)) == 2
        assert S69["hash-table-ref"](t, [1, ms("x")]) == 3
        assert S69["hash-table-size"](t) == 3
        S69["hash-table-set!"](t, ms("k"), 10)
        assert S69["hash-table-size"](t) == 3
        assert S69["hash-table-ref/default"](t, ms("k"), 0) == 10

    def test_eq_and_eqv_tables(self):
        t = S69["make-hash-table"](BASE["eq?"])
        s = ms("a")
        S69["hash-table-set!"](t, s, 1)
        S69["hash-table-set!"](t, intern("sym"), 2)
        S69["hash-table-set!"](t, 5, 3)
        assert S69["hash-table-ref/default"](t, ms("a"), "no") == "no"
        assert S69["hash-table-ref/default"](t, s, "no") == 1
        assert S69["hash-table-ref/default"](t, intern("sym"), "no") == 2
        assert S69["hash-table-ref/default"](t, 5, "no") == 3
        v = S69["make-hash-table"](BASE["eqv?"])
        S69["hash-table-set!"](v, 1.5, "f")
        S69["hash-table-set!"](v, 1, "i")
        S69["hash-table-set!"](v, True, "t")
        S69["hash-table-set!"](v, 0.0, "z")
        assert S69["hash-table-ref/default"](v, 1.5, None) == "f"
        assert S69["hash-table-ref/default"](v, 1.0, "none") == "none"
        assert S69["hash-table-ref/default"](v, 1, None) == "i"
        assert S69["hash-table-ref/default"](v, True, None) == "t"
        assert S69["hash-table-ref/default"](v, -0.0, "none") == "none"
        assert S69["hash-table-ref/default"](v, L(1), "none") == "none"

    def test_ref_thunk_success_and_error(self):
        t = S69["make-hash-table"]()
        assert S69["hash-table-ref"](t, 1, lambda: "dflt") == "dflt"
        S69["hash-table-set!"](t, 1, 5)
        assert S69["hash-table-ref"](t, 1, lambda: 0, lambda v: v * 2) == 10
        c = cond_of(S69["hash-table-ref"], t, 2)
        assert c.kind == "error" and c.who == "hash-table-ref" and c.irritants == (2,)
        assert cond_of(S69["hash-table-ref"], 5, 1).message == "argument 1: expected hash table, got"

    def test_delete_exists_update(self):
        t = S69["make-hash-table"]()
        S69["hash-table-set!"](t, "a", 1)
        assert S69["hash-table-exists?"](t, "a") is True
        assert S69["hash-table-delete!"](t, "a") is UNSPECIFIED
        assert S69["hash-table-exists?"](t, "a") is False
        S69["hash-table-delete!"](t, "a")          # deleting a missing key is fine
        S69["hash-table-update!/default"](t, "n", lambda v: v + 1, 0)
        S69["hash-table-update!/default"](t, "n", lambda v: v + 1, 0)
        assert S69["hash-table-ref"](t, "n") == 2
        S69["hash-table-update!"](t, "n", lambda v: v * 10)
        assert S69["hash-table-ref"](t, "n") == 20
        S69["hash-table-update!"](t, "m", lambda v: v + 1, lambda: 100)
        assert S69["hash-table-ref"](t, "m") == 101
        assert cond_of(S69["hash-table-update!"], t, "zz", lambda v: v).who == "hash-table-update!"

    def test_keys_values_walk_fold_alist(self):
        t = S69["alist->hash-table"](L(cons(1, "a"), cons(2, "b"), cons(1, "ignored")))
        assert S69["hash-table-size"](t) == 2
        assert S69["hash-table-ref"](t, 1) == "a"
        assert sorted(to_list(S69["hash-table-keys"](t))) == [1, 2]
        assert sorted(to_list(S69["hash-table-values"](t))) == ["a", "b"]
        seen = []
        S69["hash-table-walk"](t, lambda k, v: seen.append((k, v)))
        assert sorted(seen) == [(1, "a"), (2, "b")]
        assert S69["hash-table-fold"](t, lambda k, v, acc: acc + k, 0) == 3
        al = to_list(S69["hash-table->alist"](t))
        assert sorted((p.car, p.cdr) for p in al) == [(1, "a"), (2, "b")]
        assert cond_of(S69["alist->hash-table"], L(1, 2)).kind == "wrong-type"

    def test_walk_may_mutate(self):
        t = S69["alist->hash-table"](L(cons(1, 1), cons(2, 2), cons(3, 3)))
        S69["hash-table-walk"](t, lambda k, v: S69["hash-table-delete!"](t, k))
        assert S69["hash-table-size"](t) == 0

    def test_copy_clear_merge(self):
        t = S69["alist->hash-table"](L(cons(1, "a")))
        c = S69["hash-table-copy"](t)
        S69["hash-table-set!"](c, 2, "b")
        assert S69["hash-table-size"](t) == 1 and S69["hash-table-size"](c) == 2
        S69["hash-table-merge!"](t, c)
        assert S69["hash-table-ref"](t, 2) == "b"
        S69["hash-table-clear!"](t)
        assert S69["hash-table-size"](t) == 0
        assert S69["hash-table-size"](c) == 2

    def test_equivalence_and_hash_function_accessors(self):
        t = S69["make-hash-table"](BASE["eqv?"])
        assert S69["hash-table-equivalence-function"](t) is BASE["eqv?"]
        assert S69["hash-table-hash-function"](t) is S69["hash"]

    def test_custom_equivalence(self):
        same_mod = lambda a, b: a % 10 == b % 10  # noqa: E731
        t = S69["make-hash-table"](same_mod, lambda k: k % 10)
        S69["hash-table-set!"](t, 3, "three")
        assert S69["hash-table-ref"](t, 13) == "three"
        S69["hash-table-set!"](t, 23, "again")
        assert S69["hash-table-size"](t) == 1
        S69["hash-table-delete!"](t, 33)
        assert S69["hash-table-size"](t) == 0
        u = S69["make-hash-table"](same_mod)        # no hash function: still correct
        for i in range(30):
            S69["hash-table-set!"](u, i, i)
        assert S69["hash-table-size"](u) == 10
        assert S69["hash-table-ref"](u, 47) == 27
        c = S69["hash-table-copy"](u)
        assert S69["hash-table-size"](c) == 10
        bad = S69["make-hash-table"](same_mod, lambda k: "x")
        assert cond_of(S69["hash-table-set!"], bad, 1, 1).kind == "wrong-type"
        assert cond_of(S69["make-hash-table"], 1.5).kind == "wrong-type"

    def test_string_tables(self):
        string_eq = _optional("(scheme base)", "string=?", "polysock.runtime.strings")
        t = S69["make-hash-table"](string_eq, S69["string-hash"])
        assert isinstance(t, H.KeyedTable)
        S69["hash-table-set!"](t, ms("abc"), 1)
        assert S69["hash-table-ref"](t, ms("abc")) == 1

    def test_string_ci_tables(self):
        ci = _optional("(scheme char)", "string-ci=?", "polysock.runtime.strings")
        t = S69["make-hash-table"](ci)
        S69["hash-table-set!"](t, ms("ABC"), 1)
        assert S69["hash-table-ref"](t, ms("abc")) == 1

    def test_hash_functions(self):
        assert S69["hash"](L(1, ms("a"))) == S69["hash"](L(1, ms("a")))
        assert 0 <= S69["hash"](ms("x"), 7) < 7
        assert S69["string-hash"](ms("ab")) == S69["string-hash"](ms("ab"))
        assert S69["string-ci-hash"](ms("AB")) == S69["string-ci-hash"](ms("ab"))
        s = intern("q")
        assert S69["hash-by-identity"](s) == S69["hash-by-identity"](s)
        assert S69["hash-by-identity"](ms("a"), 3) < 3
        assert cond_of(S69["hash"], 1, 0).kind == "wrong-type"
        assert cond_of(S69["string-hash"], 1).kind == "wrong-type"

    def test_circular_key_does_not_hang(self):
        t = S69["make-hash-table"]()
        c = L(1, 2)
        c.cdr.cdr = c
        S69["hash-table-set!"](t, c, "circ")
        assert S69["hash-table-ref"](t, c) == "circ"


class TestExtras:
    def test_mit_constructors_and_names(self):
        for name in ("make-strong-eqv-hash-table", "make-equal-hash-table",
                     "make-string-hash-table", "make-strong-eq-hash-table"):
            t = X[name]()
            X["hash-table/put!"](t, 1, "one")
            assert X["hash-table/get"](t, 1, False) == "one"
            assert X["hash-table-count"](t) == 1
            assert X["hash-table/count"](t) == 1
            X["hash-table/remove!"](t, 1)
            assert X["hash-table/get"](t, 1, "gone") == "gone"
        t = X["make-equal-hash-table"](100)
        X["hash-table/put!"](t, ms("k"), 1)
        assert X["hash-table-contains?"](t, ms("k")) is True
        e = X["make-strong-eqv-hash-table"]()
        X["hash-table/put!"](e, ms("k"), 1)
        assert X["hash-table-contains?"](e, ms("k")) is False

    def test_guile_names(self):
        t = S69["make-hash-table"](31)         # Guile-style initial size
        assert X["hash-set!"](t, ms("k"), 1) == 1
        assert X["hash-ref"](t, ms("k")) == 1
        assert X["hash-ref"](t, ms("zz")) is False
        assert X["hash-ref"](t, ms("zz"), 0) == 0
        X["hashq-set!"](t, intern("s"), 2)
        assert X["hashq-ref"](t, intern("s")) == 2
        assert X["hashv-ref"](t, intern("s")) == 2
        removed = X["hash-remove!"](t, ms("k"))
        assert removed.car.s == "k" and removed.cdr == 1
        assert X["hashv-remove!"](t, 99) is False
        seen = []
        X["hash-for-each"](lambda k, v: seen.append(v), t)
        assert seen == [2]
        assert to_list(X["hash-map->list"](lambda k, v: v + 1, t)) == [3]
        assert X["hash-fold"](lambda k, v, acc: acc + v, 10, t) == 12
        assert X["hash-count"](lambda k, v: v > 1, t) == 1
        X["hash-clear!"](t)
        assert S69["hash-table-size"](t) == 0

    def test_printer(self):
        from polysock.reader import printer
        t = X["make-equal-hash-table"]()
        X["hash-set!"](t, 1, 2)
        assert printer.write_string(t) == "#<hash-table 1>"

    def test_many_keys(self):
        t = X["make-equal-hash-table"]()
        for i in range(5000):
            X["hash-set!"](t, L(i, ms(str(i))), i)
        assert all(X["hash-ref"](t, L(i, ms(str(i)))) == i for i in range(0, 5000, 97))
        assert S69["hash-table-size"](t) == 5000
        assert S69["hash-table-keys"](t) is not NIL


def test_numeric_equality_table():
    num_eq = _optional("(scheme base)", "=", "polysock.runtime.numbers")
    t = S69["make-hash-table"](num_eq)
    assert isinstance(t, H.KeyedTable)
    S69["hash-table-set!"](t, 1, "one")
    assert S69["hash-table-ref"](t, 1.0) == "one"
    S69["hash-table-set!"](t, True, "t")       # a non-number key stays apart from 1
    assert S69["hash-table-ref"](t, 1) == "one"
