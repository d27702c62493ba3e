"""scsh conformance programs (tests/conformance/scsh): run each with polysock, compare stdout.

* ``NAME.scm`` runs alone (its servers are green threads of the same program) and
  must print exactly ``NAME.expected``.
* ``NAME-server.scm`` + ``NAME-client.scm`` are two processes: the server starts
  first; once it is bound (TCP: binding its port fails; unix: its path exists) the
  client runs; then the server must exit by itself. Each prints its ``.expected``.

A program starting with a scsh ``#!`` header runs without ``--dialect`` (the dialect
is detected); the others get ``--dialect scsh``. Each run gets ``SCSH_TEST_PORT`` (a
free loopback port) and ``SCSH_TEST_DIR`` (a fresh directory for unix socket files).
A line ``;; expect-exit: N`` in a program sets its expected exit status (default 0);
``;; listens-on: N`` in a server names the fixed port it binds (a service name's port).
Runs are serial and bounded by timeouts.
"""
from __future__ import annotations

import errno
import os
import re
import socket
import subprocess
import sys
import time
from typing import Dict, List, Tuple

import pytest

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scsh")
TIMEOUT = 60


def _programs() -> Tuple[List[str], List[str]]:
    names = sorted(f[:-4] for f in os.listdir(HERE) if f.endswith(".scm"))
    pairs = sorted(n[:-7] for n in names if n.endswith("-server") and n[:-7] + "-client" in names)
    paired = {p + s for p in pairs for s in ("-server", "-client")}
    return [n for n in names if n not in paired], pairs


SINGLE, PAIRS = _programs()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(path: str) -> List[str]:
    with open(path, encoding="utf-8") as f:
        head = f.read(2)
    cmd = [sys.executable, "-m", "polysock"]
    if head != "#!":
        cmd += ["--dialect", "scsh"]
    return cmd + [path]


def _expected(name: str) -> Tuple[str, int]:
    path = os.path.join(HERE, name + ".scm")
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^;; expect-exit: (\d+)$", text, re.M)
    with open(os.path.join(HERE, name + ".expected"), encoding="utf-8") as f:
        return f.read(), int(m.group(1)) if m else 0


def _env(tmp_path: object, port: int) -> Dict[str, str]:
    env = dict(os.environ)
    env["SCSH_TEST_PORT"] = str(port)
    env["SCSH_TEST_DIR"] = str(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def _check(name: str, proc: "subprocess.CompletedProcess[str]") -> None:
    expected, status = _expected(name)
    assert proc.stdout == expected, f"{name}: stdout differs\n--- stderr:\n{proc.stderr}"
    assert proc.returncode == status, f"{name}: exit {proc.returncode}\n--- stderr:\n{proc.stderr}"


@pytest.mark.parametrize("name", SINGLE)
def test_program(name: str, tmp_path: object) -> None:
    path = os.path.join(HERE, name + ".scm")
    proc = subprocess.run(_command(path), capture_output=True, text=True, timeout=TIMEOUT,
                          env=_env(tmp_path, free_port()), cwd=str(tmp_path))
    _check(name, proc)


def _port_bound(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            return e.errno == errno.EADDRINUSE
        return False


def _wait_ready(server: "subprocess.Popen[str]", port: int, tmp_path: object) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return
        if _port_bound(port) or any(True for _ in os.scandir(str(tmp_path))):
            time.sleep(0.3)           # bound: give the server time to reach listen
            return
        time.sleep(0.05)
    raise AssertionError("server did not bind within 20 s")


@pytest.mark.parametrize("name", PAIRS)
def test_client_server(name: str, tmp_path: object) -> None:
    port = free_port()
    env = _env(tmp_path, port)
    server_path = os.path.join(HERE, name + "-server.scm")
    fixed = re.search(r"^;; listens-on: (\d+)$", open(server_path, encoding="utf-8").read(), re.M)
    if fixed:                       # a server on a fixed (service) port
        port = int(fixed.group(1))
        if _port_bound(port):
            pytest.skip(f"port {port} is in use on this machine")
    server = subprocess.Popen(_command(server_path), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=str(tmp_path))
    try:
        _wait_ready(server, port, tmp_path)
        client = subprocess.run(_command(os.path.join(HERE, name + "-client.scm")), capture_output=True,
                                text=True, timeout=TIMEOUT, env=env, cwd=str(tmp_path))
        out, err = server.communicate(timeout=TIMEOUT)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    _check(name + "-client", client)
    _check(name + "-server", subprocess.CompletedProcess(server.args, server.returncode, out, err))
