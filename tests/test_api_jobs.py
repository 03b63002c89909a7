"""Posted documents through the real runner, API keys from the CLI, and the unbuilt dashboard."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from test_api import wait_for_job
from typer.testing import CliRunner

from tocsin.api import create_app
from tocsin.cli import app as cli
from tocsin.store import open_database

REPORT = (
    "Gunmen attacked the cattle market in Maiduguri on Monday, killing seven traders, "
    "police said."
)


def test_apikey_cli_creates_lists_and_revokes_hashed_keys(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.sqlite")
    open_database(db).close()  # apikey needs an existing database
    runner = CliRunner()
    created = runner.invoke(cli, ["apikey", "create", "--name", "desk", "--db", db])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("tocsin_")
    with open_database(db) as database, database.engine.connect() as connection:
        stored = " ".join(str(v) for row in connection.execute(sa.text("SELECT * FROM api_keys"))
                          for v in row)
    assert key.split("_", 2)[2] not in stored
    listed = runner.invoke(cli, ["apikey", "list", "--db", db])
    assert "desk" in listed.stdout and "active" in listed.stdout
    assert key not in listed.stdout
    key_id = key.split("_")[1]
    assert runner.invoke(cli, ["apikey", "revoke", key_id, "--db", db]).exit_code == 0
    assert runner.invoke(cli, ["apikey", "revoke", key_id, "--db", db]).exit_code == 1
    assert "revoked" in runner.invoke(cli, ["apikey", "list", "--db", db]).stdout


def test_posted_text_goes_through_the_pipeline(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    open_database(url).close()  # apikey needs an existing database
    runner = CliRunner()
    key = runner.invoke(cli, ["apikey", "create", "--name", "wire", "--db", url]).stdout.strip()
    with TestClient(create_app(url)) as client:
        accepted = client.post(
            "/api/documents",
            json={"documents": [{"text": REPORT, "published": "2024-03-04", "source": "wire"},
                                {"text": REPORT}]},
            headers={"X-API-Key": key.splitlines()[0]},
        )
        assert accepted.status_code == 202, accepted.text
        job = wait_for_job(client, accepted.json()["job"], seconds=300)
        assert job["status"] == "done", job
        assert (job["total"], job["done"], job["processed"], job["duplicates"]) == (2, 2, 1, 1)
        events = client.get("/api/events", params={"modality": "any", "mentions": "true"}).json()[
            "events"]
        assert any("Maiduguri" in m["sentence"] for e in events for m in e["mentions"])


def test_unbuilt_dashboard_says_how_to_build_it(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'x.sqlite'}", static_folder=tmp_path / "empty")
    with TestClient(app) as client:
        page = client.get("/")
        assert page.status_code == 503
        assert "make install" in page.text
        assert client.get("/api/health").status_code == 200
