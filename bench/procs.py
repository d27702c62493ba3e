"""Child processes measured for wall time and peak RSS.

Peak RSS: Linux carries a process's RSS high-water mark across exec, so the
rusage of a child forked straight from this (large) Python process never reads
below the runner's own RSS.  The child is therefore started under GNU time
(``/usr/bin/time -f %M``), a small C program whose own child starts from a tiny
address space; its report is the program's true peak.  Without GNU time the
value falls back to wait4's ru_maxrss and is marked as such (``rss_source``).
Children run in their own process group, which is killed on timeout.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(slots=True)
class ProcResult:
    """Outcome of one child process."""

    returncode: int
    wall_s: float
    rss_kb: int
    stdout: str
    stderr: str
    timed_out: bool = False
    rss_source: str = "time"
    cpu_s: float = 0.0  # user + system time of the child and its descendants

    def failure(self) -> str:
        """Empty when the process succeeded, else a one-line reason."""
        if self.timed_out:
            return f"timed out after {self.wall_s:.1f} s"
        if self.returncode != 0:
            lines = [ln.strip() for ln in (self.stderr or self.stdout).splitlines() if ln.strip()]
            gist = lines[0] if len(lines) == 1 else " … ".join([lines[0], lines[-1]]) if lines else ""
            return f"exit status {self.returncode}" + (f": {gist[:300]}" if gist else "")
        return ""


@functools.cache
def gnu_time() -> str | None:
    """Path of GNU time, or None when absent."""
    path = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if path is None:
        return None
    try:
        p = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if "GNU" in p.stdout + p.stderr else None


class Running:
    """A started child whose stdout/stderr go to temporary files."""

    def __init__(self, argv: list[str], *, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        """Start argv (under GNU time when present), stdin /dev/null, output to temp files."""
        self.out: IO[bytes] = tempfile.TemporaryFile()
        self.err: IO[bytes] = tempfile.TemporaryFile()
        self.rss_file: str | None = None
        timer = gnu_time()
        if timer is not None:
            fd, self.rss_file = tempfile.mkstemp(prefix="polysock-bench-rss-")
            os.close(fd)
            argv = [timer, "-f", "%M", "-o", self.rss_file, *argv]
        self.timed_out = False
        self.t0 = time.perf_counter()
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.out,
                                         stderr=self.err, cwd=cwd, env=env,
                                         start_new_session=True)
        except OSError:
            self.out.close()
            self.err.close()
            self._rss_from_file()
            raise

    @property
    def pid(self) -> int:
        """Process id of the child."""
        return self.proc.pid

    def _kill(self) -> None:
        """Timer callback: kill the child after its deadline."""
        self.timed_out = True
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group this child leads
        except ProcessLookupError:
            pass

    def _rss_from_file(self) -> int | None:
        """Peak RSS (kB) reported by GNU time, removing its file; None if unavailable."""
        if self.rss_file is None:
            return None
        try:
            with open(self.rss_file) as f:
                lines = f.read().split()
            return int(lines[-1]) if lines and lines[-1].isdigit() else None
        except OSError:
            return None
        finally:
            os.unlink(self.rss_file)
            self.rss_file = None

    def wait(self, timeout: float) -> ProcResult:
        """Reap the child (killing it after timeout s) and collect its rusage and output."""
        timer = threading.Timer(timeout, self._kill)
        timer.start()
        try:
            _, status, usage = os.wait4(self.proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - self.t0
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        texts = []
        for f in (self.out, self.err):
            f.seek(0)
            texts.append(f.read().decode("utf-8", "replace"))
            f.close()
        rss = self._rss_from_file()
        return ProcResult(self.proc.returncode, wall, usage.ru_maxrss if rss is None else rss,
                          texts[0], texts[1], self.timed_out,
                          "wait4" if rss is None else "time", usage.ru_utime + usage.ru_stime)


def run_process(argv: list[str], *, timeout: float = 600.0, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> ProcResult:
    """Run argv to completion, measuring wall time and peak RSS (kB)."""
    try:
        running = Running(argv, cwd=cwd, env=env)
    except OSError as e:
        return ProcResult(127, 0.0, 0, "", f"cannot start {argv[0]}: {e}")
    return running.wait(timeout)
