"""What SQLite does for the map's requests on a record of a few hundred events, read from the
statements the public queries run (captured with SQLAlchemy's events, then EXPLAINed): a small
box is read through ``ix_events_spatial_listing`` and sorted, not by walking every event in
date order; a country and month through ``ix_events_country_listing``; a world grid and world
statistics from the counts that triggers keep, never from ``events``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from test_api_grid import fill, synthetic_events

from tocsin.queries import EventFilters, event_grid, event_stats, query_events
from tocsin.store import Database, open_database


@pytest.fixture()
def database(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'plans.sqlite'}"
    fill(url, synthetic_events(300))
    with open_database(url) as opened:
        yield opened


def plans(database: Database, run) -> list[str]:  # type: ignore[no-untyped-def]
    """The query plan of every SELECT that ``run()`` executes, one string each."""
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "sqlite_" not in statement:
            seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    found = []
    with database.engine.connect() as connection:
        for statement, parameters in seen:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            found.append(" | ".join(str(r[-1]) for r in rows))
    return found


def test_a_small_box_is_read_by_latitude_and_sorted(database: Database) -> None:
    box = EventFilters(bbox=(10.0, 5.0, 14.0, 8.0))
    found = plans(database, lambda: query_events(database, box, limit=501))
    listing = [p for p in found if "ORDER BY" in p or "events USING" in p][0]
    assert "ix_events_spatial_listing" in listing, found


def test_a_country_month_walks_the_country_index(database: Database) -> None:
    month = EventFilters(country="MLI", since=dt.date(2024, 2, 1), until=dt.date(2024, 2, 29))
    found = plans(database, lambda: query_events(database, month, limit=501))
    assert "ix_events_country_listing" in found[0], found


def test_world_views_read_the_kept_counts(database: Database) -> None:
    grid = plans(database, lambda: event_grid(database, EventFilters(), 22.5))
    assert len(grid) == 1 and "event_cells" in grid[0] and "events USING" not in grid[0]
    stats = plans(database, lambda: event_stats(database, EventFilters(), by_type=True))
    assert len(stats) == 2, stats
    assert "event_day_counts" in stats[0] and "event_place_counts" in stats[1]
