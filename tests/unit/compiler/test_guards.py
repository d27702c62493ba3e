"""Guarded primitive calls: inline argument tests, direct implementation calls, the
wrapper as the slow path, and the Python-expression bodies of a few primitives."""
from __future__ import annotations

import ast
import math
import re

import pytest

from polysock import toplevel as T
from polysock.compiler import guards
from polysock.values.conditions import SchemeError
from polysock.values.pairs import to_list
from tests.unit.compiler.codegen import python_of, run


def test_checked_primitive_calls_its_implementation_behind_an_inline_test():
    py = python_of("(define (f s) (string-upcase s))")
    assert " if " in py and ".__class__ is " in py and "else string-upcase(s" in py


def test_char_ops_compile_to_ord_and_chr():
    py = python_of("(define (f c) (integer->char (+ (char->integer c) 1)))")
    assert run("(define (f c) (integer->char (+ (char->integer c) 1))) (f #\\a)") == "b"
    assert py.count(" if ") >= 2


@pytest.mark.parametrize("src, expected", [
    ("(define (f c) (char->integer c)) (f \"x\")", "char->integer"),
    ("(define (f n) (integer->char n)) (f 55296)", "integer->char"),
    ("(define (f n) (integer->char n)) (f -1)", "integer->char"),
    ("(define (f s k) (string-ref s k)) (f \"abc\" 3)", "string-ref"),
    ("(define (f v k) (vector-ref v k)) (f (vector 1) 1)", "vector-ref"),
    ("(define (f a b) (modulo a b)) (f 1 0)", "modulo"),
    ("(define (f a b) (quotient a b)) (f 1.5 1)", "quotient"),
    ("(define (f a b) (string-append a b)) (f \"a\" 'b)", "string-append"),
])
def test_a_failing_test_raises_the_primitives_own_condition(src, expected):
    with pytest.raises(SchemeError) as e:
        run(src)
    assert e.value.payload.who == expected


@pytest.mark.parametrize("src, value", [
    ("(define (f a b) (list (modulo a b) (remainder a b) (quotient a b))) (f -7 2)", [1, -1, -3]),
    ("(define (f a b) (list (modulo a b) (remainder a b) (quotient a b))) (f 7 -2)", [-1, 1, -3]),
    ("(define (f a b) (list (modulo a b) (remainder a b) (quotient a b))) (f 7.0 2)", [1.0, 1.0, 3.0]),
    ("(define (f a b) (list (= a b) (= a 1.0))) (f 1 1)", [True, True]),
    ("(define (f n) (integer->char n)) (list (f 65) (f 57344) (f 1114111))", ["A", "\ue000", "\U0010ffff"]),
    ("(define (f s k) (string-ref s k)) (list (f \"abc\" 0) (f \"abc\" 2))", ["a", "c"]),
])
def test_fast_bodies_mean_what_the_implementation_means(src, value):
    result = run(src)
    assert list(result) == value


def test_redefining_a_primitive_later_is_honoured_by_earlier_code():
    src = """(define (f s) (string-length s))
             (define first (f "abc"))
             (define (string-length s) 42)
             (list first (f "abc"))"""
    assert list(run(src)) == [3, 42]


def test_operands_are_evaluated_left_to_right_once():
    src = """(define trace '())
             (define (note x) (set! trace (cons x trace)) x)
             (define (f) (string-append (note "a") (note "b") (note "c")))
             (list (f) (reverse trace))"""
    out = run(src)
    assert out.car.s == "abc"
    assert [s.s for s in out.cdr.car] == ["a", "b", "c"]


def test_single_complex_operand_is_evaluated_once():
    src = """(define n 0)
             (define (next!) (set! n (+ n 1)) (number->string n))
             (define (f) (string-length (next!)))
             (list (f) n)"""
    assert list(run(src)) == [1, 1]


def test_constant_operand_is_checked_at_compile_time():
    assert "else string-length" not in python_of("(define (f) (string-length 5))")
    with pytest.raises(SchemeError) as e:
        run("(define (f) (string-length 5)) (f)")
    assert e.value.payload.who == "string-length"


def test_rest_arguments_are_tested_with_the_rest_spec():
    plan = guards.plan(T.make_environment().namespace["string-append"], 3)
    assert plan is not None and all(t is not None for t in plan[1])


def test_predicate_specs_get_no_plan():
    env = T.make_environment()
    with_pred = [w for w in env.namespace.values()
                 if getattr(w, "guard_spec", None) and any(a.pred is not None for a in w.guard_spec[1])]
    assert with_pred    # e.g. the rational spec is a Python predicate
    for w in with_pred:
        n = len(w.guard_spec[1])
        assert guards.plan(w, n) is None


def _template(spec_test: str) -> guards.Template:
    from polysock.runtime.argtypes import NAMESPACE
    t = guards._template(spec_test, NAMESPACE)
    assert t is not None
    return t


def test_a_class_test_settled_by_a_known_class_is_dropped():
    assert guards.narrow(_template("{x}.__class__ is str"), str) is None
    index = _template("({x}.__class__ is int and {x} >= 0)")
    rest = guards.narrow(index, int)
    assert rest is not None and "__class__" not in ast.unparse(rest[0]) and ">= 0" in ast.unparse(rest[0])


def test_a_class_test_a_known_class_fails_is_kept_for_the_wrapper():
    t = _template("{x}.__class__ is str")
    assert guards.narrow(t, int) is t


def test_extra_tests_fold_on_known_operand_classes():
    const = lambda v: "K"                                    # noqa: E731
    x = ast.Name("x", ast.Load())
    assert guards.expand("{0}.__class__ is int", [x], const, [int]) is None
    kept = guards.expand("{0}.__class__ is int and {0} >= 0", [x], const, [str])
    assert kept is not None and ast.unparse(kept) == "False"
    assert ast.unparse(guards.expand("{0}.__class__ is int", [x], const, [None])) == "x.__class__ is K"


def test_result_classes_come_from_the_implementations_declared_return():
    def prim(name: str):
        return T.eval_string(name, T.make_environment())
    assert guards.result_class(prim("char->integer")) is int
    assert guards.result_class(prim("integer->char")) is str
    assert guards.result_class(prim("car")) is None


def test_an_int_loop_variable_needs_no_class_test():
    py = python_of("(define (f n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (+ acc (remainder i 16))))))")
    assert not re.search(r"i§\d+\.__class__", py)
    assert not re.search(r"i§\d+ >= 0", py)                    # counts up from 0: never negative
    assert "16 .__class__" not in py and "16 > 0" not in py      # constant operands decided
    assert run("(define (f n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (+ acc (remainder i 16)))))) (f 40)") == 120 + 120 + 28


def test_a_loop_variable_that_may_become_a_float_keeps_its_test():
    src = "(define (f) (let loop ((i 0) (acc '())) (if (> i 1) acc (loop (+ i 0.5) (cons (quotient i 1) acc))))) (f)"
    with pytest.raises(SchemeError) as e:
        run(src)
    assert e.value.payload.who == "quotient"
    src = "(define (f) (let loop ((i 0) (j 0)) (if (> j 1) (remainder i 2) (loop j (+ j 0.75))))) (f)"
    with pytest.raises(SchemeError) as e:
        run(src)
    assert e.value.payload.who == "remainder"


COUNTED = [  # (definitions, expression, its value)
    ("(define n 10)", "(let loop ((i 1) (acc 0)) (if (> i n) (list i acc) (loop (+ i 1) (+ acc i))))", "(11 55)"),
    ("(define n 10)", "(let loop ((i 12) (acc 0)) (if (> i n) (list i acc) (loop (+ i 1) (+ acc i))))", "(12 0)"),
    ("", "(let loop ((i 0)) (if (< i 10) (loop (+ i 1)) i))", "10"),
    ("", "(let loop ((i 20)) (if (< i 10) (loop (+ i 1)) i))", "20"),
    ("", "(let loop ((i 0)) (if (<= 10 i) i (loop (+ 1 i))))", "10"),
    ("(define n 5.5)", "(let loop ((i 0)) (if (< i n) (loop (+ i 1)) i))", "6"),
    ("(define (f n) (let loop ((i 0) (acc '())) (if (>= i n) acc (loop (+ i 1) (cons i acc)))))",
     "(list (f 3) (f 2.5) (f -1))", "((2 1 0) (2 1 0) ())"),
    ("(define lim 5) (define (bump!) (set! lim 3))",
     "(let loop ((i 0)) (if (< i lim) (begin (bump!) (loop (+ i 1))) i))", "3"),
    ("", "(let loop ((i 0)) (if (< i 10) (if (= i 3) 'three (loop (+ i 1))) 'done))", "three"),
    ("", "(let loop ((i 0) (fs '())) (if (< i 3) (loop (+ i 1) (cons (lambda () i) fs)) (map (lambda (f) (f)) fs)))",
     "(2 1 0)"),
    ("", "(let loop ((i 0) (acc 0)) (if (< i 10) (loop (+ i 1) (if (odd? i) (+ acc i) acc)) acc))", "25"),
    ("", "(list (let loop ((i 0)) (if (< i 3) (loop (+ i 1)) i)) 'after)", "(3 after)"),
    ("(define n 10)", "(let loop ((i 0) (acc 0)) (if (= i n) (list i acc) (loop (+ i 1) (+ acc i))))", "(10 45)"),
    ("", "(let loop ((i 4) (acc 0)) (if (= 4 i) (list i acc) (loop (+ 1 i) (+ acc i))))", "(4 0)"),
    ("(define n 3.0)", "(let loop ((i 0)) (if (= i n) i (loop (+ i 1))))", "3"),
    ("(define (f n) (let loop ((i 0) (acc '())) (if (= i n) acc (if (> i 100) 'ran-past (loop (+ i 1) (cons i acc))))))",
     "(list (f 3) (f 0) (f -2))", "((2 1 0) () ran-past)"),
]


@pytest.mark.parametrize("defs, expr, expected", COUNTED)
def test_counting_loops_keep_their_meaning(defs, expr, expected):
    from polysock.reader.printer import write_string
    assert write_string(run(f"{defs} {expr}")) == expected                       # at top level
    assert write_string(run(f"{defs} (define (top) {expr}) (top)")) == expected  # a return context
    assert write_string(run(f"{defs} (define (top) (list {expr})) (car (top))")) == expected


def test_a_counting_loop_becomes_a_for_over_range():
    py = python_of("(define (f n) (let loop ((i 0) (acc 0)) (if (< i n) (loop (+ i 1) (+ acc i)) acc)))")
    assert "for i§" in py and "range(" in py and "while True" in py      # n may not be an int
    py = python_of("(define (f) (let loop ((i 0) (acc 0)) (if (< i 100) (loop (+ i 1) (+ acc i)) acc)))")
    assert "range(" in py and "while" not in py
    py = python_of("(define (f n) (let loop ((i 0) (acc 0)) (if (= i n) acc (loop (+ i 1) (+ acc i)))))")
    assert "for i§" in py and ">= i§" in py and "while True" in py       # only when n >= i


@pytest.mark.parametrize("start, step", [("-3", "(+ i 1)"), ("k", "(+ i 1)"), ("5", "(- i 1)"), ("0", "(+ i k)")])
def test_a_loop_variable_that_may_be_negative_keeps_its_sign_test(start, step):
    src = f"(define (f k) (let loop ((i {start}) (acc '())) (if (> (length acc) 7) (reverse acc) (loop {step} (cons (remainder i 4) acc)))))"
    assert re.search(r"i§\d+ >= 0", python_of(src))
    k = -7
    i = {"-3": -3, "k": k, "5": 5, "0": 0}[start]
    expected = []
    for _ in range(8):
        expected.append(int(math.fmod(i, 4)))          # remainder takes the dividend's sign
        i = i - 1 if step == "(- i 1)" else i + (k if step == "(+ i k)" else 1)
    assert to_list(run(src + f" (f {k})")) == expected


def test_codes_and_lengths_are_never_negative():
    # in an inlined map body char->integer's binding is checked once, so its result is
    # an int >= 0 and so is the sum: integer->char keeps only its upper bound
    src = "(define (f s) (list->string (map (lambda (c) (integer->char (+ (char->integer c) {}))) (string->list s))))"
    fused = [line for line in python_of(src.format(49)).splitlines() if ".join(" in line]
    assert fused and ">= 0" not in fused[0] and "< 55296" in fused[0]
    assert run(src.format(49) + ' (f "012")').s == "abc"
    with pytest.raises(SchemeError) as e:
        run(src.format(49) + ' (f "\\xD7D0;")')
    assert e.value.payload.who == "integer->char"
    assert ">= 0" in [line for line in python_of(src.format(-49)).splitlines() if ".join(" in line][0]
    with pytest.raises(SchemeError) as e:
        run(src.format(-49) + ' (f "0")')
    assert e.value.payload.who == "integer->char"


def test_an_inlined_map_body_keeps_its_temporaries_local():
    src = "(define (f s) (list->string (map (lambda (c) (integer->char (+ (char->integer c) 1))) (string->list s))))"
    assert "for §t" in python_of(src)
    env = T.make_environment()
    T.eval_string(src, env)
    fn = env.namespace["f"]
    code = getattr(fn, "__code__", None)
    assert code is not None and code.co_cellvars == ()
    assert T.eval_string('(f "HAL")', env).s == "IBM"
