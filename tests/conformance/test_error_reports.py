"""Uncaught errors reported the way each real system reports them (DialectSpec.report).

Each ``errors/<dialect>/<case>.scm`` has ``<case>.expected``, recorded from the real
system running the file as a script (``python tests/conformance/test_error_reports.py
--record`` re-records them from whichever systems are installed; scsh cannot be
installed, so its files were written from Scheme48's display-condition, see
docs/dialects/scsh.md). An expected file holds the exit status, the program's standard
output, and the *report*: the lines the real system prints before its own backtrace or
call history (for Guile, which prints its backtrace first, the lines after it; for MIT,
which reports on the console, the REPL's report block from standard output).

polysock always runs against the recorded text (its report is what precedes its own
``Backtrace`` on standard error); the differential test re-runs the real system and
skips cleanly when it is absent. Where polysock differs on purpose or cannot know what
the real system prints, ``KNOWN`` records why and what polysock prints instead. Socket
cases connect to 127.0.0.1 port 1, which must be closed. Everything runs serially with
timeouts.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

HERE = Path(__file__).parent / "errors"
TIMEOUT = 60
DIALECTS = ["chicken", "guile", "mit", "scm", "scsh"]

#: How each real system runs a script non-interactively: (argv before the file, feed the
#: file on standard input instead).
REAL: Dict[str, Tuple[List[str], bool]] = {
    "chicken": (["csi", "-s"], False),
    "guile": (["guile", "--no-auto-compile"], False),
    "mit": (["mit-scheme", "--quiet"], True),
    "scm": (["scm", "-f"], False),
    "scsh": (["scsh", "-s"], False),
}

#: (dialect, case) -> (why polysock differs, what polysock's report is instead; None: the
#: real report). ``STDOUT_KNOWN`` likewise for standard output.
KNOWN: Dict[Tuple[str, str], Tuple[str, Optional[str]]] = {
    ("chicken", "raise-sym"): (
        "csi without the r7rs egg has no raise; polysock's CHICKEN environment has R7RS raise",
        "\nError: uncaught exception: sym"),
    ("chicken", "vector-ref"): (
        "CHICKEN lists the vector and the index; the core range condition carries only the index",
        "\nError: (vector-ref) out of range: 5"),
    ("chicken", "notproc"): (
        "the core not-procedure condition does not carry the object applied",
        "\nError: call of non-procedure"),
    ("guile", "raise-sym"): (
        "Guile's default raise is the POSIX signal procedure; polysock's raises the object",
        "ERROR: In procedure primitive-load:\nThrow to key `%exception' with args `(sym)'."),
    ("guile", "notproc"): (
        "the core not-procedure condition does not carry the object applied",
        "ERROR: In procedure primitive-load:\nWrong type to apply: #<unknown>"),
    ("mit", "notproc"): (
        "the core not-procedure condition does not carry the object applied",
        ";The object ? is not applicable.\n;To continue, call RESTART with an option number:\n"
        "; (RESTART 2) => Specify a procedure to use in its place.\n"
        "; (RESTART 1) => Return to read-eval-print level 1.\n\n2 error> \nEnd of input stream reached."),
    ("scm", "arity"): (
        "SCM writes the closure with its body; polysock writes its parameters only",
        '\n;ERROR: "arity.scm": Wrong number of args given #<CLOSURE f "arity.scm": (x y)>'),
    ("scm", "notproc"): (
        "the core not-procedure condition does not carry the object applied",
        '\n;ERROR: "notproc.scm": Wrong type to apply:  ?'),
    ("scm", "exit3"): (
        "scm -f prints '; program args: ...' on standard error when it exits non-zero",
        ""),
}
_BREAKPOINT = ("SCM's error also enters a breakpoint that writes '\"BREAKPOINT:\" message irritants'"
               " and 1 on standard output; a report renderer writes standard error only")
STDOUT_KNOWN: Dict[Tuple[str, str], Tuple[str, str]] = {
    ("scm", c): (_BREAKPOINT, "") for c in ("error-irritants", "error-none", "error-one", "error-who")}


def cases(dialect: str) -> List[str]:
    return sorted(p.stem for p in (HERE / dialect).glob("*.scm"))


ALL = [(d, c) for d in DIALECTS for c in cases(d)]


# ----------------------------------------------------------------- expected files

def parse_expected(text: str) -> Tuple[int, str, str]:
    """(status, stdout, report) of an expected file."""
    head, _, rest = text.partition("\n")
    status = int(head.split(":", 1)[1])
    out, _, report = rest.partition("#report\n")
    out = out[len("#stdout\n"):] if out.startswith("#stdout\n") else out
    return status, out, report[:-1] if report.endswith("\n") else report


def format_expected(status: int, out: str, report: str) -> str:
    return f"#status: {status}\n#stdout\n{out}#report\n{report}\n"


def normalise(text: str) -> str:
    """Descriptor numbers and trailing newlines are not part of the comparison."""
    return re.sub(r"fd:\d+", "fd:N", text).rstrip("\n")


# ----------------------------------------------------------------- running

def _env() -> Dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_polysock(dialect: str, case: str) -> Tuple[int, str, str]:
    """(status, stdout, report) of polysock running the case."""
    p = subprocess.run([sys.executable, "-m", "polysock", "--dialect", dialect, f"{case}.scm"],
                       cwd=HERE / dialect, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=TIMEOUT, env=_env())
    return p.returncode, p.stdout, p.stderr.split("\n\nBacktrace", 1)[0]


def real_report(dialect: str, out: str, err: str) -> Tuple[str, str]:
    """(program output, report) split out of a real system's transcript."""
    if dialect == "chicken":
        return out, err.split("\n\n\tCall history:", 1)[0]
    if dialect == "guile":
        if err.startswith("Backtrace:"):
            err = err.split("\n\n", 1)[1] if "\n\n" in err else ""
        return out, err
    if dialect == "mit":
        m = re.search(r"(?m)^;", out)
        return (out, "") if m is None else (out[:m.start()], out[m.start():])
    if dialect == "scm":
        lines = err.split("\n")
        for i, line in enumerate(lines):
            if line.startswith(";ERROR:"):
                return out, "\n".join(lines[:i + 1])
        return out, err
    return out, err.split("\n\nBacktrace", 1)[0]


def run_real(dialect: str, case: str) -> Tuple[int, str, str]:
    """(status, stdout, report) of the real system running the case."""
    argv, on_stdin = REAL[dialect]
    prog = HERE / dialect / f"{case}.scm"
    with open(prog, encoding="utf-8") as f:
        p = subprocess.run(argv + ([] if on_stdin else [prog.name]), cwd=prog.parent,
                           stdin=f if on_stdin else subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=TIMEOUT)
    out, report = real_report(dialect, p.stdout, p.stderr)
    return p.returncode, out, report


def port_one_closed() -> bool:
    s = socket.socket()
    s.settimeout(2)
    try:
        return s.connect_ex(("127.0.0.1", 1)) != 0
    finally:
        s.close()


def _needs_closed_port(case: str) -> None:
    if case in ("socket", "tcp-connect") and not port_one_closed():
        pytest.skip("something listens on 127.0.0.1:1")


def _expected(dialect: str, case: str) -> Tuple[int, str, str]:
    return parse_expected((HERE / dialect / f"{case}.expected").read_text(encoding="utf-8"))


# ----------------------------------------------------------------- tests

@pytest.mark.parametrize("dialect,case", ALL)
def test_polysock_reports_like_the_real_system(dialect: str, case: str) -> None:
    _needs_closed_port(case)
    status, out, report = _expected(dialect, case)
    got_status, got_out, got_report = run_polysock(dialect, case)
    assert got_status == status
    assert got_out == STDOUT_KNOWN.get((dialect, case), ("", out))[1]
    known = KNOWN.get((dialect, case), ("", None))[1]
    assert normalise(got_report) == normalise(report if known is None else known)


@pytest.mark.parametrize("dialect,case", ALL)
def test_differential_against_real_system(dialect: str, case: str) -> None:
    exe = REAL[dialect][0][0]
    if shutil.which(exe) is None:
        pytest.skip(f"{exe} is not installed")
    if case == "socket" and dialect == "chicken" and not _chicken_egg():
        pytest.skip("CHICKEN's socket egg is not installed")
    _needs_closed_port(case)
    status, out, report = _expected(dialect, case)
    got = run_real(dialect, case)
    assert got[0] == status
    assert got[1] == out
    assert normalise(got[2]) == normalise(report)


def test_every_case_has_an_expected_file() -> None:
    for dialect, case in ALL:
        assert (HERE / dialect / f"{case}.expected").exists(), (dialect, case)


def test_required_cases_present() -> None:
    required = {"car", "vector-ref", "error-irritants", "error-who", "raise-sym", "unbound",
                "arity", "socket", "exit3"}
    for dialect in DIALECTS:
        assert required <= set(cases(dialect)), dialect


def test_chicken_omitted_optional_is_false() -> None:
    status, out, _ = run_polysock("chicken", "optional")
    assert (status, out) == (0, "#f\n")


def _chicken_egg() -> bool:
    if shutil.which("csi") is None:
        return False
    p = subprocess.run(["csi", "-e", "(import socket)"], capture_output=True, text=True, timeout=TIMEOUT)
    return p.returncode == 0


def record(dialects: Optional[List[str]] = None) -> None:
    """Re-record expected files from the installed real systems."""
    for dialect in dialects or DIALECTS:
        if shutil.which(REAL[dialect][0][0]) is None:
            print(f"{dialect}: not installed, kept")
            continue
        for case in cases(dialect):
            status, out, report = run_real(dialect, case)
            (HERE / dialect / f"{case}.expected").write_text(format_expected(status, out, report),
                                                              encoding="utf-8")
            print(f"{dialect}/{case}: status {status}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--record"]:
        record(sys.argv[2:] or None)


def test_every_report_renders_any_payload() -> None:
    """Each dialect's report gives (text, status) for every condition kind and odd payloads."""
    from polysock import toplevel as T
    from polysock.values.conditions import PARENT, make_condition
    from polysock.values.pairs import NIL
    from polysock.values.strings import MString
    from polysock.values.symbols import intern
    payloads = [intern("sym"), 42, MString("text"), NIL, True, [1, 2]]
    for kind in PARENT:
        payloads.append(make_condition(kind, None, "message", 1, MString("s")))
        payloads.append(make_condition(kind, "who", "", value=3, position=2))
    for name in DIALECTS:
        spec = T.DIALECTS[name]
        assert spec.report is not None
        for p in payloads:
            text, status = spec.report(p)
            assert isinstance(text, str) and isinstance(status, int) and status != 0
