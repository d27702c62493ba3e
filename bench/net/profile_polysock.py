"""Profile polysock's side of one network benchmark (cProfile), the peer on CPython.

    python bench/net/profile_polysock.py BENCH {client|server} [WORK] [--top N] [--sort KEY]

Runs the SRFI 106 program of the chosen side on polysock in this process (with the
profiler enabled in polysock's big-stack thread) and the other side as its
blocking-CPython twin in a child process, then prints the top functions.  A
diagnostic for docs/BENCHMARKS.md's profile notes, not a benchmark.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import polysock_shim  # noqa: E402

UNIX = {"unix-pingpong"}


def profiled_polysock(argv: list[str], prof: cProfile.Profile) -> int:
    """Run polysock's command line on argv with prof enabled in its main thread."""
    from polysock import cli
    real = cli.run_on_big_stack

    def run_profiled(fn):  # type: ignore[no-untyped-def]
        def wrapped() -> int:
            prof.enable()
            try:
                return fn()
            finally:
                prof.disable()
        return real(wrapped)

    cli.run_on_big_stack = run_profiled
    try:
        return cli.main(argv)
    finally:
        cli.run_on_big_stack = real


def main() -> int:
    """Run and print the profile."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bench")
    p.add_argument("side", choices=("client", "server"))
    p.add_argument("work", nargs="?", default="20000")
    p.add_argument("--top", type=int, default=35)
    p.add_argument("--sort", default="tottime")
    a = p.parse_args()
    gaps = polysock_shim.missing()
    if gaps:
        p.error("polysock lacks (polysock extras) names: " + " ".join(gaps))
    prof = cProfile.Profile()
    tmp = tempfile.mkdtemp(prefix="polysock-prof-")
    path = os.path.join(tmp, "s")
    scm = lambda role: str(HERE / "srfi106" / f"{a.bench}-{role}.scm")  # noqa: E731
    py = lambda role: str(HERE / "python" / f"{a.bench}-{role}.py")  # noqa: E731
    server_args = [path, a.work] if a.bench in UNIX else [a.work]
    if a.side == "client":
        srv = subprocess.Popen([sys.executable, py("server"), *server_args],
                               stdout=subprocess.PIPE, text=True)
        addr = srv.stdout.readline().strip()
        target = [path] if a.bench in UNIX else ["127.0.0.1", addr]
        profiled_polysock([scm("client"), *target, a.work], prof)
        srv.wait(60)
        print(srv.stdout.read(), end="")
    else:
        r, w = os.pipe()
        result: list[int] = []
        out = os.dup(1)
        os.dup2(w, 1)            # the Scheme server's stdout goes to the pipe; we read the port
        th = threading.Thread(target=lambda: result.append(
            profiled_polysock([scm("server"), *server_args], prof)))
        th.start()
        with os.fdopen(r) as f:
            addr = f.readline().strip()
            os.dup2(out, 1)
            target = [path] if a.bench in UNIX else ["127.0.0.1", addr]
            subprocess.run([sys.executable, py("client"), *target, a.work], check=True)
            th.join(120)
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats(a.sort).print_stats(a.top)
    print(s.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
