"""Network benchmarks: a server and a client in two processes over loopback.

Theory of operation
-------------------
Every benchmark is a pair of programs, ``bench/net/<source>/<bench>-server.<ext>``
and ``...-client.<ext>``, written once per *source* (``python`` for the blocking
CPython baseline, ``srfi106`` for polysock, a dialect directory for the dialect
variants).  A *variant* is a source run by a *runner*: CPython, polysock (with
``--dialect`` for dialect programs) or a real Scheme from ``bench.impls``.  One
measurement of one variant:

1. start the server (argv: the benchmark's server arguments); it binds port 0 on
   127.0.0.1 (or a unix socket path in the run's temp dir) and prints the port
   (or path) as its first stdout line, flushed;
2. the runner reads that line from the server's output file and runs the client
   with ``HOST PORT ARGS`` (``PATH ARGS`` for unix);
3. the client does the work and prints result lines, then ``elapsed SECONDS``:
   its own clock around the work, so process startup is not counted;
4. the server serves the fixed workload, prints its result lines and exits.

The result lines of both (all but the port line and ``elapsed``) form the output
compared with the baseline's; the value is work / elapsed (round trips, MB of
10^6 bytes, or connections per second); peak RSS is the larger of the two
processes' (GNU time, see bench.procs), the server's alone for c10k.

Adding a variant: put the programs in ``bench/net/<source>/`` and, when the source
is new, one ``Variant`` line in ``VARIANTS``; a benchmark without that source's
program pair, or whose runner is not installed, is reported as not run.
Programs read their arguments from ``(command-line)`` (``sys.argv``).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.core import BASELINE, SUBJECT, Case, Context, Kind, Metric, Sample, Target, register
from bench.impls import REAL_SCHEMES, SchemeImpl, polysock_problem
from bench.procs import ProcResult, Running, run_process

NET_DIR = Path(__file__).resolve().parent.parent / "net"
SHIM = NET_DIR / "polysock_shim.py"
HOST = "127.0.0.1"
SERVER_READY_S = 60.0      # how long a server may take to print its port
SERVER_FINISH_S = 60.0     # how long a server may take to exit after its client


@dataclass(frozen=True, slots=True)
class Variant:
    """Programs of one source directory run by one runner."""

    label: str             # implementation label in the results
    source: str            # directory under bench/net/
    ext: str               # program file extension
    runner: str            # "python", "polysock" or a bench.impls.REAL_SCHEMES label
    dialect: str = ""      # polysock --dialect for dialect programs


# Baseline first, subject second.  Dialect helpers: add programs to bench/net/<dialect>/;
# the polysock-<dialect> row runs them on polysock, the real-Scheme rows on the real one.
VARIANTS: list[Variant] = [
    Variant(BASELINE, "python", "py", "python"),
    Variant(SUBJECT, "srfi106", "scm", "polysock"),
    Variant("polysock-guile", "guile", "scm", "polysock", "guile"),
    Variant("polysock-chicken", "chicken", "scm", "polysock", "chicken"),
    Variant("polysock-scsh", "scsh", "scm", "polysock", "scsh"),
    Variant("polysock-mit", "mit", "scm", "polysock", "mit"),
    Variant("polysock-scm", "scm", "scm", "polysock", "scm"),
    Variant("guile", "guile", "scm", "guile"),
    Variant("csi", "chicken", "scm", "csi"),
    Variant("csc", "chicken", "scm", "csc"),
    Variant("mit", "mit", "scm", "mit"),
    Variant("scm", "scm", "scm", "scm"),
]


@dataclass(frozen=True, slots=True)
class NetBench:
    """One network benchmark: its workload and how to turn it into a rate."""

    title: str
    unit: str
    full: int              # work per run: round trips, bytes or connections
    quick: int
    transport: str = "tcp"  # "tcp", "udp" or "unix" (how the client is addressed)
    per: float = 1.0       # value = work / elapsed / per
    fixed_client: str = ""  # a client program shared by every variant (c10k)
    programs: str = ""     # the program pair's name when not the benchmark's own
    skip: tuple[tuple[str, str], ...] = ()   # (variant label, why it is not run)
    rated: bool = True     # the issues' rate targets apply (not to a supplementary size)


PINGPONG = 50_000
BENCHES: dict[str, NetBench] = {
    "tcp-pingpong": NetBench("TCP ping-pong, 64-byte round trips, rt/s", "rt/s",
                             PINGPONG, 2_000),
    "tcp-bulk": NetBench("TCP bulk, 1 GiB through one connection, MB/s (10^6 B)", "MB/s",
                         1 << 30, 4 << 20, per=1e6,
                         skip=(("mit", "MIT's textual ports move ~1 MB/s: 1 GiB would take ~17 min "
                                "a run; see tcp-bulk-16m"),)),
    # The same programs with 16 MiB, so that real MIT (textual ports) is measured too
    # (issue 8: MIT programs must reach >= 100x real MIT's bulk rate). The issues' bulk
    # targets are the 1 GiB row's: a run here lasts ~10 ms and its spread is ~100%.
    "tcp-bulk-16m": NetBench("TCP bulk, 16 MiB through one connection, MB/s (10^6 B)", "MB/s",
                             16 << 20, 1 << 20, per=1e6, programs="tcp-bulk", rated=False),
    "tcp-accept": NetBench("TCP accept rate, short connections (1-byte reply), conn/s",
                           "conn/s", 10_000, 200),
    "udp-pingpong": NetBench("UDP ping-pong, 64-byte datagrams, rt/s", "rt/s",
                             PINGPONG, 2_000, "udp"),
    "unix-pingpong": NetBench("unix-domain stream ping-pong, 64-byte round trips, rt/s",
                              "rt/s", PINGPONG, 2_000, "unix"),
}
C10K = NetBench("10,000 concurrent connections held by one server, one echo each, "
                "time in ms", "ms", 10_000, 200, fixed_client="python/c10k-client.py")

# issue 3 acceptance 5 / issue 8 acceptance 2: >= 90% of blocking CPython, >= csi.
RATE_TARGETS = [Target(BASELINE, ">=", 0.9, "issue 3 #5, issue 8 #2"),
                Target("csi", ">=", 1.0, "issue 8 #2")]


def elapsed_of(stdout: str) -> tuple[float | None, list[str]]:
    """The client's ``elapsed`` seconds (decimal or a/b) and its other lines."""
    seconds, lines = None, []
    for line in stdout.splitlines():
        if line.startswith("elapsed "):
            text = line.split(None, 1)[1].strip()
            try:
                num, _, den = text.partition("/")
                seconds = float(num) / float(den) if den else float(num)
            except ValueError:
                seconds = None
        elif line.strip():
            lines.append(line.rstrip())
    return seconds, lines


def first_line(running: Running, deadline: float) -> str | None:
    """The server's first stdout line once printed; None if it exits or times out first."""
    fd = running.out.fileno()
    while time.monotonic() < deadline:
        data = os.pread(fd, 4096, 0)
        if b"\n" in data:
            return data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        # WNOWAIT: an exited server stays unreaped for Running.wait (Popen.poll would reap it).
        if os.waitid(os.P_PID, running.proc.pid,
                     os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return None
        time.sleep(0.005)
    return None


def raise_nofile(need: int) -> int:
    """Raise this process's soft RLIMIT_NOFILE to need (children inherit it); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= need:
        return soft
    new = need if hard == resource.RLIM_INFINITY else min(need, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    return new


@dataclass
class NetCase:
    """One network benchmark as the runner sees it."""

    name: str
    bench: NetBench
    owner: "NetKind"
    kind: str = "net"
    impls: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    baseline: str = BASELINE
    subject: str = SUBJECT

    @property
    def title(self) -> str:
        """Human title (with the unit)."""
        return self.bench.title

    @property
    def metric(self) -> Metric:
        """Rate (higher is better), or time for c10k."""
        if self.bench.unit == "ms":
            return Metric("time", "ms", "lower")
        return Metric("rate", self.bench.unit, "higher")

    def program(self, variant: Variant, role: str) -> Path:
        """Path of this benchmark's server or client program for variant."""
        if role == "client" and self.bench.fixed_client:
            return NET_DIR / self.bench.fixed_client
        return NET_DIR / variant.source / f"{self.bench.programs or self.name}-{role}.{variant.ext}"

    def work(self, ctx: Context) -> int:
        """Round trips, bytes or connections of one run."""
        return self.bench.quick if ctx.quick else self.bench.full

    def measure(self, impl: str, ctx: Context) -> Sample:
        """Start the server, run the client against it, reap both."""
        variant = self.owner.variants[impl]
        work = str(self.work(ctx))
        sock_dir = Path(tempfile.mkdtemp(prefix="polysock-net-", dir=ctx.workdir))
        try:
            unix_path = str(sock_dir / "s")
            server_args = [unix_path, work] if self.bench.transport == "unix" else [work]
            argv = self.owner.argv(variant, self.program(variant, "server"), ctx)
            if isinstance(argv, str):
                return Sample(ok=False, error=argv)
            try:
                server = Running([*argv, *server_args], cwd=ctx.workdir, env=ctx.env or None)
            except OSError as e:
                return Sample(ok=False, error=f"cannot start server: {e}")
            return self._with_server(server, variant, work, unix_path, ctx)
        finally:
            shutil.rmtree(sock_dir, ignore_errors=True)

    def _with_server(self, server: Running, variant: Variant, work: str, unix_path: str,
                     ctx: Context) -> Sample:
        """Run the client against a started server; the sample."""
        address = first_line(server, time.monotonic() + SERVER_READY_S)
        if address is None:
            res = server.wait(1.0)
            return Sample(ok=False, rss_kb=res.rss_kb,
                          error="server printed no address: " + (res.failure() or res.stderr[:300]
                                                                 or "no output"))
        client_variant = self.owner.variants[BASELINE] if self.bench.fixed_client else variant
        argv = self.owner.argv(client_variant, self.program(variant, "client"), ctx)
        if isinstance(argv, str):
            server.wait(0.0)
            return Sample(ok=False, error=argv)
        target = [unix_path] if self.bench.transport == "unix" else [HOST, address]
        client = run_process([*argv, *target, work], timeout=ctx.timeout, cwd=ctx.workdir,
                             env=ctx.env or None)
        srv = server.wait(SERVER_FINISH_S if not client.failure() else 2.0)
        return self._sample(client, srv, variant, int(work))

    def _sample(self, client: ProcResult, srv: ProcResult, variant: Variant,
                work: int) -> Sample:
        """Sample from the two processes' results."""
        rss = srv.rss_kb if self.bench.fixed_client else max(srv.rss_kb, client.rss_kb)
        extra = {"server_rss_kb": srv.rss_kb, "client_rss_kb": client.rss_kb,
                 "rss_source": srv.rss_source}
        for who, res in (("client", client), ("server", srv)):
            if res.failure():
                said = client.stdout.strip().splitlines()[:1] if who == "server" else []
                return Sample(ok=False, wall_s=client.wall_s, rss_kb=rss, extra=extra,
                              error=f"{who}: {res.failure()}"
                                    + (f" (client said: {said[0]})" if said else ""))
        seconds, client_lines = elapsed_of(self.owner.clean(variant, client.stdout))
        if not seconds or seconds <= 0:
            return Sample(ok=False, wall_s=client.wall_s, rss_kb=rss, extra=extra,
                          error="client printed no positive 'elapsed SECONDS' line")
        server_lines = [ln.rstrip() for ln in
                        self.owner.clean(variant, srv.stdout).splitlines()[1:] if ln.strip()]
        value = seconds * 1000.0 if self.bench.unit == "ms" else work / seconds / self.bench.per
        extra["elapsed_s"] = seconds
        return Sample(ok=True, value=value, wall_s=client.wall_s, rss_kb=rss,
                      output="\n".join(client_lines + server_lines) + "\n", extra=extra)


class NetKind(Kind):
    """The client/server network benchmarks of bench/net/."""

    name = "net"
    title = "Network benchmarks (server and client in two processes, loopback)"
    method = (
        "Each benchmark is a server and a client in two processes over 127.0.0.1 (UDP "
        "too) or a unix socket in a temp dir: `bench/net/python/` is plain blocking "
        "CPython sockets, `bench/net/srfi106/` the same protocol in SRFI 106 Scheme run "
        "by polysock.  The server binds port 0 and prints the port; the runner then "
        "starts the client, which times its own work loop (startup excluded) and prints "
        "`elapsed SECONDS`.  Ping-pongs: 50,000 round trips of a 64-byte message, each "
        "echo compared with what was sent.  Bulk: 1 GiB (2^30 B) sent in 64 KiB chunks, "
        "server receives in 64 KiB reads and replies with its byte count; MB = 10^6 B.  "
        "Accept: 10,000 connections opened and closed one after another, the server "
        "writing one byte on each.  The result lines of client and server (counts, "
        "mismatches) must equal the CPython twins'.  Peak RSS is the larger of the two "
        "processes'.  The targets column checks the SRFI 106 column, then (\"each API\") "
        "every polysock-DIALECT column against the same bound.  The table header's unit "
        "is the first row's: each row's title "
        "names its own unit.  The UDP and unix programs use `socket-recvfrom`, "
        "`socket-sendto`, `make-unix-server-socket` and `make-unix-client-socket`, which "
        "SRFI 106 lacks; polysock exports them from `(polysock extras)` "
        "(`bench/net/polysock_shim.py` stops a polysock without them with one clear message).")

    def __init__(self) -> None:
        """No variants prepared yet."""
        self.variants: dict[str, Variant] = {v.label: v for v in VARIANTS}
        self.schemes: dict[str, SchemeImpl] = {s.label: s for s in REAL_SCHEMES}
        self.polysock_argv: list[str] | None = None
        self.dialects: dict[str, str] = {}   # dialect -> "" (runs) or why not
        self.summary: dict = {}
        self.benches = BENCHES

    # -- which variants run -------------------------------------------------

    def polysock_command(self, ctx: Context) -> list[str]:
        """polysock's argv prefix: the shim while (polysock extras) lacks names we use."""
        if self.polysock_argv is None:
            code = ("import sys; sys.path.insert(0, %r); import polysock_shim; "
                    "print(' '.join(polysock_shim.missing()))" % str(NET_DIR))
            p = subprocess.run([*ctx.python, "-c", code], capture_output=True, text=True,
                               timeout=120)
            gaps = p.stdout.split() if p.returncode == 0 else ["?"]
            self.polysock_argv = [*ctx.python, str(SHIM)] if gaps else list(ctx.polysock)
            self.summary["polysock_shim"] = gaps
            if gaps:
                ctx.log(f"  polysock runs through bench/net/polysock_shim.py (missing: "
                        f"{' '.join(gaps)})")
        return self.polysock_argv

    def dialect_problem(self, dialect: str, ctx: Context) -> str:
        """Empty when polysock knows dialect, else why not."""
        if dialect not in self.dialects:
            p = run_process([*self.polysock_command(ctx), "--dialect", dialect, "-e", "1"],
                            timeout=120, cwd=ctx.workdir)
            self.dialects[dialect] = "" if not p.failure() else (
                f"polysock has no dialect {dialect}: " + p.failure())
        return self.dialects[dialect]

    def variant_problem(self, v: Variant, case: "NetCase", ctx: Context) -> str | None:
        """None when v is not offered at all; "" when it runs; else why it does not."""
        if not (NET_DIR / v.source).is_dir():
            return None
        for label, why in case.bench.skip:
            if label == v.label:
                return why
        for role in ("server", "client"):
            prog = case.program(v, role)
            if not prog.exists():
                return f"no {prog.relative_to(NET_DIR)}"
        if v.runner == "python":
            return ""
        if v.runner == "polysock":
            if SUBJECT not in ctx.notes:
                ctx.notes[SUBJECT] = polysock_problem(ctx.polysock, ctx.workdir)
            if ctx.notes[SUBJECT]:
                return "polysock not runnable: " + ctx.notes[SUBJECT]
            return self.dialect_problem(v.dialect, ctx) if v.dialect else ""
        s = self.schemes.get(v.runner)
        if s is None:
            return f"unknown runner {v.runner}"
        return "" if s.path() else f"{s.exe} not installed"

    def cases(self, ctx: Context) -> list[Case]:
        """One case per entry of BENCHES."""
        return [self.make_case(name, bench, ctx) for name, bench in self.benches.items()]

    def make_case(self, name: str, bench: NetBench, ctx: Context) -> "NetCase":
        """The case of one benchmark with its runnable and unavailable variants."""
        case = NetCase(name, bench, self, kind=self.name)
        for v in VARIANTS:
            if not ctx.wants(v.label):
                continue
            why = self.variant_problem(v, case, ctx)
            if why is None:
                continue
            if why:
                case.unavailable[v.label] = why
            else:
                case.impls.append(v.label)
        # c10k's bound (issue 8 #3: peak RSS < 1 GB) is not a ratio: the RSS table shows it.
        case.targets = list(RATE_TARGETS) if bench.unit != "ms" and bench.rated else []
        return case

    # -- running --------------------------------------------------------------

    def argv(self, v: Variant, prog: Path, ctx: Context) -> list[str] | str:
        """argv running prog as variant v (arguments are appended), or why it cannot."""
        if v.runner == "python":
            return [*ctx.python, str(prog)]
        if v.runner == "polysock":
            base = self.polysock_command(ctx)
            return [*base, "--dialect", v.dialect, str(prog)] if v.dialect else [*base, str(prog)]
        return self.schemes[v.runner].command(prog, ctx.workdir, ctx.timeout)

    def clean(self, v: Variant, stdout: str) -> str:
        """Program output without implementation chatter."""
        s = self.schemes.get(v.runner)
        return s.clean(stdout) if s and v.runner not in ("python", "polysock") else stdout

    def prepare(self, ctx: Context, cases: list[Case]) -> None:
        """Raise the open-file limit for c10k; settle the polysock command."""
        if any(getattr(c, "bench", None) and c.bench.fixed_client for c in cases):
            need = max(c.work(ctx) for c in cases if isinstance(c, NetCase)) + 256
            self.summary["nofile"] = raise_nofile(need)
        if any(SUBJECT in c.impls for c in cases):
            self.polysock_command(ctx)


class C10kKind(NetKind):
    """10,000 concurrent connections: one server process, green threads vs OS threads."""

    name = "net-c10k"
    title = "10,000 concurrent connections (one server process)"
    method = (
        "One server process holds 10,000 connections at once: polysock runs "
        "`bench/net/srfi106/c10k-server.scm`, one SRFI 18 green thread per connection "
        "(SRFI 106 sockets); the baseline is `bench/net/python/c10k-server.py`, one OS "
        "thread per connection (blocking sockets, 256 KiB stacks).  The client, the same "
        "for both, is `bench/net/python/c10k-client.py` in a second process (one "
        "`selectors` loop): it opens all 10,000 connections (each greeted by the server "
        "with one byte; at most 100 awaiting their greeting, so the 128-deep listen "
        "backlog never overflows), and only when all are open sends each a distinct "
        "64-byte message and checks its echo; after the last echo it sends each a "
        "one-byte goodbye, on which the server closes first (TIME_WAIT stays on the "
        "server's side).  Time = opening plus all echoes, measured by the client.  The checked output is "
        "the client's count of connections held together and echoes verified and the "
        "server's connection count, peak concurrency and echo count, so any shortfall "
        "is a failure.  Peak RSS is the server's.  The runner and the client raise "
        "`ulimit -n` (RLIMIT_NOFILE) as needed.")

    def __init__(self) -> None:
        """The single c10k case."""
        super().__init__()
        self.benches = {"c10k": C10K}


register(NetKind())
register(C10kKind())
