"""How each implementation runs a Scheme program: polysock and the real Schemes.

Real Schemes are found with shutil.which and skipped cleanly when absent; none
is installed by the benchmarks.  A compiling implementation (csc) builds its
executable once per program, outside the timed runs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bench.procs import run_process


def _scheme_string(text: str) -> str:
    """A Scheme string literal spelling *text*."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _drop_semicolon_lines(text: str) -> str:
    """Remove REPL notification lines (";Loading ...") some Schemes print to stdout."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(";"))


@dataclass(slots=True)
class SchemeImpl:
    """A Scheme implementation the benchmarks can run a .scm file on."""

    label: str
    exe: str
    title: str
    run: Callable[[str, Path], list[str]]  # (exe path, program or binary) -> argv
    compile: Callable[[str, Path, Path], list[str]] | None = None  # (exe, src, out)
    version_args: tuple[str, ...] = ("--version",)
    output_filter: Callable[[str], str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    _built: dict[Path, Path | str] = field(default_factory=dict)

    def path(self) -> str | None:
        """The executable's path, or None when not installed."""
        return shutil.which(self.exe)

    def version(self) -> str:
        """First line of the implementation's version banner."""
        exe = self.path()
        if exe is None:
            return "not installed"
        try:
            p = subprocess.run([exe, *self.version_args], capture_output=True, text=True,
                               timeout=20, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"unknown ({e})"
        lines = (p.stdout + p.stderr).strip().splitlines()
        return lines[0].strip() if lines else "unknown"

    def command(self, prog: Path, workdir: Path, timeout: float = 600.0) -> list[str] | str:
        """argv running prog (compiling it first if needed), or an error string."""
        exe = self.path()
        if exe is None:
            return f"{self.exe} not installed"
        if self.compile is None:
            return self.run(exe, prog)
        built = self._built.get(prog)
        if built is None:
            out = workdir / f"{self.label}-{prog.stem}"
            res = run_process(self.compile(exe, prog, out), timeout=timeout, cwd=workdir)
            built = out if res.returncode == 0 and out.exists() else (
                "compile failed: " + (res.failure() or "no output file"))
            self._built[prog] = built
        return built if isinstance(built, str) else self.run(exe, built)

    def clean(self, stdout: str) -> str:
        """The program's own output, without the implementation's chatter."""
        return self.output_filter(stdout) if self.output_filter else stdout


REAL_SCHEMES: list[SchemeImpl] = [
    SchemeImpl("guile", "guile", "Guile 3 (auto-compiled, JIT)",
               lambda exe, p: [exe, "-s", str(p)]),
    # `guile --no-auto-compile -s FILE` still loads FILE's .go from the compiled-file
    # cache when the "guile" row has just auto-compiled it; primitive-load never looks
    # at compiled files, so the program really runs in Guile's interpreter (eval).
    SchemeImpl("guile-interp", "guile", "Guile 3 interpreter (primitive-load, no auto-compile)",
               lambda exe, p: [exe, "--no-auto-compile", "-c",
                               f"(primitive-load {_scheme_string(str(p))})"]),
    SchemeImpl("csi", "csi", "CHICKEN 5 csi (interpreter)",
               lambda exe, p: [exe, "-s", str(p)], version_args=("-version",)),
    SchemeImpl("csc", "csc", "CHICKEN 5 csc -O3 (compiled)",
               lambda exe, p: [str(p)],
               compile=lambda exe, src, out: [exe, "-O3", str(src), "-o", str(out)],
               version_args=("-version",)),
    # Arguments after "--" are the program's (command-line-arguments).
    SchemeImpl("mit", "mit-scheme", "MIT/GNU Scheme",
               lambda exe, p: [exe, "--quiet", "--load", str(p), "--eval", "(exit 0)", "--"],
               output_filter=_drop_semicolon_lines),
    SchemeImpl("scm", "scm", "SCM",
               lambda exe, p: [exe, "-f", str(p)]),
]


def default_polysock() -> list[str]:
    """argv prefix running polysock: $POLYSOCK_BENCH_POLYSOCK, the console script, or -m."""
    override = os.environ.get("POLYSOCK_BENCH_POLYSOCK")
    if override:
        return shlex.split(override)
    script = Path(sys.executable).parent / "polysock"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "polysock"]


def default_python() -> list[str]:
    """argv prefix running the CPython baseline (the interpreter running the bench)."""
    override = os.environ.get("POLYSOCK_BENCH_PYTHON")
    return shlex.split(override) if override else [sys.executable]


_PROBE = '(display (+ 40 2))\n(newline)\n'


def polysock_problem(polysock: list[str], workdir: Path, timeout: float = 120.0) -> str:
    """Empty string when polysock runs a trivial program correctly, else why not."""
    probe = workdir / "polysock-probe.scm"
    probe.write_text(_PROBE)
    res = run_process([*polysock, str(probe)], timeout=timeout, cwd=workdir)
    if res.returncode == 127 and not res.stdout:
        return res.stderr.strip() or "cannot start " + " ".join(polysock)
    if res.failure():
        return f"`{' '.join(polysock)} {probe.name}` failed: {res.failure()}"
    if res.stdout != "42\n":
        return f"`(display (+ 40 2))` printed {res.stdout[:80]!r}, not '42\\n'"
    return ""


def polysock_version(polysock: list[str]) -> str:
    """polysock --version, or why it is unknown."""
    try:
        p = subprocess.run([*polysock, "--version"], capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"
    lines = p.stdout.strip().splitlines()
    return lines[0] if p.returncode == 0 and lines else "unknown"
