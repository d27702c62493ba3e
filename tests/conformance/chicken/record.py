"""Re-record the CHICKEN differential corpus (``egg-*.scm``) from real CHICKEN 5.3 with the
socket egg, and compare polysock with the recordings.

Usage (from the repository root)::

    python tests/conformance/chicken/record.py            # record csi's output, then compare
    python tests/conformance/chicken/record.py --check    # compare only, write nothing
    python tests/conformance/chicken/record.py egg-udp    # just these programs
    python tests/conformance/chicken/record.py --no-csi   # polysock against the recordings

For each program ``P.scm`` the real system's standard output goes to ``P.expected`` and a
non-zero exit status to ``P.exit`` ("nonzero"). When polysock differs from real CHICKEN on
purpose, ``P.polysock-expected`` holds polysock's output and ``P.note`` says why (the
harness compares polysock with that file instead). Needs ``csi`` and the socket egg
(``csi -e '(import socket)'`` must work); see docs/dialects/chicken.md for building the egg
offline. Every program runs in a fresh temporary directory with a timeout; they use
loopback addresses and OS-chosen ports only.
"""
from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TIMEOUT = 90


def corpus() -> List[Path]:
    """The differential programs, in name order."""
    return sorted(HERE.glob("egg-*.scm"))


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(cmd: List[str]) -> Tuple[int, str]:
    """Run *cmd* in a fresh temporary directory; return (exit status, stdout)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=TIMEOUT,
                               env=_env(), encoding="latin-1")
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode("latin-1") if isinstance(e.stdout, bytes) else (e.stdout or "")
            return -9, out + "\n<<timeout>>\n"
        return p.returncode, p.stdout


def run_csi(prog: Path) -> Tuple[int, str]:
    return run(["csi", "-s", str(prog)])


def run_polysock(prog: Path) -> Tuple[int, str]:
    return run([sys.executable, "-m", "polysock", "--dialect", "chicken", str(prog)])


def egg_available() -> bool:
    if shutil.which("csi") is None:
        return False
    p = subprocess.run(["csi", "-e", "(import socket)"], capture_output=True, timeout=60)
    return p.returncode == 0


def wanted_for_polysock(prog: Path) -> str:
    """What polysock must print: the recording, or the documented deliberate difference."""
    own = prog.with_suffix(".polysock-expected")
    return (own if own.exists() else prog.with_suffix(".expected")).read_text(encoding="latin-1")


def show_diff(a: str, b: str, left: str, right: str) -> None:
    for line in difflib.unified_diff(a.splitlines(), b.splitlines(), left, right, lineterm=""):
        print("    " + line)


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only; do not rewrite recordings")
    ap.add_argument("--no-csi", action="store_true", help="do not run real CHICKEN at all")
    ap.add_argument("names", nargs="*", help="program stems (default: the whole corpus)")
    args = ap.parse_args(argv)
    progs = [HERE / f"{n}.scm" for n in args.names] if args.names else corpus()
    have_egg = not args.no_csi and egg_available()
    if not have_egg and not args.no_csi:
        print("real CHICKEN with the socket egg is not available: comparing polysock only")
    same = differ = deliberate = 0
    for prog in progs:
        stem = prog.stem
        if have_egg:
            rc, out = run_csi(prog)
            if args.check:
                rec = prog.with_suffix(".expected").read_text(encoding="latin-1")
                if rec != out:
                    print(f"{stem}: real CHICKEN no longer matches the recording")
                    show_diff(rec, out, "recorded", "csi")
            else:
                prog.with_suffix(".expected").write_text(out, encoding="latin-1")
                code = prog.with_suffix(".exit")
                if rc != 0:
                    code.write_text("nonzero\n")
                elif code.exists():
                    code.unlink()
        want = wanted_for_polysock(prog)
        _, ours = run_polysock(prog)
        if ours == want:
            if prog.with_suffix(".polysock-expected").exists():
                deliberate += 1
                print(f"{stem}: same (deliberate difference, see {stem}.note)")
            else:
                same += 1
                print(f"{stem}: same")
        else:
            differ += 1
            print(f"{stem}: DIFFERS")
            show_diff(want, ours, "expected", "polysock")
    print(f"{same} same, {deliberate} deliberate, {differ} differ ({len(progs)} programs)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
