"""Fusion of pending mentions on a real LocalCluster (2 worker processes, SQLite): the event
tables equal those of the single-process ``fuse_pending``, first fusion and late arrivals, and
the Events equal those of the pure ``fuse`` over every mention, whether the documents come at
once or in batches, and with corrections; the workers, not the driver, read the mentions,
build their profiles and find the components."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from distributed import Client

import tocsin.fusion.profiles
import tocsin.incremental_fusion
import tocsin.store.event_store
from tocsin.distributed.fusion_plan import plan_parallel, row_label_key
from tocsin.distributed.fusion_tasks import fuse_part, fuse_pending_parallel, fuse_stored_part
from tocsin.fusion import MentionInput, default_rules, fingerprint, fuse
from tocsin.fusion.separation import label_key
from tocsin.incremental_fusion import (
    fuse_pending,
    merge_stored_events,
    plan_mentions,
    split_stored_event,
)
from tocsin.queries import EventFilters, query_events
from tocsin.records import (
    Actor,
    Counts,
    DateSpan,
    Document,
    DocumentResult,
    EventMention,
    Evidence,
    Place,
)
from tocsin.store import Database, open_database
from tocsin.store.fusion_labels import label_rows, mixed_event_label_rows

# Tables fusion writes, with the columns that do not depend on the wall clock.
COMPARED = ("events", "event_mention_links", "event_aliases", "fusion_mentions", "fusion_blocks")
CLOCK = {"created_at", "updated_at"}
TOWNS = [
    ("Aleppo", "SYR", 36.20, 37.16), ("Homs", "SYR", 34.73, 36.71), ("Mosul", "IRQ", 36.34, 43.13),
    ("Kherson", "UKR", 46.64, 32.61), ("Goma", "COD", -1.68, 29.23), ("Gao", "MLI", 16.27, -0.04),
]  # fmt: skip


def synthetic_results(count: int, seed: int) -> list[DocumentResult]:
    """Reports of strikes in six towns over two months: several reports per strike,
    some wire copies sharing a text, and near misses in day and place."""
    rng = random.Random(seed)
    results: list[DocumentResult] = []
    strike = 0
    while len(results) < count:
        strike += 1
        town, country, lat, lon = rng.choice(TOWNS)
        day = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randrange(60))
        killed = rng.randrange(1, 20)
        wire = f"Shells hit {town} on {day:%d %B}, killing {killed}, a monitor said ({strike})."
        for report in range(rng.randrange(1, 5)):
            if len(results) >= count:
                break
            document_id = f"s{seed}-{strike:04d}-{report}"
            text = wire if rng.random() < 0.3 else f"Report {document_id} on shelling in {town}."
            vague = rng.random() < 0.2
            place = (
                Place(f"{town} province", 0, 9, 0, f"{town} province", None, country,
                      f"{country}-{town}", lat + 0.2, lon + 0.2, "admin1")
                if vague
                else Place(town, 0, len(town), 0, town, None, country, f"{country}-{town}",
                           lat + rng.uniform(-0.01, 0.01), lon, "town")
            )  # fmt: skip
            mention = EventMention(
                event="ASSAULT",
                mode="shelling",
                acled=["Explosions/Remote violence", "Shelling/artillery/missile attack"],
                evidence=Evidence(document_id, text[:60], 0, 1),
                actor1=Actor("government forces", country, "MIL") if rng.random() < 0.7 else None,
                actor2=None,
                location=place,
                date=DateSpan(day, day, "day"),
                counts=Counts(killed=max(1, killed + rng.randrange(-2, 3))),
                confidence=0.7,
            )
            published = day + dt.timedelta(days=rng.randrange(2))
            document = Document(document_id, text, document_id, "text", published=published,
                                source=f"outlet{rng.randrange(12)}")  # fmt: skip
            results.append(DocumentResult(document, events=[mention]))
    return results


def store_all(database: Database, results: list[DocumentResult]) -> None:
    for result in results:
        assert database.store_result(result)


def fusion_tables(database: Database) -> dict[str, list[tuple]]:
    tables: dict[str, list[tuple]] = {}
    with database.engine.connect() as connection:
        for name in COMPARED:
            table = sa.Table(name, sa.MetaData(), autoload_with=connection)
            columns = [c for c in table.columns if c.name not in CLOCK]
            rows = connection.execute(sa.select(*columns)).all()
            tables[name] = sorted(tuple(r) for r in rows)
    return tables


def test_parallel_fusion_stores_what_serial_fusion_stores(
    dask_client: Client, tmp_path: Path
) -> None:
    first, late = synthetic_results(240, seed=3), synthetic_results(60, seed=4)
    serial = open_database(f"sqlite:///{tmp_path / 'serial.sqlite'}")
    parallel = open_database(f"sqlite:///{tmp_path / 'parallel.sqlite'}")
    try:
        for batch in (first, late):
            store_all(serial, batch)
            store_all(parallel, batch)
            plan = plan_parallel(parallel, default_rules(), size=25)
            assert plan is not None
            assert len(plan.tasks) > 2  # the work really is split across tasks
            expected = fuse_pending(serial)
            got = fuse_pending_parallel(parallel, dask_client, mentions_per_task=25)
            assert got.to_dict() == expected.to_dict()
            assert fusion_tables(parallel) == fusion_tables(serial)
        tables = fusion_tables(parallel)
        # Reports were fused (fewer Events than mentions) and late ones joined stored Events.
        assert 0 < len(tables["events"]) < len(first) + len(late)
        assert got.refused_mentions > got.new_mentions
        # Nothing pending: nothing written.
        again = fuse_pending_parallel(parallel, dask_client)
        assert again.to_dict() == fuse_pending(serial).to_dict()
        assert fuse_pending_parallel(parallel, dask_client).events_written == 0
        assert fusion_tables(parallel) == tables
    finally:
        serial.close()
        parallel.close()


def test_tasks_hold_whole_components_and_whole_stored_events(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'groups.sqlite'}")
    try:
        store_all(database, synthetic_results(120, seed=5))
        plan = plan_parallel(database, default_rules(), size=10)
        assert plan is not None and len(plan.tasks) > 2
        assert sorted(m for t in plan.tasks for m in t) == sorted(
            r.id for r in _mention_ids(database)
        )
        task_of = {m: i for i, t in enumerate(plan.tasks) for m in t}
        fuse_pending(database)
        with database.engine.connect() as connection:
            components = connection.execute(
                sa.text("SELECT mention_id, component FROM fusion_mentions")
            ).all()
        assert len(components) == len(task_of)
        for mention, component in components:
            assert task_of[mention] == task_of[component]
    finally:
        database.close()


def _mention_ids(database: Database) -> list[sa.Row]:  # type: ignore[type-arg]
    with database.engine.connect() as connection:
        return list(connection.execute(sa.text("SELECT id FROM event_mentions")))


def _inputs(results: list[DocumentResult]) -> list[MentionInput]:
    return [
        MentionInput(f"{r.document.id}:{i}", m, r.document.id, fingerprint(r.document.text),
                     r.document.source, r.document.url, r.document.published)
        for r in results for i, m in enumerate(r.events)
    ]  # fmt: skip


def _events(database: Database) -> list[dict]:  # type: ignore[type-arg]
    found = query_events(database, EventFilters(modality=None))
    return sorted((e.to_dict() for e in found), key=lambda e: e["id"])


def test_serial_dask_and_incremental_fusion_give_the_events_of_pure_fusion(
    dask_client: Client, tmp_path: Path
) -> None:
    results = synthetic_results(300, seed=6)
    expected = sorted((e.to_dict() for e in fuse(_inputs(results))), key=lambda e: e["id"])
    assert len(expected) < len(results)
    got = {}
    for name in ("serial", "dask", "serial-batches", "dask-batches"):
        database = open_database(f"sqlite:///{tmp_path / name}.sqlite")
        batches = [results[i : i + 70] for i in range(0, len(results), 70)]
        try:
            for batch in batches if name.endswith("batches") else [results]:
                store_all(database, batch)
                if name.startswith("dask"):
                    fuse_pending_parallel(database, dask_client, mentions_per_task=25)
                else:
                    fuse_pending(database)
            got[name] = _events(database)
        finally:
            database.close()
    for name, events in got.items():
        assert events == expected, name


def test_workers_plan_their_tasks_in_the_database_and_ship_back_the_fused_part(
    tmp_path: Path,
) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'read.sqlite'}")
    try:
        store_all(database, synthetic_results(120, seed=7))
        rules = default_rules()
        plan = plan_parallel(database, rules, size=40)
        assert plan is not None
        task = plan.tasks[0]
        local = plan_mentions(database, task, plan.corrections, rules)
        assert local is not None and sorted(local.inputs) == task  # nothing stored to reach
        expected = fuse_part(local, rules)
        assert fuse_stored_part(database.url, task, plan.corrections, rules) == expected
        assert expected.events == fuse(local.inputs.values())
        # A SQLite file this worker does not have: no empty file is made, the driver must send.
        missing = tmp_path / "elsewhere.sqlite"
        assert fuse_stored_part(f"sqlite:///{missing}", task, plan.corrections, rules) is None
        assert not missing.exists()
    finally:
        database.close()


def test_parallel_fusion_sends_the_inputs_when_workers_cannot_reach_the_database(
    dask_client: Client, tmp_path: Path
) -> None:
    results = synthetic_results(150, seed=8)
    serial = open_database(f"sqlite:///{tmp_path / 'serial.sqlite'}")
    real = open_database(f"sqlite:///{tmp_path / 'parallel.sqlite'}")
    # The driver's engine is the real file; the URL the workers get names no file they have.
    unreachable = Database(f"sqlite:///{tmp_path / 'not-on-the-workers.sqlite'}", real.engine)
    try:
        store_all(serial, results)
        store_all(real, results)
        expected = fuse_pending(serial)
        got = fuse_pending_parallel(unreachable, dask_client, mentions_per_task=25)
        assert got.to_dict() == expected.to_dict()
        assert fusion_tables(real) == fusion_tables(serial)
        assert not (tmp_path / "not-on-the-workers.sqlite").exists()
    finally:
        serial.close()
        real.close()


@contextmanager
def _driver_forbidden(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The driver process may neither build a profile nor read a mention's row meanwhile (the
    workers are other processes: they are not patched)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the driver built a profile or read a mention")

    with monkeypatch.context() as patch:
        for module in (tocsin.fusion.profiles, tocsin.incremental_fusion):
            patch.setattr(module, "build_profile", refuse)
        for module in (tocsin.store.event_store, tocsin.incremental_fusion):
            patch.setattr(module, "mention_rows", refuse)
        yield


def test_the_driver_builds_no_profile_and_reads_no_mention_and_events_equal_serial(
    dask_client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With corrections (a split, and a merge across two countries that ties their groups)
    and late arrivals: the same event tables as serial fusion, planned on the workers."""
    first, late = synthetic_results(200, seed=9), synthetic_results(80, seed=10)
    serial = open_database(f"sqlite:///{tmp_path / 'serial.sqlite'}")
    parallel = open_database(f"sqlite:///{tmp_path / 'parallel.sqlite'}")
    try:
        store_all(serial, first)
        store_all(parallel, first)
        fuse_pending(serial)
        with _driver_forbidden(monkeypatch):
            fuse_pending_parallel(parallel, dask_client, mentions_per_task=30)
        assert fusion_tables(parallel) == fusion_tables(serial)
        events = query_events(serial, EventFilters(modality=None))
        multiple = next(e for e in events if len(e.mentions) > 1)
        syrian = next(e for e in events if e.location and e.location.country == "SYR")
        malian = next(e for e in events if e.location and e.location.country == "MLI")
        for database in (serial, parallel):
            split_stored_event(database, multiple.id, [multiple.mentions[0].mention])
            merge_stored_events(database, syrian.id, malian.id, note="one operation")
            store_all(database, late)
        fuse_pending(serial)
        # Each group its own task, but the merge ties Syria's group and Mali's together.
        plan = plan_parallel(parallel, default_rules(), size=1)
        assert plan is not None
        country = {f"{r.document.id}:0": r.events[0].location.country for r in late}  # type: ignore[union-attr]
        together = [{country[m] for m in task} for task in plan.tasks]
        assert {"SYR", "MLI"} in together and len(together) > 2
        with _driver_forbidden(monkeypatch):
            fuse_pending_parallel(parallel, dask_client, mentions_per_task=30)
        assert fusion_tables(parallel) == fusion_tables(serial)
        assert _events(parallel) == _events(serial)
    finally:
        serial.close()
        parallel.close()


def test_the_driver_reads_the_label_keys_the_fusion_inputs_have(db: Database) -> None:
    """On SQLite and PostgreSQL, the columns the driver reads give each mention the label key
    of its fusion input: placed or not, a metonymic place, a place of no country, actors with
    and without one; and the aggregate query finds a stored Event across two countries."""
    results = synthetic_results(12, seed=11)
    variants = [
        {"location": None},
        {"location": None, "actor1": Actor("rebels", None, "REB"), "actor2": None},
        {"location": None, "actor1": Actor("army", "SYR", "MIL"),
         "actor2": Actor("militia", "IRQ", "REB")},
        {"location": Place("Damascus", 0, 8, 0, "Damascus", None, "SYR", "SYR-DI", 33.5, 36.3,
                           "town", metonym=True)},
        {"location": Place("the border", 0, 10, 0, "the border", None, None, None, None, None,
                           "region")},
        {"location": Place("at sea", 0, 6, 0, "at sea", None, "", None, None, None, "region"),
         "modality": "denied"},
    ]  # fmt: skip
    for result, changes in zip(results, variants, strict=False):
        result.events[0] = dataclasses.replace(result.events[0], **changes)
    store_all(db, results)
    expected = {i.id: label_key(i) for i in _inputs(results)}
    with db.engine.connect() as connection:
        read = {r[0]: row_label_key(r, 1) for r in label_rows(connection, expected)}
    assert read == expected
    assert len(set(expected.values())) >= len(variants)
    store_all(db, synthetic_results(60, seed=14))
    fuse_pending(db)
    events = query_events(db, EventFilters(modality=None))
    syrian = next(e for e in events if e.location and e.location.country == "SYR")
    malian = next(e for e in events if e.location and e.location.country == "MLI")
    rules = default_rules()
    with db.engine.begin() as connection:
        before = mixed_event_label_rows(connection, rules.families, rules.cross_border_families)
        connection.execute(
            sa.text("UPDATE event_mention_links SET event_id = :e WHERE mention_id = :m"),
            {"e": syrian.id, "m": malian.mentions[0].mention},
        )
        mixed = mixed_event_label_rows(connection, rules.families, rules.cross_border_families)
    # A superset (Events whose mentions' labels differ within one group come too), but the
    # Event that now spans Syria and Mali is new in it.
    assert {r[0] for r in mixed} - {r[0] for r in before} == {syrian.id}


def test_a_stale_event_across_two_countries_ties_their_groups(
    dask_client: Client, tmp_path: Path
) -> None:
    """A stored Event whose mentions lie in two groups (as after a change of the rules) is
    re-fused whole by one task, and the tables equal serial fusion's."""
    first, late = synthetic_results(150, seed=12), synthetic_results(60, seed=13)
    country = {f"{r.document.id}:0": r.events[0].location.country for r in first + late}  # type: ignore[union-attr]
    databases = [open_database(f"sqlite:///{tmp_path / n}.sqlite") for n in ("s", "p")]
    try:
        for database in databases:
            store_all(database, first)
            fuse_pending(database)
        events = query_events(databases[0], EventFilters(modality=None))
        syrian = next(e for e in events if e.location and e.location.country == "SYR")
        malian = next(e for e in events if e.location and e.location.country == "MLI")
        moved = malian.mentions[0].mention
        for database in databases:
            with database.engine.begin() as connection:
                connection.execute(
                    sa.text("UPDATE event_mention_links SET event_id = :e WHERE mention_id = :m"),
                    {"e": syrian.id, "m": moved},
                )
            store_all(database, late)
        with databases[1].engine.connect() as connection:
            rules = default_rules()
            mixed = mixed_event_label_rows(connection, rules.families, rules.cross_border_families)
        assert {r[0] for r in mixed} == {syrian.id}
        plan = plan_parallel(databases[1], default_rules(), size=1)
        assert plan is not None
        assert {"SYR", "MLI"} in [{country[m] for m in task} for task in plan.tasks]
        fuse_pending(databases[0])
        fuse_pending_parallel(databases[1], dask_client, mentions_per_task=20)
        assert fusion_tables(databases[1]) == fusion_tables(databases[0])
    finally:
        for database in databases:
            database.close()
