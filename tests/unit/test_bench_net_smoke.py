"""Network benchmark smoke run: every benchmark once at quick size, correctness only.

A regression guard that is not a timed test (issue 8): each benchmark's server and
client run in two processes over loopback on CPython and on polysock, and the
counts they print (round trips echoed and verified, bytes counted, connections
accepted, connections held together) must be the expected ones and equal between
the two.  Speed is never checked.  When polysock cannot run, the tests FAIL.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.core import Context, run_case  # noqa: E402
from bench.impls import default_polysock, default_python, polysock_problem  # noqa: E402
from bench.kinds import net  # noqa: E402

Q = {name: b.quick for name, b in net.BENCHES.items()} | {"c10k": net.C10K.quick}

EXPECTED = {
    "tcp-pingpong": [f"client: {Q['tcp-pingpong']} round trips of 64 bytes, 0 mismatches",
                     f"server: echoed {Q['tcp-pingpong']} messages"],
    "tcp-bulk": [f"client: sent {Q['tcp-bulk']} bytes, server counted {Q['tcp-bulk']}",
                 f"server: received {Q['tcp-bulk']} bytes"],
    "tcp-bulk-16m": [f"client: sent {Q['tcp-bulk-16m']} bytes, server counted {Q['tcp-bulk-16m']}",
                     f"server: received {Q['tcp-bulk-16m']} bytes"],
    "tcp-accept": [f"client: {Q['tcp-accept']} connections, {Q['tcp-accept']} replies",
                   f"server: accepted {Q['tcp-accept']} connections"],
    "udp-pingpong": [f"client: {Q['udp-pingpong']} round trips of 64 bytes, 0 mismatches",
                     f"server: answered {Q['udp-pingpong']} datagrams"],
    "unix-pingpong": [f"client: {Q['unix-pingpong']} round trips of 64 bytes, 0 mismatches",
                      f"server: echoed {Q['unix-pingpong']} messages"],
    "c10k": [f"client: {Q['c10k']} connections, {Q['c10k']} held open together, "
             f"{Q['c10k']} echoes verified",
             f"server: {Q['c10k']} connections, peak {Q['c10k']} concurrent, "
             f"{Q['c10k']} echoed"],
}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """A one-run, quick-size context with only CPython and polysock; polysock must run."""
    c = Context(repo=REPO, workdir=tmp_path_factory.mktemp("bench-net"), runs=1, warmup=0,
                quick=True, timeout=60.0, polysock=default_polysock(), python=default_python(),
                impl_filter=set(), log=lambda s: None)
    c.notes["polysock"] = polysock_problem(c.polysock, c.workdir)
    return c


def test_every_benchmark_has_both_programs() -> None:
    """Each benchmark has a CPython and a SRFI 106 server/client pair (c10k: server only)."""
    for name, bench in net.BENCHES.items():
        for source, ext in (("python", "py"), ("srfi106", "scm")):
            for role in ("server", "client"):
                assert (net.NET_DIR / source / f"{bench.programs or name}-{role}.{ext}").is_file()
    assert (net.NET_DIR / "srfi106" / "c10k-server.scm").is_file()
    assert (net.NET_DIR / net.C10K.fixed_client).is_file()


def test_elapsed_line_parsing() -> None:
    """The client's timing line is split from its result lines (decimal or rational)."""
    assert net.elapsed_of("client: 3 ok\nelapsed 0.25\n") == (0.25, ["client: 3 ok"])
    assert net.elapsed_of("elapsed 1/4\nx\n") == (0.25, ["x"])
    assert net.elapsed_of("client: no time\n") == (None, ["client: no time"])


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", [*net.BENCHES, "c10k"])
def test_benchmark_runs_correctly(ctx: Context, name: str) -> None:
    """Both implementations run the benchmark and print the expected counts."""
    assert not ctx.notes["polysock"], "polysock not runnable: " + ctx.notes["polysock"]
    kind = net.C10kKind() if name == "c10k" else net.NetKind()
    case = next(c for c in kind.cases(ctx) if c.name == name)
    assert case.impls[:2] == ["python", "polysock"], case.unavailable
    kind.prepare(ctx, [case])
    records = run_case(case, ctx)
    for impl in ("python", "polysock"):
        rec = records[impl]
        assert rec.status == "ok", f"{impl}: {rec.status}: {rec.reason}"
        (sample,) = rec.samples
        assert sample.output.splitlines() == EXPECTED[name], f"{impl}: {sample.output!r}"
        assert sample.value is not None and sample.value > 0
        assert sample.extra["server_rss_kb"] > 0 and sample.extra["elapsed_s"] > 0
