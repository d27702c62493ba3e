"""The README's demo: a loopback client/server exchange that finishes by itself."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_demo_runs_and_finishes():
    r = subprocess.run([sys.executable, "-m", "polysock", str(ROOT / "examples" / "demo.scm")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "client sent: hello", "client got:  echo: hello",
        "client sent: polysock", "client got:  echo: polysock",
        "client sent: bye", "client got:  echo: bye", "done"]


def test_hello_example():
    r = subprocess.run([sys.executable, "-m", "polysock", str(ROOT / "examples" / "hello.scm")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "fib(25) = 75025\n"
