"""Expander: test vectors of forms and their core-form dumps, plus syntax errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from polysock import toplevel as T
from polysock.expander.core import dump
from polysock.reader.parser import Reader
from polysock.values.conditions import SchemeError

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "expander"

PRELUDE = """(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e)
                 ((_ e r ...) (let ((temp e)) (if temp temp (my-or r ...))))))"""


def cases():
    for f in sorted(VECTORS.glob("*.txt")):
        blocks = [b for b in re.split(r"\n\s*\n", f.read_text()) if b.strip() and not b.lstrip().startswith("#")]
        for b in blocks:
            lines = [l for l in b.splitlines() if not l.startswith("#")]
            form = "\n".join(l for l in lines if not l.startswith("==>"))
            expected = [l[3:].strip() for l in lines if l.startswith("==>")][0]
            yield pytest.param(form, expected, id=form[:40])


def renumber(text: str) -> str:
    seen: dict = {}
    return re.sub(r"\.(\d+)\b", lambda m: "." + str(seen.setdefault(m.group(1), len(seen) + 1)), text)


@pytest.mark.parametrize("form,expected", list(cases()))
def test_vector(form, expected):
    env = T.make_environment()
    T.eval_string(PRELUDE, env)
    node = T.SESSION.expander.expand_toplevel(Reader(form).read(), env)
    assert renumber(dump(node)) == expected


@pytest.mark.parametrize("text,needle", [
    ("(if)", "if: bad syntax"),
    ("(lambda (x x) x)", "duplicate parameter"),
    ("(let ((x)) x y z)", None),
    ("(define-syntax m (syntax-rules () ((_ a) a))) (m)", "no syntax-rules pattern matches"),
    ("(quote)", "quote: bad syntax"),
    ("(let loop)", "let: bad syntax"),
    ("(list else)", "bad use of syntax keyword else"),
])
def test_syntax_errors_are_located(text, needle):
    env = T.make_environment()
    if needle is None:
        T.eval_string("(define y 1) (define z 2)", env)
        T.eval_string(text, env)
        return
    with pytest.raises(SchemeError) as e:
        T.eval_string(text, env, "f.scm")
    c = e.value.payload
    assert c.kind == "syntax" and needle in c.message
    assert c.loc is not None and c.loc.file == "f.scm"
