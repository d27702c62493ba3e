"""The r7rs-tests runner and the (chibi test) stand-in, on a small suite of known outcome."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "run-r7rs-tests"


def load_runner():
    """Import the extension-less runner script as a module."""
    loader = importlib.machinery.SourceFileLoader("run_r7rs_tests", str(RUNNER))
    spec = importlib.util.spec_from_loader("run_r7rs_tests", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


rt = load_runner()

MINI = """;; a suite shaped like chibi's r7rs-tests.scm
(import (scheme base) (scheme write) (scheme complex)
        (chibi test)  ; or (srfi 64)
        )

(test-begin "mini")
(test-begin "inner")
(test 3 (+ 1 2))
(test "named" 4 (* 2 2))
(test 5 (+ 2 2))
(test-end)
(test 1.0 (/ 3.0 3.0000001))
(test "a;b" (string #\\a #\\; #\\b))
(test-assert (pair? '(1)))
(test-not (pair? 1))
(test-error (car '()))
(test-error "pred" error-object? (error "boom" 1))
(test-error (+ 1 1))
(test-values (values 1 2) (values 1 2))
(test-equal eq? 'a 'a)
(test 'x (vector-ref (vector 1) 5))
(test-end)
"""

EXPECTED_FAILURES = [("FAIL", 10, "(+ 2 2) => 4, expected 5"),
                     ("FAIL", 18, "(+ 1 1) => 2, expected an-error"),
                     ("ERROR", 21, "(vector-ref (vector 1) 5) raised")]


def test_rewrite_blanks_chibi_imports_and_keeps_line_numbers() -> None:
    """Only the chibi import set goes; the shim is included on the same line."""
    out = rt.rewrite(MINI, Path("/x/shim.scm"), ["(scheme complex)"])
    assert out.count("\n") == MINI.count("\n")
    assert "(chibi test)" not in out and "(scheme complex)" not in out
    assert "(scheme write)" in out and "; or (srfi 64)" in out
    line4 = out.splitlines()[3]
    assert line4.strip() == ') (include "/x/shim.scm")'
    assert out.splitlines()[7:] == MINI.splitlines()[7:]


def test_sites_carry_lines_and_groups() -> None:
    """The scan finds every test form with its line and group path."""
    index = rt.sites(MINI)
    assert len(index) == 13
    assert (index[0].line, index[0].group) == (8, "mini/inner")
    assert (index[3].line, index[3].group) == (12, "mini")
    assert index[4].line == 13  # the ";" inside a string and a char is not a comment


def test_locate_matches_written_expression() -> None:
    """A written expression maps back to its source line, numbers breaking ties."""
    index = rt.sites(MINI)
    assert rt.locate("(+ 2 2) => 4, expected 5", "mini/inner", index) == [10]
    assert rt.locate("(quote (1)) raised x", "mini", index) == []
    assert rt.locate('(string #\\a #\\; #\\b) => "ab", expected "a;b"', "mini", index) == [13]
    # quote marks are not compared, so these two forms cannot be told apart
    assert rt.locate("(pair? (quote (1))) => #f, expected a-true-value", "mini", index) == [14, 15]


def test_mini_suite_runs_on_polysock(tmp_path: Path) -> None:
    """polysock runs the stand-in: exact counts, each failing site located."""
    suite = tmp_path / "mini-tests.scm"
    suite.write_text(MINI)
    p = subprocess.run([sys.executable, str(RUNNER), str(suite)], capture_output=True,
                       text=True, timeout=120)
    assert "not runnable" not in p.stdout, p.stdout
    assert "10 passed, 3 failed" in p.stdout.splitlines(), p.stdout + p.stderr
    assert p.returncode == 1
    reports = [ln for ln in p.stdout.splitlines() if ": FAIL " in ln or ": ERROR " in ln]
    assert len(reports) == len(EXPECTED_FAILURES), p.stdout
    for line, (status, where, text) in zip(reports, EXPECTED_FAILURES):
        assert line.startswith(f"line {where}: {status} ["), line
        assert text in line, line
    p = subprocess.run([sys.executable, str(RUNNER), str(suite), "--min-pass", "10"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout
