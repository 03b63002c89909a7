"""The delivery outbox: an alert's deliveries are stored with it, so a check that dies while
delivering loses nothing; failing subscribers end as dead letters, listed and retried.

The checks run through the CLI on SQLite and PostgreSQL, with detection replaced by a fixed
alert (the point here is what happens after detection) and a real loopback webhook."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import tocsin.alerts.check as check_module
import tocsin.alerts.notify as notify_module
from tocsin.alerts.alert_store import add_subscription
from tocsin.alerts.lifecycle import NEW, Alert
from tocsin.alerts.observations import Area
from tocsin.cli import app
from tocsin.store import open_database

runner = CliRunner()


def sample_alert() -> Alert:
    return Alert(
        id="al-outbox", area=Area("SYR", "Latakia"), concern="displacement",
        start=dt.date(2015, 11, 18), end=dt.date(2015, 11, 20), status=NEW, score=9.5,
        observed=2, expected=0.09, people_kind="displaced", people_observed=1500,
        people_expected=1.5, event_ids=["ev-1"],
    )


@pytest.fixture()
def detected(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Every check detects the sample alert; waits between tries are recorded, not slept."""
    waits: list[float] = []
    monkeypatch.setattr(check_module, "load_events", lambda _database: [])
    monkeypatch.setattr(check_module, "alerts_from_events",
                        lambda _events, _rules, as_of=None: [sample_alert()])
    monkeypatch.setattr(notify_module, "time", SimpleNamespace(sleep=waits.append),
                        raising=False)  # (raising: so this file also runs on older code)
    yield waits


def subscribe(url: str, hook: str) -> int:
    with open_database(url) as database:
        return add_subscription(database, "webhook", hook, "SYR", secret="k").id


def list_deliveries(url: str) -> list[dict]:
    done = runner.invoke(app, ["alerts", "deliveries", "--db", url, "--json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)["deliveries"]


def posted(http_server, path: str) -> list[dict]:
    return [json.loads(r[3]) for r in http_server.requests if r[1] == path]


def check(url: str) -> object:
    return runner.invoke(app, ["alerts", "check", "--db", url, "--as-of", "2015-11-22"])


@pytest.mark.parametrize("crash", [SystemExit(137), KeyboardInterrupt()])
def test_a_check_that_dies_before_sending_delivers_on_the_next_run_exactly_once(
    database_url: str, http_server, detected, monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
) -> None:
    hook = http_server.add("/desk", "ok", status=200)
    subscribe(database_url, hook)
    real_post = notify_module.post_webhook
    calls: list[str] = []

    def dies_first(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append("try")
        if len(calls) == 1:
            raise crash
        return real_post(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(notify_module, "post_webhook", dies_first)
    first = check(database_url)
    assert first.exit_code != 0  # the run died
    assert posted(http_server, "/desk") == []
    [row] = list_deliveries(database_url)
    assert (row["state"], row["attempts"], row["next_attempt_at"]) == ("pending", 0, None)

    again = check(database_url)
    assert again.exit_code == 0, again.output
    assert "1 delivered" in again.output
    [payload] = posted(http_server, "/desk")
    assert payload["alert"]["id"] == "al-outbox"
    # A third run sends nothing more.
    assert check(database_url).exit_code == 0
    assert len(posted(http_server, "/desk")) == 1


def test_a_delivery_held_by_a_killed_sender_is_sent_once_its_claim_runs_out(
    database_url: str, http_server, detected
) -> None:
    from tocsin.alerts.alert_store import claim_delivery, update_delivery

    hook = http_server.add("/desk", "ok", status=200)
    subscribe(database_url, hook)
    with open_database(database_url) as database:
        check_module.check_alerts(database, deliver=False)  # stored, pending
    [row] = list_deliveries(database_url)
    with open_database(database_url) as database:
        now = dt.datetime.now(dt.UTC)
        # A sender holds it (then is killed -9): a second run leaves it alone ...
        assert claim_delivery(database, row["id"], now + dt.timedelta(minutes=5))
        assert not claim_delivery(database, row["id"], now + dt.timedelta(minutes=5))
    assert check(database_url).exit_code == 0
    assert posted(http_server, "/desk") == []
    with open_database(database_url) as database:
        # ... until the claim has run out.
        update_delivery(database, row["id"], "pending", 0, None,
                        now - dt.timedelta(seconds=1))
    assert check(database_url).exit_code == 0
    assert len(posted(http_server, "/desk")) == 1


def test_an_always_failing_subscriber_becomes_a_dead_letter_listed_and_retried(
    database_url: str, http_server, detected
) -> None:
    broken = http_server.add("/broken", "boom", status=500)
    working = http_server.add("/ok", "ok", status=200)
    subscribe(database_url, broken)
    subscribe(database_url, working)
    waits = detected

    done = check(database_url)
    assert done.exit_code == 1, done.output
    assert "1 delivered, 1 dead letters" in done.output
    assert len(posted(http_server, "/broken")) == 4  # the default four tries
    assert waits == [1.0, 2.0, 4.0]  # backoff doubles between tries
    assert len(posted(http_server, "/ok")) == 1

    listed = runner.invoke(app, ["alerts", "deliveries", "--db", database_url, "--state",
                                 "dead", "--json"])
    assert listed.exit_code == 0, listed.output
    [letter] = json.loads(listed.output)["deliveries"]
    assert (letter["target"], letter["alert_id"]) == (broken, "al-outbox")
    assert (letter["state"], letter["attempts"], letter["last_error"]) == ("dead", 4, "HTTP 500")
    table = runner.invoke(app, ["alerts", "deliveries", "--db", database_url])
    assert table.exit_code == 0 and "dead" in table.output and "delivered" in table.output

    # A dead letter is not sent again by the next check, which succeeds.
    assert check(database_url).exit_code == 0
    assert len(posted(http_server, "/broken")) == 4

    # Still broken: retry by id fails again, exit 1.
    failed = runner.invoke(app, ["alerts", "retry", str(letter["id"]), "--db", database_url])
    assert failed.exit_code == 1, failed.output
    assert len(posted(http_server, "/broken")) == 8

    http_server.add("/broken", "ok", status=200)  # the receiver is fixed
    retried = runner.invoke(app, ["alerts", "retry", "--db", database_url])
    assert retried.exit_code == 0, retried.output
    assert "1 dead letters retried: 1 delivered" in retried.output
    assert [p["alert"]["id"] for p in posted(http_server, "/broken")][-1] == "al-outbox"
    assert len(posted(http_server, "/broken")) == 9
    assert {r["state"] for r in list_deliveries(database_url)} == {"delivered"}
    nothing = runner.invoke(app, ["alerts", "retry", "--db", database_url])
    assert nothing.exit_code == 0 and "0 dead letters retried" in nothing.output
    unknown = runner.invoke(app, ["alerts", "retry", "999", "--db", database_url])
    assert unknown.exit_code == 2 and "999" in unknown.output


def test_deliveries_rejects_an_unknown_state(database_url: str) -> None:
    with open_database(database_url):
        pass  # the database exists, so only the state can be refused
    done = runner.invoke(app, ["alerts", "deliveries", "--db", database_url, "--state", "lost"])
    assert done.exit_code == 2
    assert "lost" in done.output


def test_migration_0007_keeps_earlier_deliveries(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from tocsin.store.engine import make_engine
    from tocsin.store.migrate import alembic_config
    from tocsin.store.url import normalise_url

    engine = make_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0006")
            connection.execute(text(
                "INSERT INTO subscriptions (id, kind, target, country) "
                "VALUES (1, 'webhook', 'http://127.0.0.1:9/', 'SYR')"))
            connection.execute(text(
                "INSERT INTO alert_deliveries (subscription_id, alert_id, alert_status, state, "
                "attempts, last_error, payload) VALUES (1, 'al-old', 'new', 'dead', 4, "
                "'HTTP 500', '{}')"))
    finally:
        engine.dispose()
    with open_database(database_url):
        pass  # upgrades to the newest revision
    [row] = list_deliveries(database_url)
    assert (row["alert_id"], row["state"], row["attempts"]) == ("al-old", "dead", 4)
    assert row["next_attempt_at"] is None and row["updated_at"]
