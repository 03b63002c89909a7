"""Queries over stored Events: every filter, pagination, counts, statistics, one Event, and the
Python API (``tocsin.events``, ``tocsin.event``), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fusion_reports import DAY, reports
from postgres_server import fresh_schema

import tocsin
from tocsin.incremental_fusion import fuse_pending
from tocsin.queries import EventFilters, count_events, event_stats, get_event, query_events
from tocsin.store import Database, open_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    def filled(url: str) -> Database:
        database = open_database(url)
        for result in reports().values():
            database.store_result(result)
        fuse_pending(database)
        return database

    if request.param == "sqlite":
        database = filled(str(tmp_path / "q.sqlite"))
        yield database
        database.close()
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url:
        database = filled(url)
        yield database
        database.close()


def docs_of(db: Database, **filters) -> set[str]:  # type: ignore[no-untyped-def]
    names = {r.document.id: n for n, r in reports().items()}
    found = query_events(db, EventFilters(**filters))
    return {names[ref.document] for e in found for ref in e.mentions}


STRIKE = {"strike_a", "strike_b", "strike_c"}


def test_default_is_asserted_only(db: Database) -> None:
    assert "forecast" not in docs_of(db)
    assert docs_of(db, modality="forecast") == {"forecast"}
    assert "forecast" in docs_of(db, modality=None)
    assert count_events(db, EventFilters()) == 4
    assert count_events(db, EventFilters(modality=None)) == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "nga"}, {"borno"}),
        ({"admin1": "IDLIB"}, STRIKE | {"strike_later"}),
        ({"type": "protest"}, {"protest"}),
        ({"acled_type": "air/drone strike"}, STRIKE | {"strike_later"}),
        ({"acled_type": "Violence against civilians"}, {"borno"}),
        ({"actor": "russian"}, STRIKE | {"strike_later"}),
        ({"actor": "REB"}, {"borno"}),
        ({"since": DAY + dt.timedelta(days=3)}, {"strike_later"}),
        ({"until": DAY - dt.timedelta(days=2)}, set()),
        ({"since": DAY, "until": DAY, "country": "SYR"}, STRIKE | {"protest"}),
        ({"bbox": (36.0, 34.0, 37.0, 35.0)}, {"protest"}),
        ({"bbox": (10.0, 10.0, 14.0, 13.0)}, {"borno"}),
        ({"bbox": (170.0, -10.0, -170.0, 10.0)}, set()),  # across the antimeridian
        # Idlib city: Saraqib 18 km away, Homs 134 km (default radius 50 km)
        ({"near": (35.93, 36.63)}, STRIKE | {"strike_later"}),
        # Hama: Homs 45 km away, Saraqib 82 km
        ({"near": (35.13, 36.75), "within_km": 60}, {"protest"}),
        ({"near": (35.13, 36.75), "within_km": 100}, STRIKE | {"strike_later", "protest"}),
        ({"near": (11.85, 13.16), "within_km": 1}, {"borno"}),
        ({"near": (11.85, 13.16), "within_km": 0.1}, set()),
        ({"near": (0.0, 179.9), "within_km": 500}, set()),  # box across the antimeridian
        ({"min_sources": 2}, STRIKE),
        ({"text": "MARKET"}, STRIKE),
        ({"text": "100%_"}, set()),
    ],
)
def test_filters(db: Database, filters: dict, expected: set[str]) -> None:
    assert docs_of(db, **filters) == expected
    assert count_events(db, EventFilters(**filters)) == len(
        query_events(db, EventFilters(**filters))
    )


def test_radius_needs_a_valid_centre(db: Database) -> None:
    with pytest.raises(ValueError, match="near"):
        query_events(db, EventFilters(near=(95.0, 10.0)))
    with pytest.raises(ValueError, match="within_km"):
        query_events(db, EventFilters(within_km=10.0))


def test_sorted_by_date_then_id_and_cursor_pages(db: Database) -> None:
    everything = query_events(db, EventFilters(modality=None))
    keys = [(e.date.start, e.id) for e in everything]
    assert keys == sorted(keys)
    pages, after = [], None
    while True:
        page = query_events(db, EventFilters(modality=None), limit=2, after=after)
        if not page:
            break
        pages.extend(page)
        after = page[-1].id
    assert [e.id for e in pages] == [e.id for e in everything]
    with pytest.raises(LookupError):
        query_events(db, EventFilters(), after="ev-unknown")


def test_get_event_lists_every_mention_with_its_evidence(db: Database) -> None:
    strike = next(e for e in query_events(db, EventFilters(min_sources=3)))
    found = get_event(db, strike.id)
    assert found == strike
    a = reports()["strike_a"]
    ref = found.mentions[0]
    assert ref.document == a.document.id
    assert ref.sentence == a.events[0].evidence.sentence
    assert a.document.text[ref.start : ref.end] == ref.sentence
    assert (ref.source, ref.url, ref.published) == (
        a.document.source, a.document.url, a.document.published,
    )
    assert get_event(db, "ev-nothing") is None


def test_stats(db: Database) -> None:
    stats = event_stats(db, EventFilters())
    assert stats["total"] == 4
    assert stats["types"] == {"ASSAULT": 3, "PROTEST": 1}
    assert stats["countries"] == {"NGA": 1, "SYR": 3}
    assert stats["admin1"] == {"Borno": 1, "Homs": 1, "Idlib": 2}
    assert stats["days"] == {DAY.isoformat(): 3, (DAY + dt.timedelta(days=4)).isoformat(): 1}


def test_python_api(db: Database) -> None:
    frame = tocsin.events(db, country="SYR")
    assert len(frame) == 3
    assert {"id", "event", "lat", "lon", "date_start", "sources", "killed"} <= set(frame.columns)
    strike = frame[frame["sources"] == 3].iloc[0]
    assert strike["killed"] == 9
    assert str(strike["date_start"].date()) == DAY.isoformat()
    assert tocsin.event(db, strike["id"]).sources == 3
    assert len(tocsin.events(db.url, limit=1)) == 1
    with pytest.raises(TypeError):
        tocsin.events(db, colour="red")


@pytest.mark.parametrize(
    "filters",
    [EventFilters(near=(35.93, 36.63), within_km=25.0),
     EventFilters(bbox=(36.0, 34.0, 37.0, 35.0))],
)
def test_postgis_index_serves_the_spatial_filters(db: Database, filters: EventFilters) -> None:
    from sqlalchemy import select, text

    from tocsin.queries import filter_clauses
    from tocsin.store.event_rows import events

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the GiST index exists on PostgreSQL only")
    with db.engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        query = select(events.c.id).where(*filter_clauses(connection, filters))
        compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
        plan = "\n".join(r[0] for r in connection.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_events_geom" in plan, plan
