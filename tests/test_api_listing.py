"""Listing and counting through the real app on SQLite and PostgreSQL: the order (dated events
by day and id, then undated ones by id) and cursors across that boundary, list items equal to
``Event.to_dict()`` (without mentions unless asked), and ``days_by_type`` agreeing with
per-category statistics."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from postgres_server import fresh_schema
from test_api import REPORTS, no_pipeline, report_result

from tocsin.api import create_app
from tocsin.incremental_fusion import fuse_pending
from tocsin.queries import EventFilters, query_events
from tocsin.records import DocumentResult
from tocsin.store import open_database


def undated(number: int) -> DocumentResult:
    """Report ``number`` with neither an event date nor a publication date."""
    result = report_result(number)
    document = replace(result.document, published=None)
    return replace(result, document=document,
                   events=[replace(m, date=None) for m in result.events])


def fill_with_undated(url: str) -> None:
    with open_database(url) as database:
        for number in range(len(REPORTS)):
            database.store_result(report_result(number) if number % 2 else undated(number))
        fuse_pending(database)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        found = f"sqlite:///{tmp_path / 'listing.sqlite'}"
        fill_with_undated(found)
        yield found
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as found:
        fill_with_undated(found)
        yield found


@pytest.fixture()
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(url, process=no_pipeline)) as test_client:
        yield test_client


def listing(client: TestClient, **params: str) -> list[dict]:
    response = client.get("/api/events", params={"modality": "any", **params})
    assert response.status_code == 200, response.text
    return response.json()["events"]  # type: ignore[no-any-return]


def test_dated_events_come_first_then_undated_by_id(client: TestClient) -> None:
    events = listing(client)
    dated = [e for e in events if e["date"] and e["date"]["start"]]
    undated_ = [e for e in events if not (e["date"] and e["date"]["start"])]
    assert len(dated) == 2 and len(undated_) == 2
    assert events == dated + undated_
    assert [(e["date"]["start"], e["id"]) for e in dated] == sorted(
        (e["date"]["start"], e["id"]) for e in dated)
    assert [e["id"] for e in undated_] == sorted(e["id"] for e in undated_)


@pytest.mark.parametrize("cursor", ["next", "id"])
def test_cursors_cross_from_dated_to_undated(client: TestClient, cursor: str) -> None:
    whole = [e["id"] for e in listing(client)]
    seen: list[str] = []
    after: str | None = None
    while True:
        params = {"limit": "1", "modality": "any", **({"after": after} if after else {})}
        body = client.get("/api/events", params=params).json()
        seen.extend(e["id"] for e in body["events"])
        if body["next"] is None:
            break
        after = body["next"] if cursor == "next" else body["events"][-1]["id"]
    assert seen == whole
    # A page of three starts with the dated events and goes on into the undated ones.
    assert [e["id"] for e in listing(client, limit="3")] == whole[:3]


def test_list_items_are_the_events_records(client: TestClient, url: str) -> None:
    with open_database(url) as database:
        expected = [e.to_dict() for e in query_events(database, EventFilters(modality=None))]
    assert all(e["mentions"] for e in expected)
    assert listing(client, mentions="true") == expected
    # Without mentions=true a listing leaves the mentions out; the event itself has them.
    assert listing(client) == [{k: v for k, v in e.items() if k != "mentions"} for e in expected]
    one = client.get(f"/api/events/{expected[0]['id']}").json()
    assert {k: v for k, v in one.items() if k != "documents"} == expected[0]
    features = client.get("/api/events", params={"modality": "any", "format": "geojson"}).json()
    assert [f["properties"]["reports"] for f in features["features"]] == [
        len(e["mentions"]) for e in expected]


def test_days_by_type_agrees_with_each_category(client: TestClient) -> None:
    stats = client.get("/api/stats", params={"modality": "any", "by_type": "true"}).json()
    assert stats["total"] == 4
    assert sum(stats["types"].values()) == 4
    assert sum(stats["days"].values()) == 2  # undated events count only in the total
    assert set(stats["days_by_type"]) == set(stats["types"])
    for kind in stats["types"]:
        alone = client.get("/api/stats", params={"modality": "any", "type": kind}).json()
        assert stats["days_by_type"][kind] == alone["days"]
        assert alone["types"] == {kind: stats["types"][kind]}
