"""Shared test fixtures: the shared example, a local HTTP server, databases on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import system_packages
from local_http import LocalHTTPServer

from tocsin.store import Database

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(
    __import__("os").environ.get("TOCSIN_SHARED", str(REPO.parent / "shared"))
).resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (the worked example, gazetteer stand-ins); CI always has it."""
    if not SHARED.exists():
        pytest.fail(f"{SHARED} is missing: the acceptance tests need ../shared/examples")
    return SHARED


@pytest.fixture(scope="session")
def example_text(shared_dir: Path) -> str:
    return (shared_dir / "examples" / "latakia-2015.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_gold(shared_dir: Path) -> dict:
    import json

    return json.loads((shared_dir / "examples" / "latakia-2015.gold.json").read_text("utf-8"))


@pytest.fixture()
def http_server() -> Iterator[LocalHTTPServer]:
    server = LocalHTTPServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL+PostGIS database URL: $TOCSIN_TEST_POSTGRES_URL, else a throwaway server
    started for this session (tests/postgres_server.py). Tried once per session: without
    PostgreSQL or PostGIS installed the tests that need it skip (fail under
    $TOCSIN_REQUIRE_SYSTEM_TESTS); an installed server that does not start fails them."""
    import os

    from postgres_server import PostgresMissing, PostgresUnavailable, running_postgres

    if os.environ.get("TOCSIN_TEST_POSTGRES_URL"):
        yield os.environ["TOCSIN_TEST_POSTGRES_URL"]
        return
    try:
        server = running_postgres()
        url = server.__enter__()
    except PostgresMissing as error:
        system_packages.missing(system_packages.POSTGIS, str(error))
    except PostgresUnavailable as error:
        pytest.fail(f"PostgreSQL is needed for these tests and could not be started: {error}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend: an SQLite file, or a fresh schema of its own
    in the session's PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tocsin.sqlite'}"
        return
    from postgres_server import fresh_schema

    with fresh_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture()
def db(database_url: str) -> Iterator[Database]:
    """An open Database at ``database_url``, closed after the test."""
    from tocsin.store import open_database

    database = open_database(database_url)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture(scope="session")
def format_fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with tiny files in the evaluation corpora's formats (tests/corpus_fixtures.py)."""
    from corpus_fixtures import write_all

    return write_all(tmp_path_factory.mktemp("formats"))


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The spaCy pipeline alone (no paragraph-break rule), loaded once per session."""
    from tocsin.resources import load_spacy

    return load_spacy()


@pytest.fixture(scope="module")
def dask_client():  # type: ignore[no-untyped-def]
    """A real Dask LocalCluster of 2 worker processes (one thread each) and its client, per
    test module."""
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster, Client(cluster) as made:
        yield made


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per missing system package (tests/system_packages.py), however many it skipped."""
    reasons = []
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            reasons.append(str(report.longrepr[2]))
    for line in system_packages.summary_lines(reasons):
        terminalreporter.write_line(line, yellow=True)
