"""CPU benchmarks: bench/cpu/NAME.scm on polysock and the real Schemes, NAME.py on CPython.

Each program's workload is sized by one tagged constant near its top:

    (define size 30) ; @size quick=16        size = 30  # @size quick=16

Full runs use the files as they are.  ``--quick`` runs copies in which the
tagged constant is replaced by its ``quick=`` value; the Scheme files stay plain
R5RS/R7RS that every Scheme runs, since Guile, CHICKEN, SCM and MIT disagree
on how a program reads an environment variable.  ``POLYSOCK_BENCH_SCALE``
(``full``/``quick``) is still exported to every child for kinds that read it.

Time: the wall time of the whole child process (fork to wait4) minus the
median wall time of the same implementation running an empty program in the
same session, i.e. startup is measured and subtracted, compile time of the
benchmark program itself is included.  Peak RSS is the program's own high-water mark (GNU time %M; see bench.procs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.core import (BASELINE, SUBJECT, TIME_MS, Case, Context, Kind, Metric, Sample,
                        Target, register, stats)
from bench.impls import REAL_SCHEMES, SchemeImpl, polysock_problem
from bench.procs import run_process

CPU_DIR = Path(__file__).resolve().parent.parent / "cpu"

# name -> (title, bound on polysock/CPython).  Bounds: issue 8 acceptance 1
# (1.5 on fib, tak and the sum loop, 2 on strings and sort/assoc); issue 2
# acceptance 6 requires the same of the set!/mutual/first-class variants.
BENCHMARKS: dict[str, tuple[str, float]] = {
    "fib": ("fib 30", 1.5),
    "fib-set": ("fib 30, result through set! on locals", 1.5),
    "fib-mutual": ("fib 30 over two mutually recursive procedures", 1.5),
    "fib-firstclass": ("fib 30 recursing through a procedure argument", 1.5),
    "tak": ("tak 18 12 6, 20 times", 1.5),
    "tak-firstclass": ("tak 18 12 6, 20 times, through a procedure argument", 1.5),
    "sum": ("named-let sum of 1..10^7", 1.5),
    "sum-set": ("sum of 1..10^7 with set! on the counter and accumulator", 1.5),
    "strings": ("string building (number->string, string->list, string-append)", 2.0),
    "sort-assoc": ("merge sort of 30,000 integers + 30,000 assoc lookups", 2.0),
}

# polysock must beat these on every CPU benchmark (issue 8 acceptance 1).
MUST_BEAT = ("guile-interp", "csi", "scm")

SIZE_RE = re.compile(
    r"^(?P<head>\s*(?:\(define\s+\S+\s+|[A-Za-z_]\w*\s*=\s*))(?P<value>[^\s)]+)"
    r"(?P<tail>.*@size\s+quick=(?P<quick>\S+).*)$")

EMPTY = {"scm": "; empty program: measures startup\n", "py": "# empty program: measures startup\n"}


def size_tags(text: str) -> list[tuple[str, str]]:
    """(full, quick) values of every @size-tagged line of a benchmark source."""
    return [(m["value"], m["quick"]) for line in text.splitlines()
            if (m := SIZE_RE.match(line))]


def sized_source(text: str, quick: bool) -> str:
    """The source with each @size constant at its full or quick value."""
    if not quick:
        return text
    out = []
    for line in text.splitlines(keepends=True):
        m = SIZE_RE.match(line.rstrip("\n"))
        out.append(m["head"] + m["quick"] + m["tail"] + "\n" if m else line)
    return "".join(out)


def program(name: str, ext: str, ctx: Context) -> Path:
    """Path of the benchmark source to run (a quick-sized copy in --quick mode)."""
    src = CPU_DIR / f"{name}.{ext}"
    if not ctx.quick:
        return src
    dst = ctx.workdir / "quick" / src.name
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(sized_source(src.read_text(), True))
    return dst


def empty_program(ext: str, ctx: Context) -> Path:
    """An empty program for measuring an implementation's startup."""
    path = ctx.workdir / f"empty.{ext}"
    if not path.exists():
        path.write_text(EMPTY[ext])
    return path


@dataclass
class CpuCase:
    """One CPU benchmark: a .scm and its .py twin."""

    name: str
    title: str
    owner: "CpuKind"
    impls: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    kind: str = "cpu"
    metric: Metric = TIME_MS
    baseline: str = BASELINE
    subject: str = SUBJECT

    def measure(self, impl: str, ctx: Context) -> Sample:
        """Run impl on this benchmark once; value = wall ms minus startup."""
        argv = self.owner.command(impl, program(self.name, "py" if impl == BASELINE else "scm",
                                                ctx), ctx)
        if isinstance(argv, str):
            return Sample(ok=False, error=argv)
        res = run_process(argv, timeout=ctx.timeout, cwd=ctx.workdir, env=ctx.env or None)
        if res.failure():
            return Sample(ok=False, wall_s=res.wall_s, rss_kb=res.rss_kb, error=res.failure())
        startup = self.owner.startup_s.get(impl, 0.0)
        startup_cpu = self.owner.startup_cpu_s.get(impl, 0.0)
        return Sample(ok=True, value=max(0.0, res.wall_s - startup) * 1000.0,
                      wall_s=res.wall_s, rss_kb=res.rss_kb,
                      output=self.owner.clean(impl, res.stdout),
                      extra={"rss_source": res.rss_source,
                             "cpu_ms": max(0.0, res.cpu_s - startup_cpu) * 1000.0})


class CpuKind(Kind):
    """The CPU benchmarks of bench/cpu/."""

    name = "cpu"
    title = "CPU benchmarks"
    method = (
        "Each benchmark is a Scheme program (`bench/cpu/NAME.scm`) and the same algorithm "
        "hand-written in Python (`bench/cpu/NAME.py`).  Time is the wall time of the whole "
        "process minus that implementation's startup (the median wall time of an empty "
        "program, measured in the same session), so it includes reading and compiling the "
        "benchmark itself.  Peak RSS is the program's own high-water mark, read by GNU "
        "`time -f %M` (not the runner's `wait4`, whose figure never drops below the "
        "runner's own RSS).  Each round "
        "runs every implementation once, interleaved; the first output of the Python twin "
        "is the reference and any other output is a failure.  Ratio = polysock median / "
        "other median (below 1 means polysock is faster).  The CPU-time ratio (user + system "
        "time of the child, startup's subtracted likewise) is shown too: it is less "
        "disturbed than wall time when the machine is shared.")

    def __init__(self) -> None:
        """Start with no implementations prepared."""
        self.schemes: dict[str, SchemeImpl] = {s.label: s for s in REAL_SCHEMES}
        self.startup_s: dict[str, float] = {}
        self.startup_cpu_s: dict[str, float] = {}
        self.summary: dict = {}

    def available(self, ctx: Context) -> tuple[list[str], dict[str, str]]:
        """Runnable implementations (baseline first) and why the others are not."""
        impls, missing = [BASELINE], {}
        if SUBJECT not in ctx.notes:
            ctx.notes[SUBJECT] = polysock_problem(ctx.polysock, ctx.workdir)
        if ctx.notes[SUBJECT]:
            missing[SUBJECT] = "polysock not runnable: " + ctx.notes[SUBJECT]
        else:
            impls.append(SUBJECT)
        for label, s in self.schemes.items():
            if not ctx.wants(label):
                continue
            if s.path() is None:
                missing[label] = f"{s.exe} not installed"
            else:
                impls.append(label)
        return impls, missing

    def cases(self, ctx: Context) -> list[Case]:
        """One case per entry of BENCHMARKS."""
        impls, missing = self.available(ctx)
        out: list[Case] = []
        for name, (title, bound) in BENCHMARKS.items():
            targets = [Target(BASELINE, "<=", bound, "issue 8 #1 / issue 2 #6")]
            targets += [Target(s, "<", 1.0, "issue 8 #1: faster than") for s in MUST_BEAT]
            out.append(CpuCase(name, title, self, list(impls), dict(missing), targets))
        return out

    def command(self, impl: str, prog: Path, ctx: Context) -> list[str] | str:
        """argv running prog on impl, or why it cannot run."""
        if impl == BASELINE:
            return [*ctx.python, str(prog)]
        if impl == SUBJECT:
            return [*ctx.polysock, str(prog)]
        return self.schemes[impl].command(prog, ctx.workdir, ctx.timeout)

    def clean(self, impl: str, stdout: str) -> str:
        """The program's output without implementation chatter."""
        s = self.schemes.get(impl)
        return s.clean(stdout) if s else stdout

    def prepare(self, ctx: Context, cases: list[Case]) -> None:
        """Measure each implementation's startup with an empty program, interleaved."""
        impls = sorted({i for c in cases for i in c.impls}, key=lambda i: (i != BASELINE, i))
        walls: dict[str, list[float]] = {i: [] for i in impls}
        cpus: dict[str, list[float]] = {i: [] for i in impls}
        rss: dict[str, int] = {}
        for r in range(ctx.warmup + max(ctx.runs, 3)):
            for impl in impls:
                argv = self.command(impl, empty_program("py" if impl == BASELINE else "scm",
                                                        ctx), ctx)
                if isinstance(argv, str):
                    continue
                res = run_process(argv, timeout=ctx.timeout, cwd=ctx.workdir,
                                  env=ctx.env or None)
                if r >= ctx.warmup and not res.failure():
                    walls[impl].append(res.wall_s)
                    cpus[impl].append(res.cpu_s)
                    rss[impl] = max(rss.get(impl, 0), res.rss_kb)
        startup = {}
        for impl, w in walls.items():
            if w:
                st = stats([x * 1000.0 for x in w])
                self.startup_s[impl] = st["median"] / 1000.0
                self.startup_cpu_s[impl] = stats(cpus[impl])["median"]
                startup[impl] = {**st, "rss_kb_max": rss.get(impl, 0)}
                ctx.log(f"  startup [{impl}]: {st['median']:.1f} ms")
        self.summary = {"startup_ms": startup}


register(CpuKind())
