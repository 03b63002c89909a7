"""tocsin.distributed on a real LocalCluster (2 worker processes): the same tables as the
single-process run, failed partitions recorded, reruns skipping what is loaded; on SQLite
and on PostgreSQL with PostGIS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client
from postgres_server import fresh_schema
from sqlalchemy import select
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.distributed import DistributedOptions, plan_partitions, run_distributed
from tocsin.distributed.partition_reader import read_partition
from tocsin.distributed.partitions import LINES, PlanError
from tocsin.resources import Resources
from tocsin.runner import run
from tocsin.settings import Settings
from tocsin.sources import ReadOptions, read_inputs
from tocsin.store import Database, open_database
from tocsin.store.models import Base

REPORTS = [
    "Artillery fire struck the village of Kafr Nabl in Idlib province on Tuesday, local medics "
    "said. At least four civilians were killed and nine were wounded.",
    "Police in Nairobi detained twelve protesters on Monday after a march against fuel prices "
    "turned violent near the parliament.",
    "About 2,000 families fled their homes in Kalehe, South Kivu, after clashes between the army "
    "and a militia, a UN agency said on Thursday.",
]
POSTS = [
    "Gunmen attacked a checkpoint near Mosul on Sunday, killing three soldiers.",
    "A drone strike hit a fuel depot outside Donetsk overnight, officials said.",
    "Thousands marched in Khartoum on Saturday to demand civilian rule.",
    "Aid trucks reached Gaza City on Wednesday after a week of delays.",
    "Militants abducted seven farmers near Maiduguri in Borno state on Friday.",
]
TABLES = (
    "documents", "sentences", "entities", "places", "event_mentions", "failures", "events",
    "event_mention_links",
)


@pytest.fixture(scope="module")
def resources() -> Resources:
    return Resources(Settings())


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Text files, an empty file, and a JSON Lines file with a broken line, a record without
    text, a blank line, a repeat of a text file's report and no newline at the end."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for i, report in enumerate(REPORTS):
        (folder / f"report-{i}.txt").write_text(report, encoding="utf-8")
    (folder / "sub" / "empty.txt").write_bytes(b"")
    lines = [json.dumps({"id": f"p{i}", "text": post}) for i, post in enumerate(POSTS)]
    lines.insert(2, "{not json")
    lines.insert(4, "")
    lines.insert(5, json.dumps({"id": "no-text", "title": "nothing here"}))
    lines.append(json.dumps({"id": "again", "text": REPORTS[1]}))
    (folder / "sub" / "posts.jsonl").write_text("\n".join(lines), encoding="utf-8")
    return folder


def table_rows(database: Database) -> dict[str, list[dict]]:
    """Every row of the result and event tables, in primary-key order, without timestamps."""
    found: dict[str, list[dict]] = {}
    with database.engine.connect() as connection:
        for name in TABLES:
            table = Base.metadata.tables[name]
            keys = list(table.primary_key.columns)
            rows = connection.execute(select(table).order_by(*keys)).mappings()
            found[name] = [{k: v for k, v in r.items() if not k.endswith("_at")} for r in rows]
    return found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one kind: for the single-process run and for the Dask run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'single.sqlite'}", f"sqlite:///{tmp_path / 'dask.sqlite'}"
        return
    server = request.getfixturevalue("postgres_url")
    with fresh_schema(server) as single, fresh_schema(server) as distributed:
        yield single, distributed


def test_partitions_read_exactly_what_the_whole_input_holds(corpus: Path) -> None:
    partitions = plan_partitions([str(corpus)], documents_per_partition=2)
    ranges = [p for p in partitions if p.kind == LINES]
    assert len(ranges) == 5  # nine lines, two per partition, the last one without a newline
    assert [p.first_line for p in ranges] == [1, 3, 5, 7, 9]
    assert [p.index for p in partitions] == list(range(len(partitions)))
    options = ReadOptions()
    pieces = [item for p in partitions for item in read_partition(p, options)]
    assert pieces == list(read_inputs([str(corpus)], options))
    assert any(getattr(i, "locator", "").endswith("#line=8&id=p4") for i in pieces)


def test_standard_input_cannot_be_partitioned() -> None:
    with pytest.raises(PlanError, match="standard input"):
        plan_partitions(["-"])


def test_dask_run_stores_what_a_single_process_stores_and_reruns_skip(
    corpus: Path, database_urls: tuple[str, str], dask_client: Client, resources: Resources,
    tmp_path: Path,
) -> None:
    single_url, dask_url = database_urls
    with open_database(single_url) as single:
        expected = run([str(corpus)], single, resources)
        single_rows = table_rows(single)
    options = DistributedOptions(documents_per_partition=2, staging=str(tmp_path / "staging"))
    with open_database(dask_url) as database:
        summary = run_distributed([str(corpus)], database, resources.settings,
                                  options=options, client=dask_client)
        assert summary.processed == expected.processed == 8
        assert summary.duplicates == expected.duplicates == 1
        assert sorted(f.locator for f in summary.failures) == sorted(
            f.locator for f in expected.failures
        )
        dask_rows = table_rows(database)
        assert dask_rows == single_rows
        assert dask_rows["event_mentions"] and dask_rows["places"] and dask_rows["events"]

        # A rerun (staging reused or not) loads nothing new and changes nothing but the
        # attempt counts of the inputs that fail again, as a single-process rerun does.
        for attempts, staging in ((2, options.staging), (3, None)):
            again = run_distributed(
                [str(corpus)], database, resources.settings, client=dask_client,
                options=DistributedOptions(documents_per_partition=2, staging=staging),
            )
            assert again.processed == 0
            assert again.duplicates == 9
            rerun_rows = table_rows(database)
            assert {r["attempts"] for r in rerun_rows.pop("failures")} == {attempts}
            assert rerun_rows == {k: v for k, v in single_rows.items() if k != "failures"}


def test_failed_partition_is_retried_then_recorded_and_cleared_by_a_good_rerun(
    corpus: Path, dask_client: Client, resources: Resources, tmp_path: Path
) -> None:
    broken = Settings(model="no-such-spacy-model")
    with open_database(f"sqlite:///{tmp_path / 'db.sqlite'}") as database:
        summary = run_distributed([str(corpus)], database, broken, client=dask_client,
                                  options=DistributedOptions(documents_per_partition=4,
                                                             retries=1))
        partition_failures = [f for f in summary.failures if f.stage == "partition"]
        assert len(partition_failures) == 4  # one of files, three of JSON Lines ranges
        assert all("ModelNotFound" in f.reason for f in partition_failures)
        assert summary.processed == 0
        stored = table_rows(database)
        assert stored["documents"] == []
        recorded = {r["locator"]: r for r in stored["failures"]}
        assert {f.locator for f in partition_failures} <= set(recorded)
        assert recorded[f"{corpus / 'sub' / 'posts.jsonl'}#lines=1-4"]["stage"] == "partition"

        good = run_distributed([str(corpus)], database, resources.settings, client=dask_client,
                               options=DistributedOptions(documents_per_partition=4))
        assert good.processed == 8
        left = {r["stage"] for r in table_rows(database)["failures"]}
        assert left == {"read"}


def test_input_that_vanishes_after_planning_fails_its_partitions_only(
    corpus: Path, dask_client: Client, resources: Resources, tmp_path: Path
) -> None:
    posts = corpus / "sub" / "posts.jsonl"
    partitions = plan_partitions([str(corpus)], documents_per_partition=20)
    posts.unlink()
    from tocsin.distributed.engine import _process

    with open_database(f"sqlite:///{tmp_path / 'db.sqlite'}") as database:
        summary = _process(dask_client, partitions, database, resources.settings, ReadOptions(),
                           str(tmp_path / "staging"), DistributedOptions(retries=0), None)
        assert summary.processed == 3
        assert [f.stage for f in summary.failures if str(posts) in f.locator] == ["partition"]
        assert "cannot be read any more" in summary.failures[-1].reason


def test_cli_run_engine_dask(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = runner.invoke(
        app, ["run", str(corpus), "--db", db, "--engine", "dask", "--workers", "1",
              "--staging", str(tmp_path / "staging")],
    )
    assert result.exit_code == 1, result.output  # the empty file and two bad lines failed
    printed = " ".join(result.stdout.split())
    assert "processed 8" in printed
    assert "1 already stored, failed 3" in printed
    assert list((tmp_path / "staging").glob("part-*/documents.parquet"))


def test_cli_run_rejects_unknown_engine_and_stdin(tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    bad = runner.invoke(app, ["run", "x.txt", "--db", db, "--engine", "spark"])
    assert bad.exit_code == 2
    assert "--engine must be local or dask" in bad.output
    stdin = runner.invoke(app, ["run", "-", "--db", db, "--engine", "dask"], input="text")
    assert stdin.exit_code == 2
    assert "standard input" in stdin.output
