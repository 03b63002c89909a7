"""``tocsin serve`` on a loopback port as a subprocess, with an API key made for it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
from contextlib import closing
from pathlib import Path

from bench.hostile.tocsin_process import Finished, Started, run_tocsin, tocsin_command


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A running ``tocsin serve --db DB`` on 127.0.0.1; ``key`` is a fresh API key for it."""

    def __init__(self, db: Path, startup: float = 120.0) -> None:
        made = run_tocsin("apikey", "create", "--name", "hostile-harness", "--db", str(db))
        if made.returncode != 0:
            raise RuntimeError(f"apikey create failed: {made.output[-300:]}")
        self.key = made.stdout.split()[0]
        self.db = db
        self.port = free_port()
        self.host = "127.0.0.1"
        self.started = Started(tocsin_command("serve", "--db", str(db), "--port",
                                              str(self.port)))
        deadline = time.monotonic() + startup
        while not self._healthy():
            if self.started.poll() or time.monotonic() > deadline:
                ended = self.started.wait(1)
                raise RuntimeError(f"tocsin serve did not start: {ended.output[-500:]}")
            time.sleep(0.1)

    @property
    def pid(self) -> int:
        return self.started.pid

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=2)
            connection.request("GET", "/api/health")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def stop(self) -> Finished:
        """SIGTERM (uvicorn's graceful stop), then SIGKILL after 10 s; the server's output."""
        if not self.started.poll():
            os.kill(self.pid, signal.SIGTERM)
        return self.started.wait(10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
