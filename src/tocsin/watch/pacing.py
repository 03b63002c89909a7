"""Politeness and backoff: a minimum delay between requests to one host, and the delay before
polling a failing feed again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit


def host_of(url: str) -> str:
    return (urlsplit(url).netloc or url).lower()


def backoff_delay(interval: float, failures: int, ceiling: float) -> float:
    """Seconds until the next poll of a feed whose last ``failures`` polls in a row failed:
    the interval, doubled for each failure after the first, at most ``ceiling``."""
    if failures <= 0:
        return interval
    return min(interval * 2 ** (failures - 1), max(ceiling, interval))


class HostPacer:
    """Makes requests to the same host wait ``delay`` seconds after the previous one started.

    Thread-safe; waiting ends early (returning False) when ``stop`` is set."""

    def __init__(
        self,
        delay: float,
        stop: threading.Event,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.delay = delay
        self.stop = stop
        self.clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait_turn(self, url: str) -> bool:
        host = host_of(url)
        with self._lock:
            now = self.clock()
            turn = max(now, self._next.get(host, now))
            self._next[host] = turn + self.delay
        pause = turn - now
        if pause > 0:
            return not self.stop.wait(pause)
        return not self.stop.is_set()
