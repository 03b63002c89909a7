"""Tocsin commands as subprocesses (``python -m tocsin``), with their exit status, output, wall
time and peak resident memory, and helpers to start one and kill it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

TRACEBACK = "Traceback (most recent call last)"


def tocsin_command(*args: str | os.PathLike[str] | bytes) -> list[str | bytes]:
    """``python -m tocsin ARGS`` with the interpreter running the harness (so the Tocsin the
    harness imports, including a PYTHONPATH=src checkout, is the one tried)."""
    return [sys.executable, "-m", "tocsin",
            *(a if isinstance(a, bytes | str) else os.fspath(a) for a in args)]


def tocsin_env(**extra: str) -> dict[str, str]:
    """The environment for a Tocsin subprocess: ours, plus ``extra``; no colours, no pager."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    env.update(extra)
    return env


@dataclass
class Finished:
    """A finished (or killed) command."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    killed: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.output


class Started:
    """A running command whose output goes to temporary files (no pipe to fill up)."""

    def __init__(self, args: Sequence[str | bytes], env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> None:
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self.began = time.monotonic()
        self.process = subprocess.Popen(list(args), stdout=self._out, stderr=self._err,
                                        stdin=subprocess.DEVNULL, env=env or tocsin_env(),
                                        cwd=cwd)
        self._status: int | None = None
        self._rss_kb = 0
        self.killed = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> bool:
        """True once the process has ended (reaped here, so its peak memory is known)."""
        if self._status is not None:
            return True
        pid, status, usage = os.wait4(self.pid, os.WNOHANG)
        if pid == 0:
            return False
        self._status = os.waitstatus_to_exitcode(status)
        self._rss_kb = usage.ru_maxrss
        self.process.returncode = self._status
        return True

    def kill(self) -> None:
        """SIGKILL, as ``kill -9`` does."""
        if not self.poll():
            os.kill(self.pid, signal.SIGKILL)
            self.killed = True

    def wait(self, timeout: float = 900.0, until: Callable[[], bool] | None = None,
             every: float = 0.02) -> Finished:
        """Wait for the end; kill it when ``timeout`` passes (``killed`` tells), or when
        ``until()`` turns true first."""
        deadline = self.began + timeout
        while not self.poll():
            if time.monotonic() > deadline or (until is not None and until()):
                self.kill()
                while not self.poll():
                    time.sleep(0.01)
                break
            time.sleep(every)
        seconds = time.monotonic() - self.began
        return Finished(self._status if self._status is not None else -9, self._read(self._out),
                        self._read(self._err), seconds, self._rss_kb / 1024, self.killed)

    @staticmethod
    def _read(stream: object) -> str:
        stream.seek(0)  # type: ignore[attr-defined]
        data = stream.read()  # type: ignore[attr-defined]
        stream.close()  # type: ignore[attr-defined]
        return data.decode("utf-8", "replace")


def run_tocsin(*args: str | os.PathLike[str] | bytes, env: dict[str, str] | None = None,
               timeout: float = 900.0) -> Finished:
    """Run ``tocsin ARGS`` to its end (or kill it after ``timeout`` seconds)."""
    return Started(tocsin_command(*args), env=env).wait(timeout)


def rss_mb(pid: int) -> float | None:
    """The resident memory of a live process, from /proc (None when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
