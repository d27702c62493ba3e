"""SCM conformance: the seed's chat server and client, and tests/conformance/scm/*.scm.

Every NN-*.scm program runs under ``polysock`` (the dialect is detected from
``(require 'socket)``) and its standard output must equal NN-*.expected. The chat
scenario (``run_chat``) drives the manual's chat server and three chat clients,
unmodified, on loopback port 8001: an observer connects the way the manual suggests
(``telnet localhost 8001``), each client types a line, every participant must receive
every character, then the clients and the observer leave one by one. Client consoles
are ptys (line-buffered, as on a terminal); ephemeral peer ports print as ``PORT``.

Differential tests run the same programs on the real SCM (``scm``) when installed;
``REAL_DIFFERS`` lists where SCM 5f3 disagrees with the seed and why (the expected
transcripts follow the seed there). Every wait is bounded.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import socket
import subprocess
import time
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
SCM_DIR = os.path.join(HERE, "scm")
CHAT_PORT = 8001
STEP = 15.0
LINES = {"a": "hello from a\n", "b": "b says hi\n", "c": "c: bye\n"}


class ChatError(AssertionError):
    pass


def normalise(text: str) -> str:
    """CR LF (pty) -> LF; ephemeral peer ports -> PORT."""
    text = text.replace("\r\n", "\n")
    return re.sub(r"127\.0\.0\.1:(?!8001>)\d+", "127.0.0.1:PORT", text)


class PtyOut:
    """A pty whose slave is a child's stdout; collects what the child prints."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.buf = b""

    def pump(self, timeout: float = 0.0) -> None:
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            self.buf += data

    def text(self) -> str:
        return normalise(self.buf.decode("latin-1"))

    def wait_for(self, needle: str, what: str) -> None:
        end = time.monotonic() + STEP
        while needle not in self.text():
            if time.monotonic() > end:
                raise ChatError(f"timed out waiting for {needle!r} from {what}; got {self.text()!r}")
            self.pump(0.1)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def port_free(port: int = CHAT_PORT) -> bool:
    """True when nothing listens on the chat port (the programs use 8001 themselves)."""
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def _observer() -> socket.socket:
    end = time.monotonic() + STEP
    while True:
        try:
            return socket.create_connection(("127.0.0.1", CHAT_PORT), timeout=STEP)
        except OSError:
            if time.monotonic() > end:
                raise ChatError("chat server never started listening")
            time.sleep(0.1)


def _recv_until(s: socket.socket, data: bytearray, needle: bytes) -> None:
    end = time.monotonic() + STEP
    while needle not in data:
        if time.monotonic() > end:
            raise ChatError(f"observer timed out waiting for {needle!r}; got {bytes(data)!r}")
        s.settimeout(max(0.05, end - time.monotonic()))
        chunk = s.recv(4096)
        if not chunk:
            raise ChatError(f"server closed the observer; got {bytes(data)!r}")
        data += chunk


def run_chat(cmd: List[str], client_cmd: Optional[List[str]] = None) -> Dict[str, str]:
    """Run the chat scenario (clients run by *client_cmd*, default *cmd*); {"server": ..., "a": ..., "b": ..., "c": ..., "observer": ...}."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    srv_out = PtyOut()
    server = subprocess.Popen(cmd + ["chat-server.scm"], cwd=SCM_DIR, stdin=subprocess.DEVNULL,
                              stdout=srv_out.slave, stderr=subprocess.PIPE, env=env,
                              start_new_session=True)
    clients: Dict[str, subprocess.Popen] = {}
    outs: Dict[str, PtyOut] = {}
    obs = None
    try:
        obs = _observer()
        seen = bytearray()
        _recv_until(obs, seen, b"connected\n")
        srv_out.wait_for("accepting connection from", "server")
        for name in ("a", "b", "c"):
            outs[name] = PtyOut()
            clients[name] = subprocess.Popen((client_cmd or cmd) + ["chat-client.scm"], cwd=SCM_DIR, stdin=subprocess.PIPE,
                                             stdout=outs[name].slave, stderr=subprocess.PIPE, env=env,
                                             start_new_session=True)
            outs[name].wait_for("connected\n", f"client {name}")
        for name in ("a", "b", "c"):
            stdin = clients[name].stdin
            assert stdin is not None
            stdin.write(LINES[name].encode())
            stdin.flush()
            _recv_until(obs, seen, LINES[name].encode())
            for other in ("a", "b", "c"):
                outs[other].wait_for(LINES[name], f"client {other}")
        for count, name in enumerate(("a", "b", "c"), 1):
            stdin = clients[name].stdin
            assert stdin is not None
            stdin.close()
            try:
                clients[name].wait(STEP)
            except subprocess.TimeoutExpired:
                raise ChatError(f"client {name} did not exit after its input ended")
            outs[name].pump(0.2)
            end = time.monotonic() + STEP
            while srv_out.text().count("closing connection from") < count:
                if time.monotonic() > end:
                    raise ChatError(f"server did not report client {name} closing: {srv_out.text()!r}")
                srv_out.pump(0.1)
        obs.close()
        obs = None
        end = time.monotonic() + STEP
        while srv_out.text().count("closing connection from") < 4:
            if time.monotonic() > end:
                raise ChatError(f"server did not report the observer closing: {srv_out.text()!r}")
            srv_out.pump(0.1)
        result = {name: outs[name].text() for name in outs}
        result["server"] = srv_out.text()
        result["observer"] = normalise(seen.decode("latin-1"))
        return result
    finally:
        if obs is not None:
            obs.close()
        for p in list(clients.values()) + [server]:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass
            for f in (p.stdin, p.stderr):
                if f is not None:
                    f.close()
        for o in list(outs.values()) + [srv_out]:
            o.close()


# ---------------------------------------------------------------- the pytest part

import shutil  # noqa: E402

import pytest  # noqa: E402

PROGRAMS = sorted(f for f in os.listdir(SCM_DIR) if f.endswith(".scm") and f[:2].isdigit())
REAL_DIFFERS = {
    "02-wait-for-input.scm": "SCM 5f3 reports a listening socket as always ready (char-ready? bug)",
    "05-shutdown.scm": "SCM 5f3 cannot rebind a port with a connection in TIME_WAIT (SO_REUSEADDR)",
    "10-socketpair.scm": "SCM 5f3 on Linux exits silently in make-stream-socketpair",
    "16-listener-ready.scm": "SCM 5f3 answers #t from char-ready? on a listener with nothing pending",
}
TIMEOUT = 30


def _run(cmd: List[str], prog: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(cmd + [prog], cwd=SCM_DIR, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, encoding="latin-1", timeout=TIMEOUT)


def _expected(prog: str) -> str:
    with open(os.path.join(SCM_DIR, prog[:-4] + ".expected"), encoding="latin-1") as f:
        return f.read()


@pytest.mark.parametrize("prog", PROGRAMS)
def test_program(prog: str) -> None:
    r = _run(["polysock"], prog)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _expected(prog)


def test_at_least_fifteen_programs() -> None:
    assert len(PROGRAMS) + 2 >= 15


def test_chat_server_and_three_clients() -> None:
    if not port_free():
        pytest.skip("port 8001 is in use on this machine")
    r = run_chat(["polysock"])
    with open(os.path.join(SCM_DIR, "chat-server.expected"), encoding="latin-1") as f:
        assert r["server"] == f.read()
    with open(os.path.join(SCM_DIR, "chat-client.expected"), encoding="latin-1") as f:
        client = f.read()
    assert r["a"] == r["b"] == r["c"] == client
    assert r["observer"] == "connected\n" + "".join(LINES.values())


def test_chat_client_without_server() -> None:
    if not port_free():
        pytest.skip("port 8001 is in use on this machine")
    r = subprocess.run(["polysock", "chat-client.scm"], cwd=SCM_DIR, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0
    assert r.stdout == "Server not listening on port 8001\n"


REAL = shutil.which("scm")


@pytest.mark.skipif(REAL is None, reason="SCM is not installed")
@pytest.mark.parametrize("prog", PROGRAMS)
def test_differential_real_scm(prog: str) -> None:
    if prog in REAL_DIFFERS:
        pytest.skip("seed wins: " + REAL_DIFFERS[prog])
    real = _run([str(REAL), "-f"], prog)
    assert real.stdout == _expected(prog)
