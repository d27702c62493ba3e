"""Child processes measured for wall time and peak RSS (wait4 rusage)."""

from __future__ import annotations

import os
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

    def failure(self) -> str:
        """Empty when the process succeeded, else a one-line reason."""
        if self.timed_out:
            return f"timed out after {self.wall_s:.1f} s"
        if self.returncode != 0:
            lines = [ln.strip() for ln in (self.stderr or self.stdout).splitlines() if ln.strip()]
            gist = lines[0] if len(lines) == 1 else " … ".join([lines[0], lines[-1]]) if lines else ""
            return f"exit status {self.returncode}" + (f": {gist[:300]}" if gist else "")
        return ""


class Running:
    """A started child whose stdout/stderr go to temporary files."""

    def __init__(self, argv: list[str], *, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        """Start argv with stdin from /dev/null, output to temporary files."""
        self.out: IO[bytes] = tempfile.TemporaryFile()
        self.err: IO[bytes] = tempfile.TemporaryFile()
        self.timed_out = False
        self.t0 = time.perf_counter()
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.out,
                                         stderr=self.err, cwd=cwd, env=env)
        except OSError:
            self.out.close()
            self.err.close()
            raise

    @property
    def pid(self) -> int:
        """Process id of the child."""
        return self.proc.pid

    def _kill(self) -> None:
        """Timer callback: kill the child after its deadline."""
        self.timed_out = True
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass

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
        return ProcResult(self.proc.returncode, wall, usage.ru_maxrss, texts[0], texts[1],
                          self.timed_out)


def run_process(argv: list[str], *, timeout: float = 600.0, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> ProcResult:
    """Run argv to completion, measuring wall time and peak RSS (kB)."""
    try:
        running = Running(argv, cwd=cwd, env=env)
    except OSError as e:
        return ProcResult(127, 0.0, 0, "", f"cannot start {argv[0]}: {e}")
    return running.wait(timeout)
