"""Alerts through the real app: ``GET /api/alerts`` and ``GET /alerts.atom`` on SQLite and
PostgreSQL, over alerts stored with the alerts store, whose events are the API tests' fused
events (so every alert event can be opened with ``GET /api/events/{id}``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from postgres_server import fresh_schema
from test_api import PROBLEM, fill, no_pipeline

from tocsin.alerts.alert_store import save_alerts
from tocsin.alerts.event_summary import summarise_event
from tocsin.alerts.lifecycle import Alert, Signal
from tocsin.alerts.observations import Area
from tocsin.api import create_app
from tocsin.queries import EventFilters, query_events
from tocsin.store import open_database

ATOM = "{http://www.w3.org/2005/Atom}"


def store_alerts(url: str) -> None:
    """The API tests' events, plus three alerts: Kharkivska displacement (ongoing, with the
    Kherson forecast as a signal), Kharkivska violence (resolved), Istanbul protest (new)."""
    fill(url)
    with open_database(url) as database:
        found = {e.location.name: e for e in query_events(database, EventFilters(modality=None))
                 if e.location}
        forecast = found["Kherson"]
        signal = Signal(
            event_id=forecast.id, event=forecast.event, modality=forecast.modality,
            start=forecast.date.start, end=forecast.date.end, country="UKR",
            admin1="Khersonska", killed=None, displaced=None,
            evidence=[m.sentence for m in forecast.mentions],
        )

        def alert(name: str, area: Area, concern: str, status: str, people: str) -> Alert:
            event = found[name]
            day = event.date.start
            return Alert(
                id=f"al-test-{concern}", area=area, concern=concern, start=day, end=day,
                status=status, score=4.5, observed=1, expected=0.05, people_kind=people,
                people_observed=event.counts.displaced or event.counts.killed or 0,
                people_expected=2.0, event_ids=[event.id], events=[summarise_event(event)],
                resolved=day + dt.timedelta(days=14) if status == "resolved" else None,
            )

        alerts = [
            alert("Vovchansk", Area("UKR", "Kharkivska"), "displacement", "ongoing", "displaced"),
            alert("Kharkiv", Area("UKR", "Kharkivska"), "violence_against_civilians",
                  "resolved", "killed"),
            alert("Istanbul", Area("TUR", "Istanbul"), "protest_riot", "new", "killed"),
        ]
        alerts[0].signals.append(signal)
        save_alerts(database, alerts)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'alerts.sqlite'}"
        store_alerts(url)
        with TestClient(create_app(url, process=no_pipeline)) as test_client:
            yield test_client
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url:
        store_alerts(url)
        with TestClient(create_app(url, process=no_pipeline)) as test_client:
            yield test_client


def concerns(client: TestClient, **params: str) -> list[str]:
    response = client.get("/api/alerts", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["alerts"])
    return sorted(a["concern"] for a in body["alerts"])


def test_alerts_carry_place_window_counts_events_and_signals(client: TestClient) -> None:
    body = client.get("/api/alerts").json()
    assert body["count"] == 3
    displacement = next(a for a in body["alerts"] if a["concern"] == "displacement")
    assert (displacement["country"], displacement["admin1"]) == ("UKR", "Kharkivska")
    assert (displacement["start"], displacement["end"]) == ("2024-05-11", "2024-05-11")
    assert displacement["status"] == "ongoing"
    assert (displacement["observed"], displacement["expected"]) == (1, 0.05)
    assert displacement["people"] == {"kind": "displaced", "observed": 250, "expected": 2.0}
    [event] = displacement["events"]
    assert event["place"]["name"] == "Vovchansk"
    assert event["place"]["lat"] == pytest.approx(50.29078)
    assert "250 families fled" in event["evidence"][0]["sentence"]
    [signal] = displacement["signals"]
    assert signal["modality"] == "forecast"
    # The alert's events are the API's events.
    opened = client.get(f"/api/events/{event['id']}")
    assert opened.status_code == 200
    assert opened.json()["location"]["name"] == "Vovchansk"


def test_alert_filters(client: TestClient) -> None:
    assert concerns(client, country="UKR") == ["displacement", "violence_against_civilians"]
    assert concerns(client, country="ukr", admin1="kharkivska") == [
        "displacement", "violence_against_civilians"]
    assert concerns(client, admin1="Istanbul") == ["protest_riot"]
    assert concerns(client, concern="displacement") == ["displacement"]
    assert concerns(client, status="resolved") == ["violence_against_civilians"]
    assert concerns(client, country="SYR") == []
    assert concerns(client, limit="1") in (["displacement"], ["protest_riot"],
                                           ["violence_against_civilians"])


def test_atom_feed_has_an_entry_per_alert_and_takes_the_filters(client: TestClient) -> None:
    response = client.get("/alerts.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert len(feed.findall(f"{ATOM}entry")) == 3
    narrowed = ET.fromstring(
        client.get("/alerts.atom", params={"concern": "protest_riot"}).content
    )
    [entry] = narrowed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}category").get("term") == "protest_riot"
    assert entry.find(f"{ATOM}id").text == "urn:tocsin:alert:al-test-protest_riot"


@pytest.mark.parametrize(
    ("path", "params", "reason"),
    [
        ("/api/alerts", {"limit": "0"}, "limit"),
        ("/api/alerts", {"limit": "many"}, "limit"),
        ("/api/alerts", {"admin1": "Khar\x00kivska"}, "admin1"),
        ("/alerts.atom", {"country": "U\x00K"}, "country"),
    ],
)
def test_bad_alert_parameters_are_422_problems(
    client: TestClient, path: str, params: dict[str, str], reason: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert reason in response.json()["detail"]


def test_openapi_lists_the_alert_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/alerts" in paths and "/alerts.atom" in paths


def test_deliveries_need_an_api_key_and_list_dead_letters(client: TestClient) -> None:
    from tocsin.alerts.alert_store import add_subscription, update_delivery
    from tocsin.api import create_key

    database = client.app.state.database  # type: ignore[attr-defined]
    add_subscription(database, "webhook", "http://127.0.0.1:9/hook", "TUR", secret="k")
    istanbul = Alert(
        id="al-test-delivery", area=Area("TUR", "Istanbul"), concern="protest_riot",
        start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 1), status="new", score=4.5,
        observed=1, expected=0.05, people_kind="killed", people_observed=0, people_expected=1.0,
    )
    save_alerts(database, [istanbul])  # its delivery is written with it, pending
    assert client.get("/api/alerts/deliveries").status_code == 401
    assert client.get("/api/alerts/deliveries",
                      headers={"X-API-Key": "tk_nope.nope"}).status_code == 401
    _info, key = create_key(database, "desk")
    listed = client.get("/api/alerts/deliveries", headers={"X-API-Key": key})
    assert listed.status_code == 200, listed.text
    [row] = listed.json()["deliveries"]
    assert (row["alert_id"], row["state"], row["kind"]) == ("al-test-delivery", "pending",
                                                            "webhook")
    assert "secret" not in row and "payload" not in row
    update_delivery(database, row["id"], "dead", 4, "HTTP 500", None)
    dead = client.get("/api/alerts/deliveries", params={"state": "dead"},
                      headers={"X-API-Key": key}).json()
    assert [(d["id"], d["last_error"]) for d in dead["deliveries"]] == [(row["id"], "HTTP 500")]
    assert client.get("/api/alerts/deliveries", params={"state": "lost"},
                      headers={"X-API-Key": key}).status_code == 422
