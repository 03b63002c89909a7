"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against a real
uvicorn server on a loopback port, over the demo database built by the runner, with the worked
example added (published 2015-11-21) and an alert check as of 2015-11-22, so alerts exist.

Never downloads a browser: Chromium is /usr/bin/chromium (CI installs the Debian package), or
$TOCSIN_CHROMIUM. The dashboard must have been built (``make install`` runs the npm build).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import urlopen

import pytest
from live_app import chromium, serving

from tocsin.alerts.check import check_alerts
from tocsin.api import create_app
from tocsin.api.dashboard import static_dir
from tocsin.demo import corpus_path
from tocsin.resources import Resources
from tocsin.runner import run
from tocsin.sources import ReadOptions
from tocsin.store import open_database

REPO = Path(__file__).resolve().parents[1]
# The README's screenshot is refreshed only on request (TOCSIN_SCREENSHOT=1): a test run leaves the
# tracked file alone and writes its screenshot under the test's temporary folder.
README_SCREENSHOT = REPO / "docs" / "dashboard.png"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory, example_text: str) -> str:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    example = folder / "latakia-2015.txt"
    example.write_text(example_text, encoding="utf-8")
    resources = Resources()
    with open_database(url) as database:
        summary = run([str(corpus_path())], database, resources)
        run([str(example)], database, resources, ReadOptions(published=dt.date(2015, 11, 21)))
        check_alerts(database, as_of=dt.date(2015, 11, 22), deliver=False)
    assert summary.processed > 0
    return url


@pytest.fixture(scope="module")
def server(demo_url: str) -> Iterator[str]:
    if not (static_dir() / "index.html").is_file():
        pytest.fail("the dashboard is not built: run `make install` (npm ci && npm run build)")
    with serving(create_app(demo_url)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


def open_page(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed {request.url}"))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(url)
    wait_ready(page, 1)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def wait_ready(page, loads: int) -> None:  # type: ignore[no-untyped-def]
    # A function, not an expression: Playwright evals expressions, which the CSP forbids.
    page.wait_for_function(
        "() => document.body.dataset.state === 'ready'"
        f" && Number(document.body.dataset.loads) >= {loads}",
        timeout=20_000,
    )


def table_ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        "#events-table tbody tr", "rows => rows.map(r => r.dataset.id)"
    )


def click_a_marker(page) -> None:  # type: ignore[no-untyped-def]
    """Click an event marker, opening clusters (which zoom in) until one is on screen."""
    for _ in range(8):
        markers = page.locator(".event-marker")
        if markers.count():
            markers.first.click()
            return
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(600)
    raise AssertionError("no event marker became visible")


def test_markers_evidence_brush_and_shared_url(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{server}/")
    page.wait_for_selector(".event-marker, .marker-cluster")
    assert "Natural Earth" in page.inner_text(".leaflet-control-attribution")
    page.wait_for_selector("path.country", state="attached")
    assert page.locator("path.country").count() > 100  # borders drawn offline

    before = table_ids(page)
    assert before, "the table lists the events in view"
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 36, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
    page.mouse.up()
    wait_ready(page, 2)
    after = table_ids(page)
    assert 0 < len(after) < len(before)
    assert set(after) <= set(before)
    query = parse_qs(urlsplit(page.url).query)
    assert "since" in query and "until" in query
    assert page.input_value("input[name=since]") == query["since"][0]

    click_a_marker(page)
    page.wait_for_selector("#details .evidence")
    assert page.locator("#details .evidence").count() >= 1
    assert page.locator("#details .evidence a").count() >= 1
    heading = page.inner_text("#details h2")
    assert "event=" in page.url
    shared = page.url
    view = parse_qs(urlsplit(shared).query)["map"][0]
    rows = table_ids(page)
    assert not page.errors  # type: ignore[attr-defined]
    page.close()

    again = open_page(browser, shared)
    again.wait_for_selector("#details .evidence")
    assert again.inner_text("#details h2") == heading
    assert table_ids(again) == rows
    assert again.input_value("input[name=since]") == query["since"][0]
    assert again.input_value("input[name=until]") == query["until"][0]
    assert parse_qs(urlsplit(again.url).query)["map"][0] == view
    assert not again.errors  # type: ignore[attr-defined]
    again.close()


def test_filters_narrow_the_table_and_land_in_the_url(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, f"{server}/")
    before = table_ids(page)
    page.select_option("select[name=type]", "PROTEST")
    wait_ready(page, 2)
    after = table_ids(page)
    assert 0 < len(after) < len(before)
    assert all(t == "PROTEST" for t in page.eval_on_selector_all(
        "#events-table tbody tr td:nth-child(2)", "cells => cells.map(c => c.innerText.trim())"))
    assert "type=PROTEST" in page.url
    page.close()


def api(server: str, path: str, **params: str) -> dict:  # type: ignore[type-arg]
    with urlopen(f"{server}{path}?{urlencode(params)}", timeout=10) as response:
        return json.load(response)  # type: ignore[no-any-return]


def test_alert_panel_filters_to_the_alert_and_highlights_its_area(  # type: ignore[no-untyped-def]
    server: str, browser, tmp_path
) -> None:
    found = [a for a in api(server, "/api/alerts")["alerts"] if a["status"] in ("new", "ongoing")]
    assert found, "the demo corpus with the worked example raises an alert"
    # The worked example's alert when it is there (Latakia displacement), else the first.
    alert = next((a for a in found if (a["admin1"], a["concern"]) == ("Latakia", "displacement")),
                 found[0])
    page = open_page(browser, f"{server}/")
    page.wait_for_selector(".alert-item")
    assert page.locator(".alert-item").count() == len(found)
    entry = page.locator(f'.alert-item[data-alert="{alert["id"]}"]')
    text = entry.inner_text()
    assert alert["admin1"] in text and alert["country"] in text
    assert alert["start"] in text and "expected" in text and "score" in text
    # An escalated open alert says how far it has escalated; others do not mention it.
    escalated = [a for a in found if a["escalation"]]
    assert page.locator(".alert-item .escalated").count() == len(escalated)
    for other in escalated:
        shown = page.locator(f'.alert-item[data-alert="{other["id"]}"]').inner_text()
        assert f"escalated ×{other['escalation']}" in shown
    assert page.locator("path.alert-area").count() >= 1

    entry.click()
    wait_ready(page, 2)
    query = parse_qs(urlsplit(page.url).query)
    assert query["alert"] == [alert["id"]]
    assert query["admin1"] == [alert["admin1"]] and query["country"] == [alert["country"]]
    assert query["since"][0] <= alert["start"] and query["until"][0] >= alert["end"]
    page.wait_for_selector("path.alert-area.selected", state="attached")
    area = page.locator("path.alert-area.selected").bounding_box()
    frame = page.locator("#map").bounding_box()
    assert area and frame and area["width"] > 40 and area["height"] > 40, (area, frame)
    assert frame["x"] <= area["x"] and area["x"] + area["width"] <= frame["x"] + frame["width"]
    assert frame["y"] <= area["y"] and area["y"] + area["height"] <= frame["y"] + frame["height"]
    assert page.locator(".alert-item.selected .alert-event").count() == len(alert["events"])
    assert page.locator(".alert-item.selected .alert-signal").count() == len(alert["signals"])

    rows = table_ids(page)
    matching = api(server, "/api/events", country=alert["country"], admin1=alert["admin1"],
                   since=query["since"][0], until=query["until"][0], limit="5000")
    assert rows and set(rows) <= {e["id"] for e in matching["events"]}
    in_area = [e["id"] for e in alert["events"]
               if e["place"] and e["place"]["lat"] is not None
               and (e["place"]["admin1"] or "").lower() == alert["admin1"].lower()]
    assert in_area and set(in_area) <= set(rows), "the alert's events in its area are listed"

    screenshot = README_SCREENSHOT if os.environ.get("TOCSIN_SCREENSHOT") else \
        tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank one

    shared = page.url
    page.locator(".alert-item.selected .alert-event").first.click()
    page.wait_for_selector("#details .evidence")
    assert alert["events"][0]["event"] in page.inner_text("#details h2")
    assert not page.errors  # type: ignore[attr-defined]
    page.close()

    again = open_page(browser, shared)  # a shared link shows the same alert and rows
    again.wait_for_selector(f'.alert-item.selected[data-alert="{alert["id"]}"]')
    again.wait_for_selector("path.alert-area.selected", state="attached")
    assert table_ids(again) == rows
    assert not again.errors  # type: ignore[attr-defined]
    again.close()
