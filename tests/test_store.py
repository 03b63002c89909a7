"""Storage: round trips, atomic writes, failures and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import threading
from pathlib import Path

import geoalchemy2  # noqa: F401  (teaches SQLAlchemy to reflect PostGIS types)
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from postgres_server import fresh_schema

import tocsin.store.database as database_module
from tocsin.document_id import document_id
from tocsin.records import (
    Actor,
    Counts,
    DateSpan,
    Document,
    DocumentResult,
    Entity,
    EventMention,
    Evidence,
    Failure,
    Place,
    Sentence,
)
from tocsin.store import Database, normalise_url, open_database
from tocsin.store.migrate import head_revision, include_object, migrations_dir
from tocsin.store.models import Base

FIRST = "Shelling struck the covered market in Kharkiv on Tuesday, killing at least four traders."
SECOND = "Officials in Kyiv said about 300 families had left Vovchansk for Kharkiv since Sunday."
FORECAST = "Aid groups warn that thousands more could leave if the shelling goes on."
TEXT = " ".join((FIRST, SECOND, FORECAST))


def _span(text: str, part: str, start_at: int = 0) -> tuple[int, int]:
    start = text.index(part, start_at)
    return start, start + len(part)


def make_result(text: str = TEXT, locator: str = "file:///reports/kharkiv.txt") -> DocumentResult:
    """A small hand-made result: three sentences, entities, places, two event mentions."""
    doc_id = document_id(text)
    bounds = []
    offset = 0
    for sentence in (FIRST, SECOND, FORECAST):
        start = text.index(sentence, offset)
        bounds.append((start, start + len(sentence)))
        offset = start + len(sentence)
    sentences = [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(bounds)]

    kharkiv = Place(
        "Kharkiv", *_span(text, "Kharkiv"), sentence=0, name="Kharkiv", geonameid=706483,
        country="UKR", admin1="Kharkivska", lat=49.98081, lon=36.25272, precision="town",
        score=0.91,
    )
    kyiv = Place(
        "Kyiv", *_span(text, "Kyiv"), sentence=1, name="Kyiv", geonameid=703448, country="UKR",
        admin1="Kyiv City", lat=50.45466, lon=30.5238, precision="town", metonym=True,
        score=0.55,
    )
    unresolved = Place("Vovchansk", *_span(text, "Vovchansk"), sentence=1)
    entities = [
        Entity("Kharkiv", "GPE", *_span(text, "Kharkiv"), sentence=0),
        Entity("Tuesday", "DATE", *_span(text, "Tuesday"), sentence=0),
        Entity("Kyiv", "GPE", *_span(text, "Kyiv"), sentence=1),
        Entity("about 300", "CARDINAL", *_span(text, "about 300"), sentence=1),
    ]
    shelling = EventMention(
        event="ASSAULT",
        evidence=Evidence(doc_id, FIRST, *bounds[0]),
        mode="artillery",
        acled=["Explosions/Remote violence", "Shelling/artillery/missile attack"],
        actor2=Actor("traders", country="UKR", sector="CVL"),
        location=kharkiv,
        date=DateSpan(dt.date(2024, 5, 14), dt.date(2024, 5, 14), "day"),
        counts=Counts(killed=4, qualifier="at least"),
        confidence=0.8,
        trigger="Shelling",
    )
    displacement = EventMention(
        event="DISPLACEMENT",
        evidence=Evidence(doc_id, SECOND, *bounds[1]),
        actor1=Actor("about 300 families", country="UKR", sector="CVL", group=None),
        location=Place(
            "Vovchansk", *_span(text, "Vovchansk"), sentence=1, name="Vovchansk",
            country="UKR", lat=50.29078, lon=36.94108, precision="town",
        ),
        date=DateSpan(dt.date(2024, 5, 12), None, "range"),
        counts=Counts(displaced=300, qualifier="about", unit="households"),
        confidence=0.65,
        source="Officials in Kyiv",
        trigger="left",
    )
    forecast = EventMention(
        event="DISPLACEMENT",
        evidence=Evidence(doc_id, FORECAST, *bounds[2]),
        modality="forecast",
        confidence=0.3,
    )
    document = Document(
        id=doc_id, text=text, locator=locator, format="text", title="Market shelled",
        author="A. Reporter", published=dt.date(2024, 5, 15), url="https://example.org/k",
        source="example.org", language="en",
    )
    return DocumentResult(
        document, sentences, entities, [kharkiv, kyiv, unresolved],
        [shelling, displacement, forecast],
    )




def _count(db: Database, table: str) -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(sa.text(f"SELECT count(*) FROM {table}")))


def test_round_trip_keeps_everything(db: Database) -> None:
    result = make_result()
    assert db.store_result(copy.deepcopy(result)) is True
    loaded = db.load_result(result.document.id)
    assert loaded == result
    assert loaded is not None and loaded.events[0].location == result.places[0]
    assert db.has_document(result.document.id)
    assert db.load_result("0" * 24) is None


def test_mention_rows_link_places_and_have_deterministic_ids(db: Database) -> None:
    result = make_result()
    db.store_result(result)
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT id, location_place_idx, location_country, killed, acled_sub_type"
                " FROM event_mentions ORDER BY idx"
            )
        ).all()
    doc = result.document.id
    assert [tuple(r) for r in rows] == [
        (f"{doc}:0", 0, "UKR", 4, "Shelling/artillery/missile attack"),
        (f"{doc}:1", None, "UKR", None, None),
        (f"{doc}:2", None, None, None, None),
    ]


def test_stats_counts_each_kind(db: Database) -> None:
    assert db.stats() == {"documents": 0, "failures": 0, "places": 0, "mentions": 0, "events": 0}
    db.store_result(make_result())
    db.record_failure(Failure("file:///broken.html", "read", "not UTF-8"))
    assert db.stats() == {"documents": 1, "failures": 1, "places": 3, "mentions": 3, "events": 0}


def test_duplicate_document_is_skipped(db: Database) -> None:
    result = make_result()
    assert db.store_result(result) is True
    again = make_result(locator="https://mirror.example.net/kharkiv")
    again.events = again.events[:1]
    assert db.store_result(again) is False
    assert db.stats()["documents"] == 1
    assert db.stats()["mentions"] == 3
    loaded = db.load_result(result.document.id)
    assert loaded is not None and loaded.document.locator == "file:///reports/kharkiv.txt"


def test_known_document_ids_over_many_ids(db: Database) -> None:
    first = make_result()
    second = make_result(TEXT + " A later update added nothing new.", locator="b.txt")
    db.store_result(first)
    db.store_result(second)
    asked = [f"{i:024x}" for i in range(1200)] + [second.document.id, first.document.id]
    assert db.known_document_ids(asked) == {first.document.id, second.document.id}
    assert db.known_document_ids([]) == set()
    assert not db.has_document("f" * 24)


def test_constraint_violation_midway_leaves_nothing(db: Database) -> None:
    result = make_result()
    db.record_failure(Failure(result.document.locator, "parse", "earlier crash"))
    bad = copy.deepcopy(result)
    bad.events[2].confidence = 1.5  # mentions are inserted after sentences, entities, places
    with pytest.raises(sa.exc.IntegrityError):
        db.store_result(bad)
    assert not db.has_document(result.document.id)
    for table in ("documents", "sentences", "entities", "places", "event_mentions"):
        assert _count(db, table) == 0, table
    assert db.stats()["failures"] == 1  # the earlier failure is kept until a store succeeds
    assert db.store_result(result) is True
    assert db.load_result(result.document.id) == result
    assert db.stats()["failures"] == 0


def test_error_at_the_last_step_rolls_back(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_delete(*_args: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(database_module, "delete", broken_delete)
    with pytest.raises(RuntimeError, match="disk on fire"):
        db.store_result(make_result())
    for table in ("documents", "sentences", "entities", "places", "event_mentions"):
        assert _count(db, table) == 0, table


def test_failure_upsert_counts_attempts(db: Database) -> None:
    db.record_failure(Failure("https://example.org/a", "fetch", "timeout"))
    db.record_failure(Failure("https://example.org/a", "parse", "too long"), document_id="abc")
    db.record_failure(Failure("https://example.org/b", "fetch", "HTTP 404"))
    with db.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT locator, stage, reason, document_id, attempts FROM failures"
                " ORDER BY locator"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("https://example.org/a", "parse", "too long", "abc", 2),
        ("https://example.org/b", "fetch", "HTTP 404", None, 1),
    ]


def test_storing_clears_failure_of_the_same_locator(db: Database) -> None:
    result = make_result(locator="https://example.org/a")
    db.record_failure(Failure("https://example.org/a", "fetch", "timeout"))
    db.record_failure(Failure("https://example.org/b", "fetch", "timeout"))
    assert db.store_result(result)
    with db.engine.connect() as connection:
        left = connection.scalars(sa.text("SELECT locator FROM failures")).all()
    assert left == ["https://example.org/b"]


def test_opening_twice_keeps_data_and_schema(database_url: str) -> None:
    first = open_database(database_url)
    first.store_result(make_result())
    first.close()
    second = open_database(database_url)
    try:
        assert second.stats()["documents"] == 1
        with second.engine.connect() as connection:
            versions = connection.scalars(sa.text("SELECT version_num FROM alembic_version"))
            assert list(versions) == [head_revision()]
    finally:
        second.close()


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_same_results_give_identical_rows(tmp_path: Path) -> None:
    """Apart from created_at, two stores of the same results hold the same values."""
    dumps = []
    for name in ("one", "two"):
        database = open_database(str(tmp_path / f"{name}.sqlite"))
        database.store_result(make_result())
        database.record_failure(Failure("x.warc#3", "parse", "bad record"))
        with database.engine.connect() as connection:
            dump = {}
            for table in Base.metadata.sorted_tables:
                columns = [c for c in table.c if c.name != "created_at"]
                dump[table.name] = connection.execute(
                    sa.select(*columns).order_by(*table.primary_key.columns)
                ).all()
        dumps.append(dump)
        database.close()
    assert dumps[0] == dumps[1]
    assert dumps[0]["sentences"]


@pytest.mark.postgres
def test_postgis_point_follows_lon_lat(postgres_url: str) -> None:
    with fresh_schema(postgres_url) as url:
        database = open_database(url)
        try:
            result = make_result()
            database.store_result(result)
            with database.engine.connect() as connection:
                rows = connection.execute(
                    sa.text(
                        "SELECT idx, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM places"
                        " ORDER BY idx"
                    )
                ).all()
                near = connection.scalars(
                    sa.text(
                        "SELECT idx FROM places WHERE ST_DWithin(geom::geography,"
                        " ST_SetSRID(ST_MakePoint(36.2, 50.0), 4326)::geography, 10000)"
                    )
                ).all()
        finally:
            database.close()
    kharkiv, kyiv = result.places[0], result.places[1]
    assert [tuple(r) for r in rows] == [
        (0, kharkiv.lon, kharkiv.lat, 4326),
        (1, kyiv.lon, kyiv.lat, 4326),
        (2, None, None, None),
    ]
    assert near == [0]


def test_concurrent_writers_all_succeed(database_url: str) -> None:
    """Two connections pools (as two worker processes would have) writing at once."""
    databases = [open_database(database_url), open_database(database_url)]
    errors: list[BaseException] = []

    def write(database: Database, worker: int) -> None:
        try:
            for i in range(15):
                text = f"{TEXT} Update {worker}-{i}."
                database.store_result(make_result(text, locator=f"w{worker}/{i}"))
                database.record_failure(Failure(f"shared-{i}", "fetch", f"worker {worker}"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(d, n)) for n, d in enumerate(databases)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert databases[0].stats()["documents"] == 30
        assert databases[0].stats()["failures"] == 15
        with databases[0].engine.connect() as connection:
            attempts = connection.scalars(sa.text("SELECT DISTINCT attempts FROM failures"))
            assert list(attempts) == [2]
    finally:
        for database in databases:
            database.close()


def test_sqlite_is_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "w.sqlite"))
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        database.close()


def test_plain_path_creates_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "t.sqlite"
    database = open_database(str(path))
    database.close()
    assert path.is_file()
    assert database.url == f"sqlite:///{path}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@db.example:5433/tocsin", "postgresql+psycopg://u@db.example:5433/tocsin"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
        ("sqlite:////abs/x.sqlite", "sqlite:////abs/x.sqlite"),
        (":memory:", "sqlite://"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_normalise_plain_path_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert normalise_url("tocsin.sqlite") == f"sqlite:///{tmp_path / 'tocsin.sqlite'}"


def test_migrations_are_inside_the_package() -> None:
    folder = migrations_dir()
    assert folder.parent.name == "tocsin"
    assert (folder / "versions" / "0001_initial.py").is_file()
    assert (folder / "script.py.mako").is_file()


def test_missing_postgres_binaries_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import postgres_server

    monkeypatch.setattr(postgres_server, "find_bin_dir", lambda: None)
    with pytest.raises(postgres_server.PostgresUnavailable, match="initdb, pg_ctl"):
        with postgres_server.running_postgres():
            pass
