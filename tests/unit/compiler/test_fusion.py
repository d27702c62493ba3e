"""List fusion: nested list primitives pass Python lists, with unchanged results,
conditions, evaluation order and redefinition semantics."""
from __future__ import annotations

import re

import pytest

import polysock

from polysock.reader.printer import write_string
from polysock.values.conditions import SchemeError
from tests.unit.compiler.codegen import python_of
from tests.unit.compiler.codegen import run as run_value


def run(src: str) -> str:
    return write_string(run_value(src))


@pytest.mark.parametrize("src, expected", [
    ('(list->string (map char-upcase (string->list "abc")))', '"ABC"'),
    ('(list->string (reverse (string->list "abc")))', '"cba"'),
    ('(list->string (map (lambda (c) (integer->char (+ 1 (char->integer c)))) (string->list "abc")))', '"bcd"'),
    ('(length (reverse (vector->list (vector 1 2 3))))', '3'),
    ('(map (lambda (x) (* x x)) (reverse (list 1 2 3)))', '(9 4 1)'),
    ('(reverse (map (lambda (x) (* x x)) (vector->list (vector 1 2 3))))', '(9 4 1)'),
    ('(list->vector (map (lambda (x) x) (string->list "ab")))', '#(#\\a #\\b)'),
    ('(list->string (string->list ""))', '""'),
    ('(length (string->list "hello"))', '5'),
])
def test_fused_nests_give_the_plain_results(src, expected):
    assert run(src) == expected
    assert run(f"(define (f) {src}) (f)") == expected


def test_a_nest_inside_a_procedure_is_fused():
    py = python_of('(define (f s) (list->string (map char-upcase (string->list s))))')
    assert "if list->string is" in py            # the fused branch, guarded by identity


def test_the_vector_made_from_a_fused_list_is_fresh():
    src = """(define v (vector 1 2 3))
             (define w (list->vector (reverse (vector->list v))))
             (vector-set! w 0 'x)
             (list v w)"""
    assert run(src) == "(#(1 2 3) #(x 2 1))"


@pytest.mark.parametrize("src, who, shown", [
    ('(define (f) (list->string (map (lambda (c) 1) (string->list "ab")))) (f)', "list->string", "(1 1)"),
    ('(define (f) (list->string (map 5 (string->list "ab")))) (f)', "map", "5"),
    ('(define (f) (list->string (string->list 5))) (f)', "string->list", "5"),
    ('(define (f) (length (reverse 7))) (f)', "reverse", "7"),
    ('(define (f) (length (vector->list "v"))) (f)', "vector->list", '"v"'),
])
def test_bad_input_raises_the_unfused_condition(src, who, shown):
    with pytest.raises(SchemeError) as e:
        run(src)
    c = e.value.payload
    assert c.who == who
    assert shown in " ".join(write_string(x) for x in c.irritants)


def test_redefining_a_fused_primitive_later_is_honoured():
    src = """(define (f s) (list->string (reverse (string->list s))))
             (define before (f "ab"))
             (define (reverse l) l)
             (list before (f "ab"))"""
    assert run(src) == '("ba" "ab")'


def test_operands_keep_their_order_and_run_once():
    src = """(define trace '())
             (define (note x) (set! trace (cons x trace)) x)
             (define (f) (list->string (map (note char-upcase) (string->list (note "ab")))))
             (list (f) (length trace))"""
    assert run(src) == '("AB" 2)'
    src2 = """(define trace '())
              (define (note x) (set! trace (cons x trace)) x)
              (define (f) (list->string (map (note char-upcase) (string->list (note "ab")))))
              (f)
              (map procedure? trace)"""
    assert run(src2) == "(#f #t)"    # the string first, then map's procedure: consed in order


def test_a_small_procedure_mapped_over_a_fused_list_runs_inline():
    assert " for c" in python_of('(define (f s) (list->string (map (lambda (c) (char-upcase c)) (string->list s))))')
    src = """(define (shift c) (integer->char (+ 1 (char->integer c))))
             (define (f s) (list->string (map shift (string->list s))))
             (f "abc")"""
    assert run(src) == '"bcd"'


def test_an_inlined_global_procedure_still_honours_its_redefinition():
    src = """(define (shift c) (integer->char (+ 1 (char->integer c))))
             (define (f s) (list->string (map shift (string->list s))))
             (define before (f "ab"))
             (define (shift c) c)
             (list before (f "ab"))"""
    assert run(src) == '("bc" "ab")'


def test_an_error_in_an_inlined_body_is_the_primitives_condition_at_its_line():
    src = """(define (bad c) (char->integer 5))
             (define (f s) (map bad (reverse (string->list s))))
             (f "ab")"""
    with pytest.raises(SchemeError) as e:
        run(src)
    assert e.value.payload.who == "char->integer"
    report = polysock.format_error(e.value)
    assert report.startswith("<string>:1:") and "in map" in report and "<listcomp>" not in report


@pytest.mark.parametrize("definition", [
    "(define (g c) (if (char=? c #\\a) c (g #\\a)))",          # calls itself
    "(define (g c) (begin (display \"\") c))",                  # a sequence
    "(define (g c) (let ((d c)) d))",                           # a binding
    "(define (g c . more) c)",                                   # a rest parameter
    "(define (g c) (set! c #\\z) c)",                            # an assignment
])
def test_procedures_that_are_not_plain_expressions_are_called_not_inlined(definition):
    src = definition + ' (define (f s) (list->string (map g (string->list s)))) (f "ab")'
    assert run(src) in ('"aa"', '"ab"', '"zz"')


SHIFT = "(define (shift s) (list->string (map (lambda (c) (integer->char (+ (char->integer c) 1))) (string->list s))))"


def test_a_pure_inlined_body_checks_its_primitives_once_outside_the_loop():
    py = python_of(SHIFT)
    loop = py[py.index("[") : py.index(" for ")]
    assert "integer->char is" not in loop and "char->integer is" not in loop
    assert ".__class__" not in loop              # c is a character of a string: no class test
    head = py[: py.index("[")]
    assert "integer->char is" in head and "char->integer is" in head
    assert "''.join(" in py                        # list->string of characters: one join


def test_a_pure_inlined_body_honours_redefinitions_made_before_the_call():
    assert run(SHIFT + '(shift "ab")') == '"bc"'
    assert run(SHIFT + '(set! integer->char (lambda (n) #\\x)) (shift "ab")') == '"xx"'
    assert run(SHIFT + '(set! char->integer (lambda (c) 64)) (shift "ab")') == '"AA"'
    assert run(SHIFT + '(set! integer->char (lambda (n) n)) (list->string (list #\\a))') == '"a"'
    with pytest.raises(SchemeError) as e:
        run(SHIFT + '(set! integer->char (lambda (n) n)) (shift "ab")')
    assert e.value.payload.who == "list->string"


def test_the_inlined_body_still_raises_its_primitives_condition():
    src = '(define (f s) (list->string (map (lambda (c) (integer->char (- (char->integer c) 200))) (string->list s)))) (f "a")'
    with pytest.raises(SchemeError) as e:
        run(src)
    assert e.value.payload.who == "integer->char"


def test_string_to_list_of_a_fresh_number_string_works_on_its_text():
    py = python_of("(define (f i) (length (string->list (number->string i))))")
    assert "MString" not in py.split(" else ")[0]
    assert run("(define (f i) (length (string->list (number->string i)))) (f 12345)") == "5"
    assert run("(define (f i) (list->string (reverse (string->list (number->string i))))) (f 1.5)") == '"5.1"'
    with pytest.raises(SchemeError) as e:
        run("(define (f i) (length (string->list (number->string i)))) (f 'a)")
    assert e.value.payload.who == "number->string"


def test_reversing_characters_keeps_them_known_to_be_characters():
    py = python_of('(define (r s) (list->string (reverse (string->list s))))')
    assert "''.join(" in py
    assert run('(define (r s) (list->string (reverse (string->list s)))) (r "abc")') == '"cba"'


def test_an_inlined_map_over_fresh_text_iterates_the_text():
    src = ("(define (w i) (list->string (map (lambda (c) (integer->char (+ 1 (char->integer c))))"
           " (string->list (number->string i)))))")
    # the comprehension iterates str(i) itself, not list(str(i))
    assert re.search(r"for c\S* in \(§k\d+\(i\S*\) if", python_of(src))
    assert run(src + " (list (w 1234) (w -5) (w 2.5))") == '("2345" ".6" "3/6")'


def test_an_inlined_map_over_a_vector_sees_the_vector_as_it_was():
    # vector->list copies: a body that changes the vector must not change the items
    assert run("(define v (vector 1 2 3))"
               " (define (f) (map (lambda (x) (vector-set! v 2 0) x) (vector->list v)))"
               " (f)") == "(1 2 3)"
