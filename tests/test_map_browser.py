"""The map at scale in a real browser: when the view holds more events than the dashboard's
limit it draws the server's grid cells (their counts adding up to the events in view); zoomed in
on a few events it draws the events themselves; a filter or a pan redraws it.

Debian's Chromium under Playwright, a uvicorn server on loopback, an SQLite database of the
synthetic events of test_api_grid, the limit lowered to 20 events so that a few hundred are many.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live_app import chromium, serving
from test_api import no_pipeline
from test_api_grid import fill, synthetic_events

from tocsin.api import create_app
from tocsin.api.dashboard import static_dir

pytestmark = pytest.mark.slow

LIMIT = 20


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (static_dir() / "index.html").is_file():
        pytest.fail("the dashboard is not built: run `make install` (npm ci && npm run build)")
    folder: Path = tmp_path_factory.mktemp("map")
    url = f"sqlite:///{folder / 'map.sqlite'}"
    fill(url, synthetic_events(400))
    app = create_app(url, process=no_pipeline)
    app.state.config.map_view_events = LIMIT
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


def wait_drawn(page, after: int = 0) -> str:  # type: ignore[no-untyped-def]
    """Wait for the map's draw number ``after + 1`` or later; what it shows (cells, events)."""
    page.wait_for_function(
        f"() => Number(document.body.dataset.drawn || 0) > {after}"
        " && document.body.dataset.state === 'ready'",
        timeout=20_000,
    )
    return page.evaluate("() => document.body.dataset.mapShows")  # type: ignore[no-any-return]


def draws(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("() => Number(document.body.dataset.drawn || 0)"))


def cell_counts(page) -> list[int]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        ".grid-cell", "cells => cells.map(c => Number(c.dataset.count))")


def test_a_wide_view_draws_cells_and_a_close_one_draws_events(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/?map=2/20.0000/0.0000")
    assert wait_drawn(page) == "cells"
    counts = cell_counts(page)
    assert len(counts) > 1 and sum(counts) > LIMIT
    assert page.locator(".event-marker").count() == 0
    assert "counted per cell" in page.inner_text("#map-status")
    assert "too many to list" in page.inner_text("#table-caption")

    # A filter redraws the cells from the filtered counts.
    before = draws(page)
    page.select_option("select[name=type]", "PROTEST")
    shows = wait_drawn(page, before)
    assert shows == "cells", (page.inner_text("#map-status"), page.url)
    assert 0 < sum(cell_counts(page)) < sum(counts)

    # Zoomed in on the event at 0,0 (and nothing else near): the event itself, no cells.
    page.goto(server + "/?map=9/0.0000/0.0000")
    assert wait_drawn(page) == "events"
    assert page.locator(".grid-cell").count() == 0
    assert page.locator('.event-marker[data-id="ev-grid-0002"]').count() == 1
    assert "in view" in page.inner_text("#map-status")

    # Zooming out by the control redraws with cells again.
    before = draws(page)
    for _ in range(7):
        page.click(".leaflet-control-zoom-out")
        page.wait_for_timeout(300)
    assert wait_drawn(page, before) == "cells"
    assert errors == []
    page.close()
