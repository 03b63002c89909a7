"""Acceptance: the demo corpus plus the worked example raise an alert for Latakia governorate,
with the 1,500 displaced counted and the forecast of 15,000 attached as a signal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from tocsin.alerts.alert_store import add_subscription
from tocsin.cli import app
from tocsin.demo import corpus_path
from tocsin.resources import shared_resources
from tocsin.runner import run
from tocsin.sources import ReadOptions
from tocsin.store import open_database


def test_demo_and_worked_example_raise_a_latakia_alert(
    tmp_path: Path, example_text: str, http_server
) -> None:
    url = str(tmp_path / "demo.sqlite")
    example = tmp_path / "latakia-2015.txt"
    example.write_text(example_text, encoding="utf-8")
    resources = shared_resources()
    with open_database(url) as database:
        run([str(corpus_path())], database, resources)
        run([str(example)], database, resources, ReadOptions(published=dt.date(2015, 11, 21)))
        hook = http_server.add("/desk", "ok", status=200)
        add_subscription(database, "webhook", hook, "SYR", admin1="Latakia", secret="k")

    done = CliRunner().invoke(app, ["alerts", "check", "--db", url, "--as-of", "2015-11-22",
                                    "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    latakia = [a for a in report["alerts"] if a["country"] == "SYR" and a["admin1"] == "Latakia"]
    assert latakia, [(a["country"], a["admin1"], a["concern"]) for a in report["alerts"]]
    displacement = next(a for a in latakia if a["concern"] == "displacement")
    assert displacement["status"] in ("new", "ongoing")
    assert displacement["people"]["observed"] >= 1500
    counted = [e["displaced"] for e in displacement["events"]]
    assert 1500 in counted
    assert all(e["modality"] == "asserted" for e in displacement["events"])
    forecasts = [s for s in displacement["signals"] if s["modality"] == "forecast"]
    assert any(s["displaced"] == 15000 for s in forecasts)
    assert 15000 not in counted
    # The subscriber for Latakia was told once.
    assert report["delivered"] >= 1
    posted = [json.loads(r[3]) for r in http_server.requests if r[1] == "/desk"]
    assert {p["alert"]["admin1"] for p in posted} == {"Latakia"}
