"""Map redraw time in a real browser with a large record: from a pan, a zoom or a filter change
to the map drawn again.

    python bench/map_redraw.py [--events 1000000] [--backend sqlite|postgresql]
                               [--repeats 8] [--cache /tmp/apibench]

The database is bench/api_latency.py's (built once into ``--cache``, shared with it). The app is
served by uvicorn on a loopback port; Debian's Chromium (``/usr/bin/chromium`` or
$TOCSIN_CHROMIUM, never a downloaded browser), headless under Playwright, opens the dashboard
and repeats each action:

- ``pan_cells``: drag the world map (zoom 3, grid cells) 240 pixels sideways, back and forth,
  timed from letting go;
- ``zoom_cells``: the zoom control in then out, around zoom 3-4 (grid cells);
- ``filter_cells``: choose a category, then none (the form's 250 ms pause before it asks the
  server is included);
- ``pan_events``: drag a view at zoom 11 over a dense area, where the events themselves are
  drawn (about a hundred).

Each time runs from just before the action (in the page's clock) to the ``tocsin:map-drawn``
performance mark the dashboard sets in the frame after the map is drawn; ``settled`` runs from the
end of Leaflet's movement (``tocsin:map-moved``, after the zoom animation) or from the start of
the refresh (after the form's pause) instead. Prints one JSON object: median, p95 and max per
action in milliseconds, and the one-minute load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from api_latency import COUNTRIES, bench_database, free_port, percentile

from tocsin.api import create_app

CHROMIUM = os.environ.get("TOCSIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]



@contextmanager
def serving(app: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def drawn(page: Any) -> int:
    return int(page.evaluate("() => Number(document.body.dataset.drawn || 0)"))


def wait_drawn(page: Any, after: int) -> None:
    page.wait_for_function(f"() => Number(document.body.dataset.drawn || 0) > {after}",
                           timeout=60_000)


def last_mark(page: Any, name: str) -> float:
    return float(page.evaluate(
        "(name) => { const m = performance.getEntriesByName(name); "
        "return m.length ? m[m.length - 1].startTime : NaN; }", name))


def timed(
    page: Any, act: Callable[[], None], settled_from: str,
    prepare: Callable[[], None] | None = None,
) -> tuple[float, float]:
    """(action -> drawn, ``settled_from`` mark -> drawn) in milliseconds; ``prepare`` runs
    before the clock starts (a drag up to letting go)."""
    before = drawn(page)
    page.wait_for_timeout(400)  # let a previous draw's stragglers finish
    if prepare is not None:
        prepare()
    start = float(page.evaluate("() => performance.now()"))
    act()
    wait_drawn(page, before)
    page.wait_for_timeout(50)
    end = last_mark(page, "tocsin:map-drawn")
    return end - start, end - last_mark(page, settled_from)


def pan(page: Any, dx: int, settled_from: str) -> tuple[float, float]:
    """A drag of ``dx`` pixels across the map, timed from letting go."""
    def hold() -> None:
        box = page.locator("#map").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + dx, y, steps=8)
        page.wait_for_timeout(150)  # a pause before letting go: no inertia

    return timed(page, page.mouse.up, settled_from, prepare=hold)


def choose(page: Any, category: str) -> Callable[[], None]:
    def act() -> None:
        page.select_option("select[name=type]", category)
    return act


def open_map(page: Any, base: str, query: str) -> None:
    page.goto(f"{base}/?{query}")
    page.wait_for_function("() => document.body.dataset.state === 'ready'"
                           " && Number(document.body.dataset.drawn || 0) > 0", timeout=120_000)


def summary(values: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}


def run(base: str, repeats: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, list[float]]] = {}

    def record(name: str, pair: tuple[float, float]) -> None:
        entry = results.setdefault(name, {"action": [], "settled": []})
        entry["action"].append(pair[0])
        entry["settled"].append(pair[1])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        started = time.perf_counter()
        open_map(page, base, "map=3/20.0000/20.0000")
        first_load = (time.perf_counter() - started) * 1000
        shows = page.evaluate("() => document.body.dataset.mapShows")
        for i in range(repeats):
            record("pan_cells", pan(page, 240 if i % 2 else -240, "tocsin:map-moved"))
        for _ in range(repeats // 2 or 1):
            record("zoom_cells", timed(page, lambda: page.click(".leaflet-control-zoom-in"),
                                       "tocsin:map-moved"))
            record("zoom_cells", timed(page, lambda: page.click(".leaflet-control-zoom-out"),
                                       "tocsin:map-moved"))
        for i in range(repeats):
            record("filter_cells", timed(page, choose(page, "" if i % 2 else "ASSAULT"),
                                         "tocsin:refresh"))
        # The first country's events lie around (-50, -170) (api_latency.synthetic).
        assert COUNTRIES[0] == "AFG"
        open_map(page, base, "map=11/-50.0000/-170.0000")
        close_shows = page.evaluate("() => document.body.dataset.mapShows")
        markers = page.locator(".event-marker").count()
        for i in range(repeats):
            record("pan_events", pan(page, 240 if i % 2 else -240, "tocsin:map-moved"))
        browser.close()
    report: dict[str, Any] = {
        "first_load_ms": round(first_load, 1), "wide_view_shows": shows,
        "close_view_shows": close_shows, "close_view_markers": markers,
    }
    for name, entry in results.items():
        report[name] = {"action": summary(entry["action"]),
                        "settled": summary(entry["settled"]), "n": len(entry["action"])}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/apibench"))
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with bench_database(args.backend, args.events, args.seed, args.cache) as (url, built):
        app = create_app(url, process=lambda *_: None)  # type: ignore[arg-type]
        load_before = os.getloadavg()[0]
        with serving(app) as base:
            report = run(base, args.repeats)
    report = {"events": args.events, "backend": args.backend, "build_seconds": round(built, 1),
              **report,
              "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
