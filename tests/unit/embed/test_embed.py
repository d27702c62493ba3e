"""The Python embedding API."""
import pytest

import polysock
from polysock.values.strings import MString


def test_eval_and_procedures_are_callables():
    assert polysock.eval("(+ 1 2)") == 3
    env = polysock.environment()
    polysock.eval("(define (sq x) (* x x))", env)
    sq = polysock.eval("sq", env)
    assert sq(7) == 49


def test_python_from_scheme():
    env = polysock.environment()
    polysock.define(env, "py-upper", lambda s: MString(s.s.upper()))
    assert polysock.eval('(py-upper "abc")', env).s == "ABC"


def test_errors():
    with pytest.raises(polysock.SchemeError) as e:
        polysock.eval("(car 1)")
    assert "car: argument 1: expected pair, got 1" in polysock.format_error(e.value)


def test_run_file(tmp_path):
    p = tmp_path / "f.scm"
    p.write_text("(define x 41) (+ x 1)")
    assert polysock.run_file(str(p)) == 42
