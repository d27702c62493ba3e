"""MIT/GNU Scheme conformance: tests/conformance/mit/*.scm against *.expected.

Each program is a server and a client in one process on loopback (each its own port),
run with ``polysock --dialect mit``; its standard output must equal the transcript.
The transcripts were recorded from MIT/GNU Scheme 12.1 where it agrees with the seed
(the manual's section "TCP Sockets"); ``REAL_DIFFERS`` lists the programs where 12.1
departs from the seed and the transcript follows the seed instead. The differential
test runs every other program on the real ``mit-scheme`` when it is installed.
``19-seed-www.scm`` is the seed's own example, ``(open-tcp-stream-socket "" "www")``:
both systems signal bad-range-argument for the empty host name.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from typing import List

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
MIT_DIR = os.path.join(HERE, "mit")
PROGRAMS = sorted(f for f in os.listdir(MIT_DIR) if f.endswith(".scm"))
ERRORS = {"19-seed-www.scm": "open-tcp-stream-socket-channel"}
REAL_DIFFERS = {
    "06-numeric-service.scm": "12.1 looks a digit string up as a service name; the seed allows a port string",
    "09-crlf-output.scm": "12.1 writes LF for newline on TCP ports; the seed (and 9.x) write CR LF",
    "10-line-translation.scm": "12.1 accepts no fourth line-translation argument; the seed documents it",
}
TIMEOUT = 30
REAL = shutil.which("mit-scheme")


def _expected(prog: str) -> str:
    with open(os.path.join(MIT_DIR, prog[:-4] + ".expected"), encoding="utf-8") as f:
        return f.read()


def _run(cmd: List[str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(cmd, cwd=MIT_DIR, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=TIMEOUT)


@pytest.mark.parametrize("prog", PROGRAMS)
def test_program(prog: str) -> None:
    r = _run(["polysock", "--dialect", "mit", prog])
    assert r.stdout == _expected(prog)
    if prog in ERRORS:
        assert r.returncode == 14 and ERRORS[prog] in r.stderr
    else:
        assert r.returncode == 0, r.stderr


def test_at_least_fifteen_programs() -> None:
    assert len(PROGRAMS) >= 15


@pytest.mark.skipif(REAL is None, reason="MIT/GNU Scheme is not installed")
@pytest.mark.parametrize("prog", PROGRAMS)
def test_differential_real_mit(prog: str) -> None:
    if prog in REAL_DIFFERS:
        pytest.skip("seed wins: " + REAL_DIFFERS[prog])
    real = _run([str(REAL), "--quiet", "--load", prog, "--eval", "(exit)"])
    if prog in ERRORS:
        assert "passed as an argument to open-tcp-stream-socket-channel, is not in the correct range" in real.stdout
        return
    assert real.stdout == _expected(prog)
