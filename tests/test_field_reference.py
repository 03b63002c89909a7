"""docs/fields.md documents every field Tocsin emits.

Each output (the document record of ``tocsin extract --json``, fused Events, the JSON, JSONL, CSV,
ACLED CSV, GeoJSON and Parquet exports, and the API envelopes) is produced on the small reports of
``fusion_reports``; every key or column found in it must be named, in backticks, in the page's
section for that output. A new field without documentation fails here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import typing
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from fusion_reports import reports
from test_api import wait_for_job
from typer.testing import CliRunner

from tocsin.api import create_app
from tocsin.api.keys import create_key
from tocsin.cli import app
from tocsin.records import (
    DocumentResult,
    Entity,
    Event,
    Failure,
    Place,
    Sentence,
)
from tocsin.runner import RunSummary
from tocsin.store import open_database

DOC = Path(__file__).resolve().parents[1] / "docs" / "fields.md"
runner = CliRunner()


def sections() -> dict[str, set[str]]:
    """Each ``## `` section of the page: the names written in backticks in it (and its subsections).

    A backticked ``a.b`` counts as ``a`` and ``b`` as well.
    """
    found: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), set())
        if current is None:
            continue
        for name in re.findall(r"`([^`\s]+)`", line):
            current.add(name)
            current.update(name.split("."))
    return found


def section(title_start: str) -> set[str]:
    matching = [names for title, names in sections().items() if title.startswith(title_start)]
    assert len(matching) == 1, f"docs/fields.md has no single section starting {title_start!r}"
    return matching[0]


def keys(value: Any) -> Iterator[str]:
    """Every key of every object in a JSON-like value, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys(item)


def dataclass_fields(kind: type) -> Iterator[str]:
    """Every field name of a record type and of the record types it holds, from its type hints."""
    seen: set[type] = set()

    def walk(tp: Any) -> Iterator[str]:
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            if tp in seen:
                return
            seen.add(tp)
            hints = typing.get_type_hints(tp)
            for f in dataclasses.fields(tp):
                yield f.name
                yield from walk(hints[f.name])
        for arg in typing.get_args(tp):
            yield from walk(arg)

    yield from walk(kind)


def undocumented(emitted: Any, documented: set[str]) -> list[str]:
    return sorted(set(emitted) - documented)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = str(tmp_path_factory.mktemp("fields") / "fields.sqlite")
    database = open_database(url)
    for result in reports().values():
        database.store_result(result)
    database.close()
    done = runner.invoke(app, ["fuse", "--db", url])
    assert done.exit_code == 0, done.output
    return url


def events_output(db: str, fmt: str, *extra: str) -> str:
    result = runner.invoke(app, ["events", "--db", db, "--format", fmt, "--modality", "any",
                                 *extra])  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


def test_document_record_fields_are_documented() -> None:
    documented = section("Document record")
    # Every field the record types can hold, and what to_dict (what --json prints) emits for a
    # record with every list filled.
    assert undocumented(dataclass_fields(DocumentResult), documented) == []
    result = next(iter(reports().values()))
    full = DocumentResult(
        document=result.document,
        sentences=[Sentence(0, 0, 5, "Words")],
        entities=[Entity("Homs", "GPE", 0, 4, 0)],
        places=[Place("Homs", 0, 4, 0, name="Homs", geonameid=169577, country="SYR",
                      admin1="Homs", lat=34.7, lon=36.7, precision="town", score=0.9)],
        events=result.events,
    )  # fmt: skip
    record = json.loads(json.dumps(full.to_dict()))
    assert set(record) == {f.name for f in dataclasses.fields(DocumentResult)}
    assert undocumented(keys(record), documented) == []
    assert {"document", "sentences", "entities", "places", "events"} <= documented


def test_event_fields_are_documented(db: str) -> None:
    documented = section("Event (fused)")
    assert undocumented(dataclass_fields(Event), documented) == []
    events = json.loads(events_output(db, "json"))
    assert events and undocumented(keys(events), documented) == []


def test_json_and_jsonl_fields_are_documented(db: str) -> None:
    documented = section("JSON and JSONL")
    from_json = json.loads(events_output(db, "json"))
    from_jsonl = [json.loads(line) for line in events_output(db, "jsonl").splitlines() if line]
    assert from_json and from_jsonl
    assert undocumented(keys(from_json), documented) == []
    assert undocumented(keys(from_jsonl), documented) == []


def test_csv_columns_are_documented(db: str) -> None:
    header = next(csv.reader(io.StringIO(events_output(db, "csv"))))
    assert len(header) > 10
    assert undocumented(header, section("CSV export")) == []


def test_acled_columns_and_hxl_tags_are_documented(db: str) -> None:
    rows = list(csv.reader(io.StringIO(events_output(db, "acled", "--hxl", "--all-rows"))))
    header, hxl = rows[0], rows[1]
    assert all(tag.startswith("#") for tag in hxl)
    documented = section("ACLED CSV")
    assert undocumented(header, documented) == []
    assert undocumented(hxl, documented) == []


def test_geojson_fields_are_documented(db: str) -> None:
    collection = json.loads(events_output(db, "geojson"))
    assert collection["features"]
    assert undocumented(keys(collection), section("GeoJSON export")) == []


def test_parquet_columns_are_documented(db: str, tmp_path: Path) -> None:
    target = tmp_path / "events.parquet"
    events_output(db, "parquet", "--out", str(target))
    schema = pq.read_schema(target)
    names: list[str] = []
    for field in schema:
        names.append(field.name)
        inner = field.type.value_type if pa.types.is_list(field.type) else field.type
        if pa.types.is_struct(inner):
            names += [inner.field(i).name for i in range(inner.num_fields)]
    assert undocumented(names, section("Parquet export")) == []


def test_api_envelopes_are_documented(db: str) -> None:
    documented = section("API envelopes")

    def process(*_args: object) -> RunSummary:
        return RunSummary(processed=1, failures=[Failure("item", "read", "unreadable")])

    with open_database(f"sqlite:///{db}") as database:
        _info, key = create_key(database, "fields")
    with TestClient(create_app(f"sqlite:///{db}", process=process)) as client:
        listing = client.get("/api/events", params={"modality": "any"}).json()
        with_mentions = client.get(
            "/api/events", params={"modality": "any", "mentions": "true"}
        ).json()
        geojson = client.get("/api/events", params={"modality": "any", "format": "geojson"}).json()
        assert listing["events"] and with_mentions["events"] and geojson["features"]
        one = client.get(f"/api/events/{listing['events'][0]['id']}").json()
        assert one["documents"]
        accepted = client.post("/api/documents", json={"documents": [{"text": "words"}]},
                               headers={"X-API-Key": key})  # fmt: skip
        assert accepted.status_code == 202, accepted.text
        job = wait_for_job(client, accepted.json()["job"])
        assert job["failures"], job
    for name, body in [("list", listing), ("list with mentions", with_mentions),
                       ("one event", one), ("job accepted", accepted.json()),
                       ("job", job)]:  # fmt: skip
        assert undocumented(keys(body), documented) == [], name
    # The GeoJSON listing is the GeoJSON export's collection (documented there) plus `next`.
    assert "next" in geojson
    assert undocumented(keys(geojson), documented | section("GeoJSON export")) == []


def test_installed_package_has_the_py_typed_marker() -> None:
    marker = resources.files("tocsin").joinpath("py.typed")
    assert marker.is_file()
    assert marker.read_bytes() == b""
