"""Alerts through their public interfaces: the store, the HTTP routes, the CLI, the backtest."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tocsin.alerts.alert_store import AlertFilters, list_alerts, list_subscriptions, save_alerts
from tocsin.alerts.backtest import backtest_ucdp
from tocsin.alerts.lifecycle import NEW, ONGOING, RESOLVED, Alert
from tocsin.alerts.observations import Area
from tocsin.alerts.onsets import load_onsets
from tocsin.alerts.ucdp import read_ucdp
from tocsin.api.alerts import alerts_router
from tocsin.cli import app
from tocsin.store import Database, open_database
from tocsin.store.models import Base

FIXTURES = Path(__file__).parent / "fixtures" / "alerts"
runner = CliRunner()


def alert(area: Area, concern: str, status: str, start: dt.date, alert_id: str) -> Alert:
    return Alert(id=alert_id, area=area, concern=concern, start=start, end=start,
                 status=status, score=5.0, observed=4, expected=0.2, people_kind="killed",
                 people_observed=12, people_expected=1.5, event_ids=["ev-a", "ev-b"])


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "alerts.sqlite"))
    try:
        yield database
    finally:
        database.close()


def test_alert_tables_match_the_migration(db: Database) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "alert" in str(d) or "subscription" in str(d)] == []


def test_save_alerts_reports_new_and_changed_status_only(db: Database) -> None:
    first = alert(Area("SYR", "Latakia"), "displacement", NEW, dt.date(2015, 11, 18), "al-1")
    assert [a.id for a in save_alerts(db, [first])] == ["al-1"]
    assert save_alerts(db, [first]) == []
    first.status = ONGOING
    assert [a.id for a in save_alerts(db, [first])] == ["al-1"]
    stored = list_alerts(db)
    assert len(stored) == 1 and stored[0]["status"] == ONGOING
    assert stored[0]["event_ids"] == ["ev-a", "ev-b"]


def _app(database: Database) -> TestClient:
    api = FastAPI()
    api.state.database = database
    api.include_router(alerts_router())
    return TestClient(api)


def test_routes_filter_by_place_and_concern(db: Database) -> None:
    save_alerts(db, [
        alert(Area("SYR", "Latakia"), "displacement", NEW, dt.date(2015, 11, 18), "al-1"),
        alert(Area("SYR", "Aleppo"), "battles", RESOLVED, dt.date(2015, 10, 1), "al-2"),
        alert(Area("IRQ", "Nīnawá"), "battles", ONGOING, dt.date(2016, 10, 17), "al-3"),
    ])
    client = _app(db)
    everything = client.get("/api/alerts").json()
    assert [a["id"] for a in everything["alerts"]] == ["al-3", "al-1", "al-2"]
    syria = client.get("/api/alerts", params={"country": "syr"}).json()["alerts"]
    assert {a["id"] for a in syria} == {"al-1", "al-2"}
    ninawa = client.get("/api/alerts", params={"admin1": "Ninawa"}).json()["alerts"]
    assert [a["id"] for a in ninawa] == ["al-3"]
    battles = client.get("/api/alerts?concern=battles&status=resolved").json()["alerts"]
    assert [a["id"] for a in battles] == ["al-2"]

    feed = client.get("/alerts.atom", params={"country": "SYR", "concern": "displacement"})
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:id", ns).text == "urn:tocsin:alert:al-1"
    assert "Latakia" in entries[0].find("a:title", ns).text
    assert root.find("a:link", ns).get("href").endswith("concern=displacement")


def test_cli_subscribe_validates_and_stores(tmp_path: Path) -> None:
    url = str(tmp_path / "cli.sqlite")
    open_database(url).close()  # only run, watch and serve --create make a database
    ok = runner.invoke(app, ["alerts", "subscribe", "--webhook", "http://127.0.0.1:9/hook",
                             "--country", "SYR", "--admin1", "Latakia", "--concern",
                             "displacement", "--db", url])
    assert ok.exit_code == 0, ok.output
    assert "signing secret:" in ok.output
    both = runner.invoke(app, ["alerts", "subscribe", "--webhook", "http://x/h", "--email",
                               "a@b.c", "--country", "SYR", "--db", url])
    assert both.exit_code != 0
    bad_concern = runner.invoke(app, ["alerts", "subscribe", "--email", "a@b.c", "--country",
                                      "SYR", "--concern", "weather", "--db", url])
    assert bad_concern.exit_code != 0 and "unknown concern" in bad_concern.output
    with open_database(url) as database:
        [subscription] = list_subscriptions(database)
    assert (subscription.kind, subscription.country, subscription.admin1) == (
        "webhook", "SYR", "Latakia")
    listed = runner.invoke(app, ["alerts", "list", "--db", url, "--json"])
    assert listed.exit_code == 0 and json.loads(listed.output) == {"alerts": []}


def test_ucdp_reader_skips_the_hxl_row_vague_and_placeless_rows() -> None:
    rows = list(read_ucdp(FIXTURES / "ucdp_tiny.csv"))
    ids = [o.event_id for o in rows]
    assert "ucdp-9" not in ids  # five months long
    assert "ucdp-11" not in ids  # no admin1
    assert len(rows) == 9
    six = next(o for o in rows if o.event_id == "ucdp-6")
    assert six.area == Area("IRQ", "Alpha", "District A")
    assert six.concern == "violence_against_civilians" and six.killed == 30


def test_backtest_on_a_tiny_export() -> None:
    result = backtest_ucdp(FIXTURES / "ucdp_tiny.csv", load_onsets(FIXTURES / "onsets_tiny.tsv"))
    report = result.to_dict()
    assert all(a["admin1"] in {"Alpha", "Beta"} for a in report["alerts"])
    alpha, beta = report["onsets"]
    assert alpha["detected"] and -3 <= alpha["lead_days"] <= 0
    assert alpha["alert_concern"] == "battles"
    assert not beta["detected"] and beta["lead_days"] is None
    assert sum(report["alerts_per_month"].values()) == len(report["alerts"])
    assert list(report["alerts_per_month"])[0] == "2012-01"


def test_cli_backtest_json_and_bad_input(tmp_path: Path) -> None:
    done = runner.invoke(app, ["alerts", "backtest", "--ucdp", str(FIXTURES / "ucdp_tiny.csv"),
                               "--onsets", str(FIXTURES / "onsets_tiny.tsv"), "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert {"alerts", "alerts_per_month", "onsets"} <= report.keys()
    assert {"admin1", "concern", "start", "end", "score"} <= report["alerts"][0].keys()
    missing = runner.invoke(app, ["alerts", "backtest", "--ucdp", str(tmp_path / "none.csv")])
    assert missing.exit_code != 0
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    bad = runner.invoke(app, ["alerts", "backtest", "--ucdp", str(wrong)])
    assert bad.exit_code != 0 and "UCDP" in bad.output


def test_list_filters_fold_diacritics(db: Database) -> None:
    save_alerts(db, [alert(Area("IRQ", "Al Anbār"), "battles", NEW, dt.date(2014, 1, 3), "a")])
    assert len(list_alerts(db, AlertFilters(admin1="Anbar"))) == 1
    assert list_alerts(db, AlertFilters(admin1="Basra")) == []
