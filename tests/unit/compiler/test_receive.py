"""Open-coded call-with-values (compiler/receive.py): the producer's body runs in place
and the consumer's body follows in the call's tail position, with the same values,
errors and tail behaviour as the call it replaces."""
from __future__ import annotations

import pytest

from polysock.dialects._report import proc_shape
from polysock.runtime.control import convert_exception
from polysock.values.conditions import SchemeError
from polysock.values.pairs import to_list
from tests.unit.compiler.codegen import python_of, run


def condition(src):
    try:
        run(src)
    except SchemeError as e:
        return e.payload
    except Exception as e:   # what the REPL and the CLI convert
        return convert_exception(e)
    raise AssertionError("no error")


@pytest.mark.parametrize("src, expected", [
    ("(receive (a b) (values 1 2) (list a b))", [1, 2]),
    ("(receive (a . r) (values 1 2 3) (list a r))", [1, [2, 3]]),
    ("(receive r (values 1 2) r)", [1, 2]),
    ("(receive r (values) r)", []),
    ("(receive (a) 5 (list a))", [5]),
    ("(receive () (values) 'none)", "none"),
    ("(let-values (((a b) (values 1 2)) ((c) (values 3))) (list a b c))", [1, 2, 3]),
    ("(let*-values (((a b) (values 1 2)) ((c) (values (+ a b)))) (list a b c))", [1, 2, 3]),
    ("(call-with-values (lambda () (values 1 2)) (lambda (x y) (list y x)))", [2, 1]),
    ("(call-with-values (lambda () 7) (lambda (x) (list x)))", [7]),
    ("(define (f) (receive (q r) (floor/ 17 5) (list q r))) (f)", [3, 2]),
    ("(+ 1 (receive (a b) (values 2 3) (* a b)))", 7),
    ("(if (receive (a) #f a) 'yes 'no)", "no"),
])
def test_results_are_those_of_the_call(src, expected):
    v = run(src)
    if isinstance(expected, list):
        v = [to_list(x) if hasattr(x, "car") else x for x in to_list(v)]
    elif isinstance(expected, str):
        v = str(v)
    assert v == expected


def test_the_consumer_body_is_open_coded_without_closures():
    py = python_of("(define (f x) (receive (a b) (values x 2) (+ a b)))")
    assert "§spread(" in py and "def lambda" not in py and "call-with-values" not in py


def test_the_programs_own_call_with_values_is_guarded_and_rebinding_it_is_honoured():
    py = python_of("(define (f x) (call-with-values (lambda () (values x 1)) (lambda (a b) (+ a b))))")
    assert "if call-with-values is " in py and "def lambda" in py      # the fallback keeps lambdas
    src = ("(define (f x) (call-with-values (lambda () (values x 1)) (lambda (a b) (+ a b))))"
           "(define before (f 1))"
           "(set! call-with-values (lambda (p c) 'mine))"
           "(list before (f 1))")
    assert [str(x) for x in to_list(run(src))] == ["2", "mine"]


def test_a_loop_through_the_consumer_runs_in_constant_stack():
    src = """(define (count n)
               (let loop ((i 0) (acc 0))
                 (if (= i n) acc
                     (receive (a b) (values i 1) (loop (+ i b) (+ acc a))))))
             (count 200000)"""
    assert run(src) == sum(range(200000))
    user = """(define (count n)
               (let loop ((i 0))
                 (if (= i n) i
                     (call-with-values (lambda () (values i 1)) (lambda (a b) (loop (+ a b)))))))
             (count 200000)"""
    assert run(user) == 200000


def test_closures_over_received_variables_in_a_loop_keep_each_iterations_values():
    src = """(let loop ((i 0) (acc '()))
               (if (= i 3)
                   (map (lambda (f) (f)) acc)
                   (receive (a b) (values i (* i 10))
                     (loop (+ i 1) (cons (lambda () (+ a b)) acc)))))"""
    assert to_list(run(src)) == [22, 11, 0]


def test_received_variables_can_be_assigned_and_captured():
    src = """(receive (a b) (values 1 2)
               (let ((get (lambda () a)))
                 (set! a (+ a b))
                 (list a (get))))"""
    assert to_list(run(src)) == [3, 3]


def test_nested_guarded_calls_compile_and_run():
    src = """(define (f)
               (call-with-values (lambda () (values 1 2))
                 (lambda (a b)
                   (call-with-values (lambda () (values a b 3))
                     (lambda (x y z) (list x y z))))))
             (f)"""
    assert to_list(run(src)) == [1, 2, 3]


@pytest.mark.parametrize("producer, formals", [
    ("(values 1 2 3)", "(a b)"), ("(values 1)", "(a b)"), ("1", "(a b . r)"), ("(values 1 2)", "()"),
    ("(values 1 2)", "(a)"), ("(values)", "(a)")])
def test_a_count_the_consumer_rejects_raises_the_calls_own_arity_condition(producer, formals):
    inline = condition(f"(call-with-values (lambda () {producer}) (lambda {formals} 'x))")
    called = condition(f"(apply call-with-values (list (lambda () {producer}) (lambda {formals} 'x)))")
    for c in (inline, called):
        assert c.kind == "arity"
    assert (inline.who, inline.message, inline.data.get("given")) == (called.who, called.message, called.data.get("given"))
    assert proc_shape(inline.data["procedure"]) == proc_shape(called.data["procedure"])
