"""CHICKEN conformance: seed 001's example programs (unmodified) and client/server pairs,
run with ``polysock --dialect chicken`` and compared with their expected transcripts.

A program ``P.scm`` has ``P.expected`` (its standard output) and optionally ``P.exit``
("nonzero" or a number; default 0). ``X-server.scm`` / ``X-client.scm`` run as a pair:
the server starts first, the client when the server's port is listening (``PAIRS``).
Programs named ``csi-*`` need no egg, so they are also run on real CHICKEN (``csi``)
when it is installed, and polysock's output must equal csi's (differential test).
Programs named ``egg-*`` are the differential corpus for the socket egg: their
``.expected`` transcripts were recorded from CHICKEN 5.3 with the socket egg 0.3.3 by
``chicken/record.py`` (which re-records them when csi and the egg are present). Where
polysock differs on purpose, ``P.polysock-expected`` is what polysock must print and
``P.note`` says why; when the egg is installed, csi must still print ``P.expected``.
Everything runs serially, on 127.0.0.1, in a fresh temporary directory, with timeouts.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

HERE = Path(__file__).parent / "chicken"
PAIRS = {"echo": 17623, "csi-tcp": 17624}
TIMEOUT = 60
SOLO = sorted(p.stem for p in HERE.glob("*.scm")
              if not any(p.stem in (f"{k}-server", f"{k}-client") for k in PAIRS))


def polysock_cmd(prog: Path) -> List[str]:
    return [sys.executable, "-m", "polysock", "--dialect", "chicken", str(prog)]


def csi_cmd(prog: Path) -> List[str]:
    return ["csi", "-s", str(prog)]


def _env() -> dict:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(cmd: List[str], cwd: Path) -> Tuple[int, str, str]:
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=_env())
    return p.returncode, p.stdout, p.stderr


def listening(port: int) -> bool:
    """True when something listens on TCP *port* (read from /proc, never connecting)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False


def wait_free(port: int) -> None:
    deadline = time.monotonic() + 10
    while listening(port) and time.monotonic() < deadline:
        time.sleep(0.05)


def run_pair(name: str, make_cmd, tmp: Path) -> Tuple[Tuple[int, str, str], Tuple[int, str, str]]:
    port = PAIRS[name]
    wait_free(port)
    server = subprocess.Popen(make_cmd(HERE / f"{name}-server.scm"), cwd=tmp, env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                out, err = server.communicate()
                pytest.fail(f"{name} server did not listen: rc={server.returncode} {out} {err}")
            time.sleep(0.05)
        client = run(make_cmd(HERE / f"{name}-client.scm"), tmp)
        out, err = server.communicate(timeout=TIMEOUT)
        return (server.returncode, out, err), client
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def expected(stem: str) -> Tuple[str, Optional[str]]:
    own = HERE / f"{stem}.polysock-expected"
    out = (own if own.exists() else HERE / f"{stem}.expected").read_text()
    code = HERE / f"{stem}.exit"
    return out, code.read_text().strip() if code.exists() else "0"


def check(stem: str, result: Tuple[int, str, str]) -> None:
    rc, out, err = result
    want_out, want_rc = expected(stem)
    assert out == want_out, f"{stem}: stdout differs\n--- got\n{out}\n--- stderr\n{err}"
    if want_rc == "nonzero":
        assert rc != 0, f"{stem}: expected a failure exit, got 0"
    else:
        assert rc == int(want_rc or 0), f"{stem}: exit {rc}\n{err}"


@pytest.mark.parametrize("stem", SOLO)
def test_program(stem: str, tmp_path: Path) -> None:
    for port in (8000, 8080):
        wait_free(port)
    check(stem, run(polysock_cmd(HERE / f"{stem}.scm"), tmp_path))


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_client_server(name: str, tmp_path: Path) -> None:
    server, client = run_pair(name, polysock_cmd, tmp_path)
    check(f"{name}-client", client)
    check(f"{name}-server", server)


needs_csi = pytest.mark.skipif(shutil.which("csi") is None, reason="CHICKEN (csi) not installed")


@needs_csi
@pytest.mark.parametrize("stem", [s for s in SOLO if s.startswith("csi-")])
def test_differential_program(stem: str, tmp_path: Path) -> None:
    ours = run(polysock_cmd(HERE / f"{stem}.scm"), tmp_path)
    theirs = run(csi_cmd(HERE / f"{stem}.scm"), tmp_path)
    assert ours[1] == theirs[1]
    assert (ours[0] == 0) == (theirs[0] == 0)


@needs_csi
@pytest.mark.parametrize("name", [n for n in sorted(PAIRS) if n.startswith("csi-")])
def test_differential_pair(name: str, tmp_path: Path) -> None:
    ours = run_pair(name, polysock_cmd, tmp_path)
    theirs = run_pair(name, csi_cmd, tmp_path)
    assert ours[0][1] == theirs[0][1]
    assert ours[1][1] == theirs[1][1]


def _egg_installed() -> bool:
    if shutil.which("csi") is None:
        return False
    p = subprocess.run(["csi", "-e", "(import socket)"], capture_output=True, text=True, timeout=30)
    return p.returncode == 0


EGG_CORPUS = [s for s in SOLO if s.startswith("egg-")]
needs_egg = pytest.mark.skipif(not _egg_installed(), reason="the CHICKEN socket egg is not installed "
                               "(see docs/dialects/chicken.md for building it offline)")


def test_egg_corpus_size() -> None:
    """Acceptance: at least 30 recorded programs, each with a transcript and no stray notes."""
    assert len(EGG_CORPUS) >= 30
    for stem in EGG_CORPUS:
        assert (HERE / f"{stem}.expected").exists(), stem
        assert (HERE / f"{stem}.polysock-expected").exists() == (HERE / f"{stem}.note").exists(), stem


@needs_egg
@pytest.mark.parametrize("stem", EGG_CORPUS)
def test_recording_still_matches_real_chicken(stem: str, tmp_path: Path) -> None:
    """With the egg installed, csi still prints the recorded transcript."""
    rc, out, _ = run(csi_cmd(HERE / f"{stem}.scm"), tmp_path)
    assert out == (HERE / f"{stem}.expected").read_text()
    assert (rc == 0) == (not (HERE / f"{stem}.exit").exists())


@needs_egg
@pytest.mark.parametrize("name", ["echo"])
def test_differential_socket_egg(name: str, tmp_path: Path) -> None:
    ours = run_pair(name, polysock_cmd, tmp_path)
    theirs = run_pair(name, csi_cmd, tmp_path)
    assert ours[0][1] == theirs[0][1]
    assert ours[1][1] == theirs[1][1]
