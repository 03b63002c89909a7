"""``/api/stats`` from the counts that triggers keep (``event_day_counts``,
``event_place_counts``, migration 0010) on SQLite and PostgreSQL: with no filter but modality
and category they give what grouping the events gives, after inserts, updates and deletes,
undated and unplaced events included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from postgres_server import fresh_schema
from sqlalchemy import delete, text, update
from test_api import no_pipeline
from test_api_grid import fill, synthetic_events

from tocsin.api import create_app
from tocsin.store import open_database
from tocsin.store.event_rows import events

COUNTED = [{}, {"modality": "any"}, {"type": "AID"}, {"type": "PROTEST", "modality": "alleged"}]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    found_events = synthetic_events(300)
    for i, event in enumerate(found_events):  # some without a country or division too
        if event.location is not None and i % 9 == 0:
            event.location.country = None
    if request.param == "sqlite":
        found = f"sqlite:///{tmp_path / 'counts.sqlite'}"
        fill(found, found_events)
        yield found
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as found:
        fill(found, found_events)
        yield found


def stats(client: TestClient, **params: str) -> dict:
    response = client.get("/api/stats", params={"by_type": "true", **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def check(url: str) -> None:
    with open_database(url) as database, database.engine.connect() as connection:
        kept = connection.scalar(text(
            "SELECT sum(events) FROM event_day_counts WHERE modality = 'asserted'"))
        places = connection.scalar(text(
            "SELECT sum(events) FROM event_place_counts WHERE modality = 'asserted'"))
        stored = connection.scalar(text("SELECT count(*) FROM events WHERE modality = 'asserted'"))
    assert kept == places == stored
    with TestClient(create_app(url, process=no_pipeline)) as client:
        for params in COUNTED:
            counted = stats(client, **params)
            # min_sources=1 holds for every event and makes the query group the events.
            grouped = stats(client, min_sources="1", **params)
            assert counted == grouped, params
            assert counted["total"] > 0


def test_counted_statistics_equal_grouped_ones(url: str) -> None:
    check(url)


def test_counted_statistics_follow_updates_and_deletes(url: str) -> None:
    with open_database(url) as database, database.engine.begin() as connection:
        c = events.c
        connection.execute(update(events).where(c.id == "ev-grid-0010")
                           .values(date_start=dt.date(2024, 9, 9), event="AID"))
        connection.execute(update(events).where(c.id == "ev-grid-0011")
                           .values(modality="alleged", location_country="SDN"))
        connection.execute(update(events).where(c.id == "ev-grid-0012")
                           .values(date_start=None, location_admin1="North"))
        connection.execute(delete(events).where(c.id.in_(["ev-grid-0020", "ev-grid-0033"])))
    check(url)
