"""``GET /api/events/grid`` through the real app on SQLite and PostgreSQL: the cells' counts add
up to the events the same filters list, per cell and per category; the number of cells stays
bounded whatever zoom is asked; bad parameters are refused with a problem document. The cells
kept by triggers (``event_cells``) give the same grid as grouping the events, after inserts,
updates and deletes."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from postgres_server import fresh_schema
from sqlalchemy import delete, insert, update
from test_api import no_pipeline

from tocsin.api import create_app
from tocsin.api.grid import MAX_CELLS
from tocsin.queries import EventFilters, GridCell, event_grid
from tocsin.records import DateSpan, Event, Place
from tocsin.store import open_database
from tocsin.store.event_rows import event_row, events

TYPES = ["ASSAULT", "PROTEST", "DISPLACEMENT", "AID"]
COUNTRIES = ["SYR", "MLI", "UKR", "FJI"]
# Places on the edges of the grid: the poles, the antimeridian, the prime meridian, the equator.
EDGES = [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (-16.5, 179.9), (-16.5, -179.9),
         (45.0, 22.5)]


def synthetic_events(count: int, seed: int = 3) -> list[Event]:
    rng = random.Random(seed)
    found = []
    for i in range(count):
        if i < len(EDGES):
            lat, lon = EDGES[i]
        else:
            lat, lon = rng.uniform(-60, 70), rng.uniform(-180, 180)
        located = i % 17 != 5
        place = Place(f"place {i}", 0, 1, 0, name=f"Place {i}", country=COUNTRIES[i % 4],
                      lat=lat if located else None, lon=lon if located else None)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(120))
        found.append(Event(
            id=f"ev-grid-{i:04d}", event=TYPES[rng.randrange(4)], location=place,
            date=DateSpan(day, day, "day") if i % 11 else None,
            modality="asserted" if i % 7 else "alleged", sources=1 + i % 3,
        ))
    return found


@pytest.fixture(scope="module")
def stored() -> list[Event]:
    return synthetic_events(400)


def fill(url: str, stored: list[Event]) -> None:
    with open_database(url) as database, database.engine.begin() as connection:
        connection.execute(insert(events), [event_row(e) for e in stored])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(
    request: pytest.FixtureRequest, tmp_path: Path, stored: list[Event]
) -> Iterator[TestClient]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'grid.sqlite'}"
        fill(url, stored)
        with TestClient(create_app(url, process=no_pipeline)) as test_client:
            yield test_client
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url:
        fill(url, stored)
        with TestClient(create_app(url, process=no_pipeline)) as test_client:
            yield test_client


def grid(client: TestClient, **params: str) -> dict:
    response = client.get("/api/events/grid", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def listed(client: TestClient, **params: str) -> list[dict]:
    response = client.get("/api/events", params={"limit": "5000", **params})
    assert response.status_code == 200, response.text
    return [e for e in response.json()["events"]
            if e["location"] and e["location"]["lat"] is not None]


def inside(cell: dict, lat: float, lon: float) -> bool:
    top = lat < cell["north"] or (cell["north"] == 90.0 and lat == 90.0)
    right = lon < cell["east"] or (cell["east"] == 180.0 and lon == 180.0)
    return cell["south"] <= lat and top and cell["west"] <= lon and right


FILTERS = [
    {},
    {"modality": "any"},
    {"country": "MLI"},
    {"type": "PROTEST", "since": "2024-02-01", "until": "2024-02-29"},
    {"bbox": "-30,-40,60,50", "min_sources": "2"},
    {"bbox": "170,-30,-170,0", "modality": "any"},  # across the antimeridian
    {"near": "0,0", "within_km": "3000"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) or "none" for f in FILTERS])
@pytest.mark.parametrize("zoom", ["0", "3", "6"])
def test_cells_count_every_listed_event_once(
    client: TestClient, filters: dict[str, str], zoom: str
) -> None:
    body = grid(client, zoom=zoom, **filters)
    wanted = listed(client, **filters)
    assert wanted, "a filter that matches nothing proves little"
    assert body["total"] == sum(c["count"] for c in body["cells"]) == len(wanted)
    for cell in body["cells"]:
        assert sum(cell["types"].values()) == cell["count"]
        assert cell["south"] <= cell["lat"] <= cell["north"]
        assert cell["west"] <= cell["lon"] <= cell["east"]
        mine = [e for e in wanted if inside(cell, e["location"]["lat"], e["location"]["lon"])]
        assert cell["count"] == len(mine)
        assert cell["types"] == dict(Counter(e["event"] for e in mine))


def test_the_cell_grows_with_the_view_and_shrinks_with_the_zoom(client: TestClient) -> None:
    world, closer = grid(client, zoom="2"), grid(client, zoom="4")
    assert world["cell_degrees"] == 22.5 and closer["cell_degrees"] == 22.5 / 4
    assert len(closer["cells"]) > len(world["cells"])
    assert world["bbox"] == [-180.0, -90.0, 180.0, 90.0]
    # The whole world at zoom 5 would be 8,192 cells: the cell doubles; a region keeps its size.
    assert grid(client, zoom="5")["cell_degrees"] == 22.5 / 4
    assert grid(client, zoom="5", bbox="-20,0,20,30")["cell_degrees"] == 22.5 / 8


@pytest.mark.parametrize("zoom", ["10", "18"])
def test_the_number_of_cells_stays_bounded(client: TestClient, zoom: str) -> None:
    body = grid(client, zoom=zoom, modality="any")
    assert body["cell_degrees"] > 0.0
    assert (180 / body["cell_degrees"]) * (360 / body["cell_degrees"]) <= 4 * MAX_CELLS
    assert len(body["cells"]) <= MAX_CELLS
    assert body["total"] == len(listed(client, modality="any"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zoom": "-1"}, "zoom"),
        ({"zoom": "40"}, "zoom"),
        ({"zoom": "near"}, "zoom"),
        ({"bbox": "10,20,30"}, "bbox"),
        ({"bbox": "0,50,10,40"}, "bbox"),
        ({"country": "Atlantis"}, "country"),
        ({"since": "2024-03-01", "until": "2024-01-01"}, "since"),
    ],
)
def test_bad_parameters_are_problems(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/events/grid", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text


def test_the_route_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/events/grid"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"zoom", "bbox", "country", "type", "since", "until", "modality"} <= names
    assert "422" in operation["responses"]


def scanned(url: str, filters: EventFilters, size: float) -> list[GridCell]:
    """``event_grid`` made to group the events themselves: every event has a source."""
    with open_database(url) as database:
        return event_grid(database, replace(filters, min_sources=1), size)


def summed(url: str, filters: EventFilters, size: float) -> list[GridCell]:
    with open_database(url) as database:
        return event_grid(database, filters, size)


def same(found: list[GridCell], wanted: list[GridCell]) -> bool:
    return [(g.row, g.column, g.count, g.types) for g in found] == [
        (g.row, g.column, g.count, g.types) for g in wanted] and all(
        abs(f.lat - w.lat) < 1e-6 and abs(f.lon - w.lon) < 1e-6
        for f, w in zip(found, wanted, strict=True))


ALIGNED = [
    (EventFilters(), 22.5),
    (EventFilters(modality=None), 90.0),
    (EventFilters(type="AID"), 5.625),
    (EventFilters(bbox=(-45.0, -45.0, 45.0, 67.5)), 22.5),
    (EventFilters(bbox=(135.0, -90.0, -157.5, 90.0), modality=None), 22.5),  # antimeridian
    (EventFilters(bbox=(-180.0, -90.0, 180.0, 90.0)), 0.703125),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(
    request: pytest.FixtureRequest, tmp_path: Path, stored: list[Event]
) -> Iterator[str]:
    if request.param == "sqlite":
        found = f"sqlite:///{tmp_path / 'cells.sqlite'}"
        fill(found, stored)
        yield found
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as found:
        fill(found, stored)
        yield found


def test_stored_cells_equal_the_grouped_events(url: str) -> None:
    for filters, size in ALIGNED:
        wanted = scanned(url, filters, size)
        assert wanted and same(summed(url, filters, size), wanted), (filters, size)


def test_stored_cells_follow_updates_and_deletes(url: str) -> None:
    with open_database(url) as database, database.engine.begin() as connection:
        c = events.c
        connection.execute(update(events).where(c.id == "ev-grid-0010")
                           .values(location_lat=12.0, location_lon=-3.0))
        connection.execute(update(events).where(c.id == "ev-grid-0011")
                           .values(modality="alleged", event="PROTEST"))
        connection.execute(update(events).where(c.id == "ev-grid-0012")
                           .values(location_lat=None, location_lon=None))
        connection.execute(update(events).where(c.id == "ev-grid-0005")  # was unlocated
                           .values(location_lat=-10.0, location_lon=100.0))
        connection.execute(delete(events).where(c.id.in_(["ev-grid-0020", "ev-grid-0030"])))
        connection.execute(update(events).where(c.id == "ev-grid-0040")
                           .values(sources=9))  # not a watched column
    for filters, size in ALIGNED:
        assert same(summed(url, filters, size), scanned(url, filters, size)), (filters, size)
