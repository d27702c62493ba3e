"""Command line of the benchmark runner (bench/run, python -m bench).

Exit status: 0 when every benchmark ran and gave the right result; 1 when some
implementation failed or printed a wrong result; 2 when polysock itself is not
runnable (the CPython and real-Scheme columns are still measured and written).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

from bench import report
from bench.core import SUBJECT, Context, run_case, summarise
from bench.impls import default_polysock, default_python, polysock_problem, polysock_version
from bench.kinds import load_all

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DOCS = REPO / "docs" / "BENCHMARKS.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(
        prog="bench/run",
        description="Run the benchmarks on polysock, CPython and any installed real Scheme, "
                    "interleaved, and record medians, spreads, peak RSS and ratios.")
    p.add_argument("--runs", type=int, default=5, help="measured runs per implementation (5)")
    p.add_argument("--warmup", type=int, default=None,
                   help="unmeasured warm-up runs per implementation (1; 0 with --quick)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run with small workloads (POLYSOCK_BENCH_SCALE=quick); "
                        "writes bench/results/quick.json and leaves the docs alone")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only these kinds or benchmarks (NAME, KIND or KIND/NAME; "
                        "repeatable, comma-separated)")
    p.add_argument("--impls", default=None, metavar="LIST",
                   help="comma-separated real Schemes to include (default: all installed)")
    p.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    p.add_argument("--timeout", type=float, default=600.0, help="per-process timeout, s")
    p.add_argument("--out", type=Path, default=None, help="results JSON path")
    p.add_argument("--docs", type=Path, default=None,
                   help=f"Markdown to rewrite (default {DOCS.relative_to(REPO)}; not with --quick)")
    p.add_argument("--no-docs", action="store_true", help="do not rewrite the Markdown")
    p.add_argument("--render", action="store_true",
                   help="only rewrite the Markdown from the results file, run nothing")
    p.add_argument("--fresh", action="store_true",
                   help="replace the results file instead of merging into it")
    p.add_argument("--polysock", default=None, metavar="CMD",
                   help="command running polysock (default: the console script next to "
                        "this Python, else 'python -m polysock'; env POLYSOCK_BENCH_POLYSOCK)")
    p.add_argument("--python", default=None, metavar="CMD",
                   help="command running the CPython baseline (default: this interpreter)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    return p.parse_args(argv)


def selected(only: list[str], kind: str, name: str) -> bool:
    """True when the --only filters admit kind/name."""
    words = [w for o in only for w in o.split(",") if w]
    return not words or any(w in (kind, name, f"{kind}/{name}") for w in words)


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks; return the exit status."""
    args = parse_args(argv)
    log = (lambda s: None) if args.quiet else (lambda s: print(s, flush=True))
    if args.render:
        out = args.out or RESULTS / "latest.json"
        docs = args.docs or DOCS
        report.write_docs(docs, report.load(out))
        print(f"docs: {docs} (from {out})")
        return 0
    with tempfile.TemporaryDirectory(prefix="polysock-bench-") as tmp:
        env = dict(os.environ, POLYSOCK_BENCH_SCALE="quick" if args.quick else "full")
        ctx = Context(
            repo=REPO, workdir=Path(tmp), runs=max(1, args.runs),
            warmup=args.warmup if args.warmup is not None else (0 if args.quick else 1),
            quick=args.quick, timeout=args.timeout, env=env,
            polysock=shlex.split(args.polysock) if args.polysock else default_polysock(),
            python=shlex.split(args.python) if args.python else default_python(),
            impl_filter=set(args.impls.split(",")) if args.impls is not None else None,
            log=log)
        kinds = load_all()
        plan = []
        for kname, kind in kinds.items():
            cases = [c for c in kind.cases(ctx) if selected(args.only, kname, c.name)]
            if cases:
                plan.append((kname, kind, cases))
        if args.list:
            for kname, kind, cases in plan:
                for c in cases:
                    print(f"{kname}/{c.name}\t{c.title}")
            return 0
        if not plan:
            print(f"no benchmark matches --only {' '.join(args.only)}", file=sys.stderr)
            return 1
        if SUBJECT not in ctx.notes:
            ctx.notes[SUBJECT] = polysock_problem(ctx.polysock, ctx.workdir)
        note = ctx.notes[SUBJECT]
        if note:
            print(f"polysock not runnable: {note}", file=sys.stderr, flush=True)
        machine = report.machine_info(REPO, "" if note else polysock_version(ctx.polysock), note)
        run = {"date": machine["date"], "rev": machine["polysock_rev"], "runs": ctx.runs,
               "quick": ctx.quick}
        results: dict[str, dict] = {}
        failed = False
        for kname, kind, cases in plan:
            log(f"== {kind.title}: preparing")
            kind.prepare(ctx, cases)
            summaries = []
            for case in cases:
                log(f"== {kname}/{case.name}: {case.title}")
                records = run_case(case, ctx)
                summaries.append(summarise(case, records))
                failed |= any(r.status in ("wrong", "failed") for r in records.values())
            results[kname] = {"title": kind.title, "method": kind.method,
                              "summary": getattr(kind, "summary", {}),
                              "cases": summaries, "order": [c.name for c in cases]}
        out = args.out or RESULTS / ("quick.json" if args.quick else "latest.json")
        doc = report.merge({"schema": report.SCHEMA, "kinds": {}} if args.fresh
                           else report.load(out), machine, run, results)
        report.save(out, doc)
        print(report.console_table(results))
        print(f"results: {out}")
        docs = args.docs or (None if args.quick else DOCS)
        if docs is not None and not args.no_docs:
            report.write_docs(docs, doc)
            print(f"docs: {docs}")
        if failed:
            print("FAILED: some benchmark failed or printed a wrong result", file=sys.stderr)
            return 1
        if note:
            print(f"polysock not runnable: {note}", file=sys.stderr)
            return 2
        return 0
