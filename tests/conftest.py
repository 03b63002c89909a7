"""Shared test fixtures: paths to the shared example, a local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local_http import LocalHTTPServer

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
