"""Benchmark model shared by every benchmark kind: metrics, samples, cases, kinds.

Theory of operation
-------------------
A *kind* (CPU, network, ...) is a module under ``bench/kinds/`` that calls
``register(kind)`` at import time.  The runner imports every such module, asks
each registered kind for its *cases* and drives them all the same way:

* ``kind.prepare(ctx, cases)`` once (detect implementations, measure startup,
  compile, ...);
* for every case, a warm-up round and then ``ctx.runs`` measured rounds; in each
  round every implementation of the case runs once (``case.measure(impl, ctx)``),
  so the implementations are interleaved side by side rather than run in
  blocks; the first round runs the baseline first, later odd rounds reverse the
  order to cancel drift;
* every sample's output is compared with the baseline implementation's first
  output (``case.reference``): a wrong result is a failure, not a data point;
* ``summarise`` turns the samples into medians, spreads, peak RSS, ratios and
  target verdicts, which ``bench.report`` writes as JSON and Markdown.

A new kind needs only: a ``Kind`` subclass whose ``cases`` returns objects
satisfying ``Case`` (name, title, metric, baseline, subject, impls, targets,
unavailable, measure).  Nothing in the runner knows what a kind measures.
"""

from __future__ import annotations

import operator
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

SUBJECT = "polysock"
BASELINE = "python"


@dataclass(frozen=True, slots=True)
class Metric:
    """What a case measures: a name, a unit and which direction is better."""

    name: str
    unit: str
    better: str  # "lower" or "higher"


TIME_MS = Metric("time", "ms", "lower")


@dataclass(frozen=True, slots=True)
class Target:
    """An acceptance bound on the ratio subject/against (op: <, <=, >, >=)."""

    against: str
    op: str
    limit: float
    source: str = ""

    def met(self, ratio: float) -> bool:
        """True when ratio satisfies the bound."""
        return COMPARE[self.op](ratio, self.limit)


COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(slots=True)
class Sample:
    """One measured run of one implementation of one case."""

    ok: bool
    value: float | None = None  # in the case's metric unit
    wall_s: float = 0.0
    rss_kb: int = 0
    output: str = ""
    error: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    """Settings and shared state of one benchmark run."""

    repo: Path
    workdir: Path
    runs: int = 5
    warmup: int = 1
    quick: bool = False
    timeout: float = 600.0
    env: dict[str, str] = field(default_factory=dict)
    polysock: list[str] = field(default_factory=list)
    python: list[str] = field(default_factory=list)
    impl_filter: set[str] | None = None
    log: Callable[[str], None] = print
    notes: dict[str, str] = field(default_factory=dict)  # impl label -> status note

    def wants(self, impl: str) -> bool:
        """True unless --impls excluded impl (baseline and subject always run)."""
        return (self.impl_filter is None or impl in self.impl_filter
                or impl in (BASELINE, SUBJECT))


class Case(Protocol):
    """One benchmark as the runner sees it."""

    kind: str
    name: str
    title: str
    metric: Metric
    baseline: str
    subject: str
    impls: list[str]  # runnable implementations, in run order (baseline first)
    unavailable: dict[str, str]  # implementation -> why it does not run
    targets: list[Target]

    def measure(self, impl: str, ctx: Context) -> Sample:
        """Run impl once and return its sample (ok=False with error on failure)."""
        ...


class Kind:
    """A family of benchmarks; subclasses override cases (and maybe prepare)."""

    name = ""
    title = ""
    method = ""  # Markdown paragraph describing how the kind measures

    def cases(self, ctx: Context) -> list[Case]:
        """The cases of this kind."""
        raise NotImplementedError

    def prepare(self, ctx: Context, cases: list[Case]) -> None:
        """One-time set-up before the selected cases run."""


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add kind to the registry (called at import time by bench/kinds/*.py)."""
    KINDS[kind.name] = kind
    return kind


@dataclass(slots=True)
class ImplRecord:
    """All samples of one implementation of one case, and its verdict."""

    status: str = "ok"  # ok | failed | wrong | unavailable
    reason: str = ""
    samples: list[Sample] = field(default_factory=list)


def run_case(case: Case, ctx: Context) -> dict[str, ImplRecord]:
    """Run case interleaved: warm-up, then ctx.runs rounds over its implementations."""
    records = {impl: ImplRecord() for impl in case.impls}
    for impl, why in case.unavailable.items():
        records[impl] = ImplRecord("unavailable", why)
    reference: list[str] = []
    rounds = [("warm-up", i) for i in range(ctx.warmup)] + [("run", i) for i in range(ctx.runs)]
    for phase, i in rounds:
        order = list(case.impls)
        if phase == "run" and i % 2 == 1:
            order.reverse()  # the reference output is already known by now
        for impl in order:
            rec = records[impl]
            if rec.status != "ok":
                continue
            s = case.measure(impl, ctx)
            if s.ok and impl == case.baseline and not reference:
                reference.append(s.output)
            if s.ok and impl != case.baseline and not reference:
                s.ok, s.error = False, "no reference output (baseline failed)"
            if s.ok and s.output != reference[0]:
                s.ok = False
                s.error = "wrong result: " + describe_mismatch(reference[0], s.output)
                rec.status = "wrong"
            elif not s.ok:
                rec.status = "failed"
            if rec.status != "ok":
                rec.reason = s.error
                ctx.log(f"  {case.name} [{impl}] {rec.status}: {s.error}")
            elif phase == "run":
                rec.samples.append(s)
                ctx.log(f"  {case.name} [{impl}] run {i + 1}: {s.value:.1f} {case.metric.unit}"
                        f"  rss {s.rss_kb / 1024:.1f} MB")
    return records


def describe_mismatch(expected: str, got: str, width: int = 60) -> str:
    """Short description of the first difference between two outputs."""
    for n, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            break
    else:
        n = min(len(expected), len(got))
    lo = max(0, n - 10)
    return (f"outputs differ at char {n}: expected {expected[lo:lo + width]!r}, "
            f"got {got[lo:lo + width]!r}")


def stats(values: list[float]) -> dict[str, float]:
    """Median, min, max and spread ((max - min) / median, percent) of values."""
    med = statistics.median(values)
    lo, hi = min(values), max(values)
    spread = (hi - lo) / med * 100.0 if med else 0.0
    return {"median": med, "min": lo, "max": hi, "spread_pct": spread}


def summarise(case: Case, records: dict[str, ImplRecord]) -> dict:
    """JSON-ready summary of one case: per implementation stats, ratios, targets."""
    impls: dict[str, dict] = {}
    for impl, rec in records.items():
        entry: dict = {"status": rec.status}
        if rec.reason:
            entry["reason"] = rec.reason
        if rec.status == "ok" and rec.samples:
            values = [s.value for s in rec.samples if s.value is not None]
            entry.update(stats(values))
            entry["values"] = values
            entry["wall_s"] = [s.wall_s for s in rec.samples]
            entry["rss_kb_max"] = max(s.rss_kb for s in rec.samples)
            extra: dict = {}
            for key, first in rec.samples[0].extra.items():
                if isinstance(first, (int, float)) and not isinstance(first, bool):
                    extra[key] = statistics.median(s.extra.get(key, first) for s in rec.samples)
                else:
                    extra[key] = first
            if extra:
                entry["extra"] = extra
        impls[impl] = entry
    ratios: dict[str, float] = {}
    subj = impls.get(case.subject, {})
    for impl, entry in impls.items():
        if impl != case.subject and "median" in entry and "median" in subj and entry["median"]:
            ratios[impl] = subj["median"] / entry["median"]
    targets = []
    for t in case.targets:
        ratio = ratios.get(t.against)
        targets.append({"against": t.against, "op": t.op, "limit": t.limit,
                        "source": t.source, "ratio": ratio,
                        "met": None if ratio is None else t.met(ratio)})
    return {"kind": case.kind, "name": case.name, "title": case.title,
            "metric": {"name": case.metric.name, "unit": case.metric.unit,
                       "better": case.metric.better},
            "baseline": case.baseline, "subject": case.subject,
            "impls": impls, "ratios": ratios, "targets": targets}
