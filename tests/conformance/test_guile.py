"""Guile conformance: every program in tests/conformance/guile/ runs on polysock and
prints the transcript recorded from real Guile 3.0 (``NN_name.expected``). Server/client
pairs (``NN_server.scm`` + ``NN_client.scm``) run together on 127.0.0.1 with their own
fixed port. When ``guile`` is installed, the differential test also runs each program on
it and compares live; otherwise that test skips. Programs run serially with timeouts."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from typing import Dict, List

import pytest

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "guile")
POLYSOCK_CMD = [sys.executable, "-m", "polysock", "--dialect", "guile"]
GUILE_CMD = ["guile", "--no-auto-compile"]
TIMEOUT = 30


def programs() -> List[List[str]]:
    """Each test program: [file] or [server, client]."""
    files = sorted(f for f in os.listdir(HERE) if f.endswith(".scm"))
    out: List[List[str]] = []
    for f in files:
        if f.endswith("_client.scm"):
            continue
        if f.endswith("_server.scm"):
            out.append([f, f.replace("_server.scm", "_client.scm")])
        else:
            out.append([f])
    return out


def run_program(cmd: List[str], prog: List[str]) -> Dict[str, str]:
    """Run one program (or a server/client pair); {file: stdout}."""
    env = dict(os.environ, GUILE_AUTO_COMPILE="0")
    if len(prog) == 1:
        p = subprocess.run(cmd + [prog[0]], cwd=HERE, capture_output=True, text=True, timeout=TIMEOUT, env=env)
        return {prog[0]: p.stdout}
    server = subprocess.Popen(cmd + [prog[0]], cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env)
    try:
        time.sleep(0.3)
        client = subprocess.run(cmd + [prog[1]], cwd=HERE, capture_output=True, text=True,
                                timeout=TIMEOUT, env=env)
        s_out, _ = server.communicate(timeout=TIMEOUT)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    return {prog[0]: s_out, prog[1]: client.stdout}


IDS = [p[0][:-4] for p in programs()]


@pytest.mark.timeout(90)
@pytest.mark.parametrize("prog", programs(), ids=IDS)
def test_transcript_matches_recorded_guile(prog: List[str]) -> None:
    got = run_program(POLYSOCK_CMD, prog)
    for name, text in got.items():
        with open(os.path.join(HERE, name[:-4] + ".expected"), encoding="utf-8") as f:
            assert text == f.read(), name


@pytest.mark.timeout(90)
@pytest.mark.skipif(shutil.which("guile") is None, reason="real Guile is not installed")
@pytest.mark.parametrize("prog", programs(), ids=IDS)
def test_differential_against_real_guile(prog: List[str]) -> None:
    assert run_program(POLYSOCK_CMD, prog) == run_program(GUILE_CMD, prog)


def test_corpus_size() -> None:
    assert len(programs()) >= 30
