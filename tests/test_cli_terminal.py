"""What a user sees in a terminal: a labelled spinner while models load (on stderr, with the
real command in a pseudo-terminal), tables that stay readable at 80 columns with whole ids,
failures on stderr and data on stdout, and "already stored" on a rerun."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fusion_reports import fused_database
from local_http import LocalHTTPServer
from typer.testing import CliRunner

import tocsin
from tocsin.alerts.alert_store import (
    add_subscription,
    list_deliveries,
    save_alerts,
    update_delivery,
)
from tocsin.alerts.lifecycle import NEW, ONGOING, Alert
from tocsin.alerts.observations import Area
from tocsin.cli import app
from tocsin.store import open_database

runner = CliRunner()
SOURCE = str(Path(tocsin.__file__).resolve().parents[1])  # this checkout's src/
REPORT = (
    "Heavy shelling hit the market town of Kafr Nabl in Idlib province on Tuesday, "
    "local medics said. At least four people were killed and nine were wounded."
)
NARROW = {"COLUMNS": "80", "LINES": "24"}
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def command_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env.update(NARROW, PYTHONPATH=SOURCE, **extra)
    return env


def in_terminal(*args: str) -> tuple[int, str, str]:
    """Run ``tocsin ARGS`` with stderr on a pseudo-terminal (as a user's shell has it) and
    stdout on a pipe (as a script reads it); (exit code, stdout, what the terminal showed)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tocsin", *args], stdout=subprocess.PIPE, stderr=follower,
        stdin=subprocess.DEVNULL, env=command_env(),
    )
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command closed the terminal
            break
        if not chunk:
            break
        shown.extend(chunk)
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8")
    process.wait(timeout=300)
    os.close(leader)
    return process.returncode, out, CONTROL.sub("", shown.decode("utf-8", errors="replace"))


@pytest.fixture()
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "kafr-nabl.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


# -- the spinner ----------------------------------------------------------------------------


def test_extract_says_what_it_is_loading_on_stderr_and_keeps_stdout_for_the_record(
    report_file: Path,
) -> None:
    code, out, shown = in_terminal("extract", str(report_file), "--json")
    assert code == 0, shown
    assert "loading the spaCy pipeline" in shown
    assert "indexing the gazetteer's place names" in shown
    assert "event typing model" in shown
    record = json.loads(out)  # nothing but the record on stdout
    assert record["events"]


def test_run_labels_its_progress_bar_while_models_load(tmp_path: Path, report_file: Path) -> None:
    code, out, shown = in_terminal("run", str(report_file), "--db", str(tmp_path / "t.sqlite"))
    assert code == 0, shown
    assert "loading the spaCy pipeline" in shown  # not "documents 0/1" for the whole wait
    assert "documents" in shown
    assert out.startswith("processed 1 ")
    assert "loading" not in out


def test_watch_logs_each_model_it_loads(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    feed = http_server.add("/wire.rss", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>http://example.invalid/</link><description>d</description>"
        f"<item><guid>urn:wire:1</guid><title>Shelling</title><description>{REPORT}"
        "</description><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    ))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{feed}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tocsin", "watch", str(feeds), "--once", "--no-alerts",
         "--host-delay", "0", "--db", str(tmp_path / "w.sqlite")],
        capture_output=True, text=True, timeout=300, env=command_env(),
    )
    assert done.returncode == 0, done.stderr
    assert "1 stored" in done.stdout
    assert "loading the spaCy pipeline" in done.stderr
    assert re.search(r"loading the event typing model: done in \d+\.\d s", done.stderr)


# -- run: failures on stderr, "already stored" ----------------------------------------------


def test_run_puts_failures_on_stderr_and_says_already_stored_on_a_rerun(
    tmp_path: Path, report_file: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "rerun.sqlite")
    first = runner.invoke(app, ["run", str(report_file), str(tmp_path / "empty.txt"),
                                "--db", db])
    assert first.exit_code == 1
    assert first.stdout.startswith("processed 1 ")
    assert "empty.txt" not in first.stdout  # the data stays clean...
    assert "empty.txt" in first.stderr  # ...and the failure is where errors go

    again = runner.invoke(app, ["run", str(report_file), "--db", db])
    assert again.exit_code == 0, again.output
    assert "1 already stored" in again.stdout
    assert "duplicate" not in again.output


# -- tables at 80 columns -------------------------------------------------------------------


def readable(output: str, whole: list[str], width: int = 80) -> None:
    """Every line fits ``width``; every string of ``whole`` appears unbroken; nothing is cut
    short with an ellipsis."""
    lines = output.splitlines()
    assert all(len(line) <= width for line in lines), "\n".join(lines)
    for text in whole:
        assert text in output, f"{text!r} broken or missing in\n{output}"
    assert "…" not in output


@pytest.fixture()
def events_db(tmp_path: Path) -> str:
    return fused_database(str(tmp_path / "events.sqlite"))


def listed_events(db: str) -> list[dict]:
    listed = runner.invoke(app, ["events", "--db", db, "--format", "json", "--modality", "any"])
    return json.loads(listed.stdout)


@pytest.mark.parametrize("columns", [80, 60, 30])
def test_events_table_fits_the_terminal_with_whole_ids(events_db: str, columns: int) -> None:
    shown = runner.invoke(app, ["events", "--db", events_db, "--modality", "any"],
                          env={"COLUMNS": str(columns)})
    assert shown.exit_code == 0, shown.output
    ids = [e["id"] for e in listed_events(events_db)]
    assert len(ids) == 5
    readable(shown.stdout, ids, columns)  # even at 30 columns: the ids, whole
    if columns >= 60:
        readable(shown.stdout, ["DISPLACEMENT", "PROTEST"], columns)
    if columns >= 80:
        readable(shown.stdout, ["Maiduguri,", "Saraqib,", "killed"])


def test_events_table_shows_every_column_when_wide(events_db: str) -> None:
    shown = runner.invoke(app, ["events", "--db", events_db, "--modality", "any"],
                          env={"COLUMNS": "200"})
    header = next(line for line in shown.stdout.splitlines() if line.startswith("id"))
    assert header.split() == ["id", "date", "event", "mode", "where", "actor1", "actor2",
                              "killed", "src", "rep"]
    assert "Russian jets" in shown.stdout and "Saraqib, SYR" in shown.stdout


def test_one_event_at_80_columns_keeps_its_id_and_mention_ids_whole(events_db: str) -> None:
    strike = next(e for e in listed_events(events_db) if e["sources"] == 3)  # Saraqib's market
    event_id = strike["id"]
    shown = runner.invoke(app, ["event", event_id, "--db", events_db], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    table = shown.stdout.split("confidence")[0]
    readable(table, [event_id, "ASSAULT", "Saraqib,"])
    mentions = json.loads(runner.invoke(app, ["event", event_id, "--db", events_db,
                                              "--json"]).stdout)["mentions"]
    for mention in mentions:
        assert f"- {mention['mention']} [" in shown.stdout  # one line, for split-event


def _alert(alert_id: str, area: Area, concern: str, status: str, days: int) -> Alert:
    start = dt.date(2015, 11, 18)
    return Alert(id=alert_id, area=area, concern=concern, start=start,
                 end=start + dt.timedelta(days=days), status=status, score=9.5, observed=4,
                 expected=0.2, people_kind="displaced", people_observed=1500,
                 people_expected=1.5, event_ids=["ev-a"])


LONG_ERROR = (
    "ConnectError: [Errno 111] Connection refused while posting the alert to the subscriber's "
    "webhook; the receiving desk's server did not answer on any of the four tries"
)


@pytest.fixture()
def alerts_db(tmp_path: Path) -> str:
    url = str(tmp_path / "alerts.sqlite")
    with open_database(url) as database:
        add_subscription(database, "webhook", "http://127.0.0.1:9/desk/hook", "SYR", secret="k")
        add_subscription(database, "email", "duty.officer@example.org", "SYR")
        save_alerts(database, [
            _alert("al-0123456789abcdef0123", Area("SYR", "Latakia", "Jableh"),
                   "violence_against_civilians", NEW, 2),
            _alert("al-fedcba9876543210fedc", Area("SYR", "Idlib"), "battles", ONGOING, 0),
        ])
        first = min(d["id"] for d in list_deliveries(database))
        update_delivery(database, first, "dead", 4, LONG_ERROR, None)
    return url


def test_alerts_list_fits_80_columns(alerts_db: str) -> None:
    shown = runner.invoke(app, ["alerts", "list", "--db", alerts_db], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    readable(shown.stdout, ["violence_against_civilians", "battles", "Latakia,", "ongoing"])
    wide = runner.invoke(app, ["alerts", "list", "--db", alerts_db], env={"COLUMNS": "200"})
    readable(wide.stdout, ["al-0123456789abcdef0123", "Jableh, Latakia, SYR",
                           "2015-11-18.. 2015-11-20"], 200)


def test_alert_deliveries_fit_80_columns_with_whole_ids(alerts_db: str) -> None:
    listed = runner.invoke(app, ["alerts", "deliveries", "--db", alerts_db, "--json"])
    deliveries = json.loads(listed.stdout)["deliveries"]
    assert len(deliveries) == 4
    shown = runner.invoke(app, ["alerts", "deliveries", "--db", alerts_db],
                          env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    readable(shown.stdout, ["al-0123456789abcdef0123", "al-fedcba9876543210fedc", "pending",
                            "dead", "ConnectError:"])
    for delivery in deliveries:  # the id for `tocsin alerts retry ID`, beside its alert's
        assert re.search(rf"^\s*{delivery['id']}\s+{delivery['alert_id']}\s", shown.stdout,
                         re.MULTILINE), shown.stdout


def test_watch_status_fits_80_columns_with_whole_feed_urls(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    quiet = http_server.add("/feeds/quiet-wire.rss", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
        "<link>http://example.invalid/</link><description>d</description></channel></rss>"
    ))
    broken = http_server.add("/feeds/broken-wire.rss", "down", status=500)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{quiet}\n{broken}\n", encoding="utf-8")
    db = str(tmp_path / "status.sqlite")
    polled = runner.invoke(app, ["watch", str(feeds), "--once", "--no-alerts", "--host-delay",
                                 "0", "--db", db])
    assert polled.exit_code == 0, polled.output
    shown = runner.invoke(app, ["watch", "--status", "--db", db], env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.output
    readable(shown.stdout, [quiet, broken, "HTTP 500", "never"])
