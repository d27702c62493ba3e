"""Benchmark smoke run: each Scheme benchmark prints what its Python twin prints.

A regression guard on correctness, never on speed (issue 8): the workloads run
at their quick sizes.  When polysock cannot run these tests FAIL with the reason;
they never skip.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.core import Context, run_case, stats, summarise  # noqa: E402
from bench.impls import default_polysock, default_python, polysock_problem  # noqa: E402
from bench.kinds import cpu  # noqa: E402

NAMES = list(cpu.BENCHMARKS)


def quick_context(workdir: Path) -> Context:
    """A one-run, no-warm-up, quick-size context writing into workdir."""
    return Context(repo=REPO, workdir=workdir, runs=1, warmup=0, quick=True, timeout=60.0,
                   polysock=default_polysock(), python=default_python(), impl_filter=set(),
                   log=lambda s: None)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """Shared quick context; polysock must be runnable."""
    c = quick_context(tmp_path_factory.mktemp("bench"))
    c.notes["polysock"] = polysock_problem(c.polysock, c.workdir)
    return c


def test_every_scheme_benchmark_has_a_python_twin_with_the_same_sizes() -> None:
    """Each NAME.scm has NAME.py, both listed, with identical @size tags."""
    on_disk = {p.stem for p in cpu.CPU_DIR.glob("*.scm")}
    assert on_disk == set(NAMES)
    for name in NAMES:
        scm = cpu.size_tags((cpu.CPU_DIR / f"{name}.scm").read_text())
        py = cpu.size_tags((cpu.CPU_DIR / f"{name}.py").read_text())
        assert scm and scm == py, name


def test_required_benchmarks_and_variants_are_present() -> None:
    """Issue 2 #6: the five workloads and the set!/mutual/first-class variants."""
    for name in ("fib", "tak", "sum", "strings", "sort-assoc", "fib-set", "fib-mutual",
                 "fib-firstclass", "sum-set", "tak-firstclass"):
        assert name in cpu.BENCHMARKS


def test_sized_source_replaces_only_the_tagged_constant() -> None:
    """Quick mode rewrites the @size value and nothing else."""
    scm = "(define size 30) ; @size quick=16\n(define other 30)\n"
    assert cpu.sized_source(scm, True) == "(define size 16) ; @size quick=16\n(define other 30)\n"
    assert cpu.sized_source(scm, False) == scm
    py = "size = 10000000  # @size quick=100000\nx = 30\n"
    assert cpu.sized_source(py, True) == "size = 100000  # @size quick=100000\nx = 30\n"


def test_stats_median_and_spread() -> None:
    """Median of an odd sample and spread relative to it."""
    s = stats([10.0, 12.0, 11.0, 30.0, 9.0])
    assert s["median"] == 11.0 and s["min"] == 9.0 and s["max"] == 30.0
    assert s["spread_pct"] == pytest.approx(21.0 / 11.0 * 100.0)


def test_network_targets_are_checked_through_each_api() -> None:
    """A target holds for the subject and, listed apart, for every API column."""
    from bench.report import target_text
    case = {"subject": "polysock", "impls": {
        "python": {"median": 100.0}, "csi": {"median": 200.0},
        "polysock": {"median": 250.0}, "polysock-scsh": {"median": 210.0},
        "polysock-scm": {"median": 150.0}, "polysock-mit": {"status": "failed"},
        "guile": {"median": 999.0}},
        "targets": [{"against": "python", "op": ">=", "limit": 0.9, "ratio": 2.5, "met": True},
                    {"against": "csi", "op": ">=", "limit": 1.0, "ratio": 1.25, "met": True}]}
    assert target_text(case) == ("vs CPython >= 0.9: met, each API: met (2); "
                                 "vs csi >= 1: met, each API: **NOT met** by polysock-scm 0.75")
    cpu_case = {"subject": "polysock", "impls": {"python": {"median": 1.0},
                                                 "polysock": {"median": 3.0}},
                "targets": [{"against": "python", "op": "<=", "limit": 2, "ratio": 3.0,
                             "met": False}]}
    assert target_text(cpu_case) == "vs CPython <= 2: **NOT met**"


def test_wrong_result_is_a_failure(tmp_path: Path) -> None:
    """run_case marks an implementation whose output differs from the baseline as wrong."""
    c = quick_context(tmp_path)
    case = cpu.CpuCase("fib", "fib", cpu.CpuKind(), ["python", "liar"])
    from bench.core import Sample
    real = case.measure

    def measure(impl: str, ctx: Context) -> Sample:
        """The baseline runs for real; 'liar' prints a wrong number."""
        return real(impl, ctx) if impl == "python" else Sample(ok=True, value=1.0, output="1\n")
    case.measure = measure  # type: ignore[method-assign]
    records = run_case(case, c)
    assert records["python"].status == "ok"
    assert records["liar"].status == "wrong" and "outputs differ" in records["liar"].reason
    assert summarise(case, records)["impls"]["liar"]["status"] == "wrong"


@pytest.mark.parametrize("name", NAMES)
def test_scheme_output_equals_python_twin(name: str, ctx: Context) -> None:
    """polysock running NAME.scm prints exactly what CPython running NAME.py prints."""
    if ctx.notes["polysock"]:
        pytest.fail("polysock not runnable: " + ctx.notes["polysock"], pytrace=False)
    case = cpu.CpuCase(name, name, cpu.CpuKind())
    want = case.measure("python", ctx)
    assert want.ok, want.error
    got = case.measure("polysock", ctx)
    assert got.ok, f"polysock failed on {name}.scm: {got.error}"
    assert got.output == want.output


def test_runner_quick_smoke_run(tmp_path: Path) -> None:
    """bench/run --quick --runs 1 on two benchmarks exits 0 with both columns correct."""
    out = tmp_path / "quick.json"
    p = subprocess.run([sys.executable, str(REPO / "bench" / "run"), "--quick", "--runs", "1",
                        "--only", "fib,sum-set", "--impls", "", "--out", str(out), "-q"],
                       capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.exists(), p.stderr
    cases = json.loads(out.read_text())["kinds"]["cpu"]["cases"]
    assert set(cases) == {"fib", "sum-set"}
    assert cases["fib"]["impls"]["python"]["status"] == "ok"
    assert p.returncode == 0, p.stderr.strip()
    for c in cases.values():
        assert c["impls"]["polysock"]["status"] == "ok"
        assert len(c["impls"]["polysock"]["values"]) == 1
