"""Job ``load``: rounds of GET requests at a fixed concurrency over loopback against the live
server (a mix of event pages, one event, stats, alerts, the feed and health); per round the
latency percentiles and the server's resident memory (sampled from /proc)."""

from __future__ import annotations

import http.client
import json
import threading
import time

from bench.hostile.http_probe import request
from bench.hostile.outcome import JobResult
from bench.hostile.server import Server
from bench.hostile.tocsin_process import rss_mb

GROWTH_MB = 150  # memory may grow this much from the first round's end to the last's


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _paths(server: Server) -> list[str]:
    listing = json.loads(request(server.host, server.port, "GET", "/api/events?limit=5").body)
    ids = [e["id"] for e in listing.get("events", [])] or ["ev-none"]
    return [
        "/api/events?limit=100",
        "/api/events?limit=20&country=SYR",
        "/api/events?format=geojson&limit=50",
        f"/api/events/{ids[0]}",
        f"/api/events/{ids[-1]}",
        "/api/stats",
        "/api/stats?by_type=true&since=2015-11-01",
        "/api/alerts",
        "/alerts.atom",
        "/api/health",
    ]


def _round(server: Server, paths: list[str], requests: int, concurrency: int
           ) -> tuple[list[float], dict[int, int], list[float]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    memory: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    done = threading.Event()

    def worker() -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                connection.close()
                return
            answer = request(server.host, server.port, "GET", paths[number % len(paths)],
                             connection=connection)
            if answer.status == 0:
                connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
            with lock:
                latencies.append(answer.seconds)
                statuses[answer.status] = statuses.get(answer.status, 0) + 1

    def sample() -> None:
        while not done.is_set():
            value = rss_mb(server.pid)
            if value is not None:
                memory.append(value)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    sampler.join()
    return latencies, statuses, memory


def run_load(server: Server, rounds: int = 2, requests: int = 2000,
             concurrency: int = 8) -> JobResult:
    result = JobResult("load")
    began = time.monotonic()
    paths = _paths(server)
    for path in paths:  # warm every route once
        request(server.host, server.port, "GET", path)
    start_mb = rss_mb(server.pid) or 0.0
    figures: dict[str, object] = {"requests_per_round": requests, "concurrency": concurrency,
                                  "rss_mb_before": round(start_mb), "rounds": []}
    ends = []
    for number in range(rounds):
        round_began = time.monotonic()
        latencies, statuses, memory = _round(server, paths, requests, concurrency)
        seconds = time.monotonic() - round_began
        end_mb = rss_mb(server.pid) or 0.0
        ends.append(end_mb)
        summary = {
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1),
            "requests_per_second": round(requests / seconds, 1),
            "rss_mb_peak": round(max(memory, default=end_mb)),
            "rss_mb_end": round(end_mb),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
        }
        figures["rounds"].append(summary)  # type: ignore[attr-defined]
        result.check(f"round {number + 1}: every answer 200", set(statuses) == {200},
                     f"{summary['statuses']}")
    growth = ends[-1] - ends[0] if ends else 0.0
    result.check(f"memory flat between rounds (under {GROWTH_MB} MB growth)",
                 growth < GROWTH_MB, f"{growth:+.0f} MB from round 1's end to the last's")
    result.figures = figures
    result.seconds = time.monotonic() - began
    return result

