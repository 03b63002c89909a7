"""The dashboard's totals panel in a real browser (issue 16): cumulative figures are listed
apart from the events, matching the country and date filters, and never reach the map, the
events table or the event counts.

The database comes from ``tocsin run`` over two reports written for this test: one with a
total and an incident (Nigeria, published 2024-06-14), one with a total alone (Sudan,
published 2024-03-02). Debian's Chromium under Playwright, a uvicorn server on loopback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from live_app import chromium, serving
from typer.testing import CliRunner

from tocsin.api import create_app
from tocsin.api.dashboard import static_dir
from tocsin.cli import app

pytestmark = pytest.mark.slow

REPORTS = {
    ("2024-06-14", "zamfara.txt"):
        "Kidnappers have seized at least 180 people across Zamfara so far this year, according "
        "to the state police. On Monday armed men raided a market in Gusau and shot dead 9 "
        "traders, residents said.",
    ("2024-03-02", "darfur.txt"):
        "Shelling has killed more than 4,300 civilians in Darfur since the war began, a United "
        "Nations official said.",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (static_dir() / "index.html").is_file():
        pytest.fail("the dashboard is not built: run `make install` (npm ci && npm run build)")
    folder = tmp_path_factory.mktemp("totals")
    url = f"sqlite:///{folder / 'totals.sqlite'}"
    for (published, name), text in REPORTS.items():
        batch = folder / published
        batch.mkdir()
        (batch / name).write_text(text, encoding="utf-8")
        done = CliRunner().invoke(app, ["run", str(batch), "--db", url, "--published", published])
        assert done.exit_code == 0, done.output
    with serving(create_app(url)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


def api(server: str, path: str, **params: str) -> dict:  # type: ignore[type-arg]
    with urlopen(f"{server}{path}?{urlencode(params)}", timeout=10) as response:
        return json.load(response)  # type: ignore[no-any-return]


def open_page(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=20_000)
    page.wait_for_selector("#totals-panel h3")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def totals_shown(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("#totals-panel tbody[data-total]",
                                     "rows => rows.map(r => r.dataset.total)")


def events_on_map(page) -> int:  # type: ignore[no-untyped-def]
    """Markers on the map, counting each cluster as the events it holds."""
    single = page.locator(".event-marker:visible").count()
    clustered = page.eval_on_selector_all(
        ".marker-cluster", "cs => cs.reduce((n, c) => n + Number(c.innerText.trim() || 0), 0)")
    return int(single) + int(clustered)


def test_the_totals_panel_lists_totals_and_the_map_and_table_only_events(  # type: ignore[no-untyped-def]
    server: str, browser
) -> None:
    totals = api(server, "/api/totals")["totals"]
    events = api(server, "/api/events", limit="100")["events"]
    assert {t["value"] for t in totals} == {180, 4300}
    assert events and all(":total:" not in e["id"] for e in events)

    page = open_page(browser, f"{server}/")
    assert sorted(totals_shown(page)) == sorted(t["id"] for t in totals)
    zamfara = next(t for t in totals if t["value"] == 180)
    row = page.inner_text(f'#totals-panel tbody[data-total="{zamfara["id"]}"]')
    assert "180" in row and "abducted" in row and "at least" in row
    assert "2024-01-01 – 2024-06-14" in row and "Zamfara" in row and "state police" in row
    assert "Kidnappers have seized" in row
    darfur = next(t for t in totals if t["value"] == 4300)
    row = page.inner_text(f'#totals-panel tbody[data-total="{darfur["id"]}"]')
    assert "4,300" in row and "killed" in row and "since the war began" in row
    assert "United Nations" in row

    # The events table, the map, the status line and the summary hold the incidents only.
    table = page.eval_on_selector_all("#events-table tbody tr", "rs => rs.map(r => r.dataset.id)")
    assert sorted(table) == sorted(e["id"] for e in events)
    shown = page.inner_text("#events-table")
    assert "180" not in shown and "4,300" not in shown
    # markers of one place are clustered with an animation: wait for the map to settle
    for _ in range(50):
        if events_on_map(page) == len(events):
            break
        page.wait_for_timeout(100)
    assert events_on_map(page) == len(events)
    assert page.inner_text("#map-status").startswith(f"{len(events)} of {len(events)} event(s)")
    assert page.inner_text("#summary").startswith(f"{len(events)} event(s) match")
    assert not page.errors  # type: ignore[attr-defined]
    page.close()


def test_the_totals_panel_follows_the_country_and_date_filters(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    totals = {t["value"]: t["id"] for t in api(server, "/api/totals")["totals"]}

    page = open_page(browser, f"{server}/?country=SDN")
    assert totals_shown(page) == [totals[4300]]
    page.close()

    page = open_page(browser, f"{server}/?since=2024-06-01&until=2024-06-30")
    assert totals_shown(page) == [totals[180]]
    page.close()

    page = open_page(browser, f"{server}/?country=NGA&until=2024-05-31")
    assert totals_shown(page) == []
    assert "No totals" in page.inner_text("#totals-panel")
    assert not page.errors  # type: ignore[attr-defined]
    page.close()
