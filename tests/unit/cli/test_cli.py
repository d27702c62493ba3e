"""The command line as a user meets it: exit codes, error reports, tail calls, recursion."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def run(args, stdin=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "polysock", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout)


def script(tmp_path: Path, text: str, name: str = "script.scm") -> str:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return str(p)


def test_error_report_has_location_and_backtrace(tmp_path):
    p = script(tmp_path, """\
        (define (f x)
          (g x))
        (define (g x) (car x))
        (f 1)
        """)
    r = run([p])
    assert r.returncode == 1
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"{p}:3:"), r.stderr
    assert "car: argument 1: expected pair, got 1" in first
    assert "Backtrace" in r.stderr and "in g" in r.stderr
    assert "Traceback" not in r.stderr


def test_car_on_line_three(tmp_path):
    p = script(tmp_path, "(display 1)\n(newline)\n(car 1)\n")
    r = run([p])
    assert r.returncode != 0
    assert r.stdout == "1\n"
    assert f"{p}:3:" in r.stderr and "car:" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("expr,needle", [
    ("(vector-ref (vector 1 2) 9)", "vector-ref"),
    ("(+ 'a 1)", "+"),
    ("(undefined-thing)", "unbound variable undefined-thing"),
    ("((lambda (x) x) 1 2)", "wrong number of arguments"),
    ("(5 1)", "non-procedure"),
    ("(error \"my message\" 42)", "my message 42"),
    ("(raise 'sym)", "sym"),
    ("(string-ref \"abc\" 'x)", "string-ref: argument 2: expected index, got x"),
    ("(let loop ((i 0)) (loop))", "wrong number of arguments"),
])
def test_errors_are_scheme_conditions(tmp_path, expr, needle):
    r = run([script(tmp_path, expr + "\n")])
    assert r.returncode == 1
    assert needle in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_exit_codes(tmp_path):
    assert run(["-e", "(exit 7)"]).returncode == 7
    assert run(["-e", "(exit #f)"]).returncode == 1
    assert run(["-e", "(exit)"]).returncode == 0
    assert run(["-e", "(+ 1 2)"]).stdout == "3\n"


def test_command_line_visible(tmp_path):
    p = script(tmp_path, "(write (cdr (command-line)))\n")
    assert run([p, "a", "b"]).stdout == '("a" "b")'


def test_shebang_line(tmp_path):
    p = script(tmp_path, "#!/usr/bin/env polysock\n(display 'ok)\n")
    assert run([p]).stdout == "ok"


def test_help_and_version():
    h = run(["--help"])
    assert h.returncode == 0 and "--dialect" in h.stdout
    assert run(["--version"]).stdout.startswith("polysock ")
    assert run(["--dialect", "nonesuch", "-e", "1"]).returncode == 2


def test_tail_calls_run_in_constant_space(tmp_path):
    p = script(tmp_path, """\
        (display (let loop ((i 0)) (if (< i 10000000) (loop (+ i 1)) i)))
        (newline)
        (define (ev? n) (if (= n 0) #t (od? (- n 1))))
        (define (od? n) (if (= n 0) #f (ev? (- n 1))))
        (display (ev? 1000000))
        (newline)
        (define (cps n k) (if (= n 0) (k 0) (apply cps (list (- n 1) (lambda (v) (k (+ v 1)))))))
        (display (cps 1000000 (lambda (x) x)))
        (newline)
        """)
    r = run([p], timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["10000000", "#t", "1000000"]


def test_deep_recursion(tmp_path):
    p = script(tmp_path, "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))\n(display (f 1000000))\n")
    r = run([p], timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1000000"


def test_repl_reads_multiline_and_survives_errors():
    r = run([], stdin="(define x 5)\n(+ x\n 1)\n(car 1)\n(* x 2)\n")
    assert r.returncode == 0
    assert "6" in r.stdout and "10" in r.stdout
    assert "car:" in r.stderr


def test_repl_keeps_green_threads_and_lists_them():
    r = run([], stdin="(define t (make-thread (lambda () (let loop () (thread-sleep! 0.01) (loop))) \"ticker\"))\n"
                      "(thread-start! t)\n,threads\n(define s (make-server-socket \"0\"))\n,sockets\n(+ 1 2)\n")
    assert r.returncode == 0, r.stderr
    assert "#<thread ticker>" in r.stdout and "#<socket" in r.stdout and "3" in r.stdout


@pytest.mark.parametrize("extra", ["", "(thread-start! (make-thread (lambda () (let loop () (thread-sleep! 0.5) (loop)))))"])
def test_ctrl_c_stops_a_blocked_server_promptly(tmp_path, extra):
    import signal
    import time
    p = script(tmp_path, f'(define s (make-server-socket "0"))\n{extra}\n(display "waiting")\n(newline)\n(flush-output-port)\n(socket-accept s)\n')
    proc = subprocess.Popen([sys.executable, "-m", "polysock", p], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "waiting\n"
    t = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert time.monotonic() - t < 10


# -- load and eval work in the program's own environment ---------------------------------
# A script's top level is the interaction environment, as in Guile (the script's module),
# CHICKEN (csi -s) and SCM: (load "f") defines into it, and eval finds its definitions.

_HELPER = "(define helper-value 41)\n(define (helper-inc x) (+ x 1))\n"
_LOADS = '(load "helper.scm")\n(display (helper-inc helper-value))\n(newline)\n'
_EVAL2 = "(define x 5)\n(display (eval '(* x 2) (interaction-environment)))\n(newline)\n"
_EVAL1 = "(define y 7)\n(display (eval '(* y 2)))\n(newline)\n"
# which programs each real system runs: Guile's eval takes two arguments, SCM's one
_REAL = {"guile": ["guile", "--no-auto-compile", "-s"], "csi": ["csi", "-s"], "scm": ["scm", "-f"]}
_REAL_PROGRAMS = {"guile": _LOADS + _EVAL2, "csi": _LOADS + _EVAL2 + _EVAL1, "scm": _LOADS + _EVAL1}
_DIALECT_OF = {"guile": "guile", "csi": "chicken", "scm": "scm"}


@pytest.mark.parametrize("dialect", ["r7rs", "guile", "chicken", "scm", "mit", "scsh"])
def test_load_and_eval_see_the_programs_definitions(tmp_path, dialect):
    (tmp_path / "helper.scm").write_text(_HELPER)
    p = script(tmp_path, _LOADS + _EVAL2 + _EVAL1)
    r = subprocess.run([sys.executable, "-m", "polysock", "--dialect", dialect, p], capture_output=True,
                       text=True, timeout=120, cwd=str(tmp_path.parent))   # helper.scm: beside the script
    assert r.returncode == 0, r.stderr
    assert r.stdout == "42\n10\n14\n"


def test_eval_on_the_command_line_sees_earlier_expressions():
    r = run(["-e", "(define zz 3)", "-e", "(eval '(+ zz 1))", "-e", "(eval 'zz (interaction-environment))"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["4", "3"]


@pytest.mark.parametrize("real", sorted(_REAL))
def test_load_and_eval_match_the_real_system(tmp_path, real):
    import shutil
    if shutil.which(_REAL[real][0]) is None:
        pytest.skip(f"{_REAL[real][0]} is not installed")
    (tmp_path / "helper.scm").write_text(_HELPER)
    p = script(tmp_path, _REAL_PROGRAMS[real])
    want = subprocess.run(_REAL[real] + [p], capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
    got = subprocess.run([sys.executable, "-m", "polysock", "--dialect", _DIALECT_OF[real], p],
                         capture_output=True, text=True, timeout=120, cwd=str(tmp_path))
    assert want.returncode == 0, want.stderr
    assert got.returncode == 0, got.stderr
    assert got.stdout == want.stdout
