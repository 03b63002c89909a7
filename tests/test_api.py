"""The REST API through the real app (FastAPI TestClient), on SQLite and PostgreSQL.

Events are made the way production makes them: hand-written document results stored with
``Database.store_result`` and fused by ``fuse_pending``; the API reads them through
``tocsin.queries``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tocsin.api import create_app, create_key, revoke_key
from tocsin.document_id import document_id
from tocsin.exports import geojson_problems
from tocsin.incremental_fusion import fuse_pending
from tocsin.records import (
    Actor,
    Counts,
    DateSpan,
    Document,
    DocumentResult,
    EventMention,
    Evidence,
    Place,
    Sentence,
)
from tocsin.runner import RunSummary
from tocsin.store import open_database

PROBLEM = "application/problem+json"

# (sentence, category, place (name, country, admin1, geonameid, lat, lon), day, modality,
#  actor1, counts) -- one document per report, written for these tests.
REPORTS = [
    ("Artillery fire hit the bus station in Kharkiv on Tuesday, killing six commuters.",
     "ASSAULT", ("Kharkiv", "UKR", "Kharkivska", 706483, 49.98081, 36.25272),
     dt.date(2024, 5, 14), "asserted", Actor("artillery units", "RUS", "MIL"),
     Counts(killed=6)),
    ("Some 250 families fled Vovchansk for safer villages over the weekend.",
     "DISPLACEMENT", ("Vovchansk", "UKR", "Kharkivska", 687116, 50.29078, 36.94108),
     dt.date(2024, 5, 11), "asserted", Actor("families", "UKR", "CVL"),
     Counts(displaced=250, qualifier="some")),
    ("Hundreds of dock workers marched through Istanbul to demand unpaid wages.",
     "PROTEST", ("Istanbul", "TUR", "Istanbul", 745044, 41.01384, 28.94966),
     dt.date(2024, 5, 20), "asserted", Actor("dock workers", "TUR", "CVL"), Counts()),
    ("Relief agencies warn that thousands more could leave Kherson if strikes go on.",
     "DISPLACEMENT", ("Kherson", "UKR", "Khersonska", 706448, 46.65581, 32.6178),
     dt.date(2024, 5, 21), "forecast", None, Counts()),
]


def report_result(number: int) -> DocumentResult:
    sentence, category, where, day, modality, actor, counts = REPORTS[number]
    doc_id = document_id(sentence)
    name, country, admin1, geonameid, lat, lon = where
    start = sentence.index(name)
    place = Place(name, start, start + len(name), 0, name=name, geonameid=geonameid,
                  country=country, admin1=admin1, lat=lat, lon=lon, precision="town")
    mention = EventMention(
        event=category, evidence=Evidence(doc_id, sentence, 0, len(sentence)),
        actor1=actor, location=place, date=DateSpan(day, day, "day"), counts=counts,
        modality=modality, confidence=0.7,
    )
    document = Document(
        id=doc_id, text=sentence, locator=f"test://report-{number}", format="text",
        title=f"Report {number}", published=day, url=f"https://news.example/{number}",
        source="news.example", language="en",
    )
    return DocumentResult(document, [Sentence(0, 0, len(sentence), sentence)], [], [place],
                          [mention])



def fill(url: str) -> None:
    with open_database(url) as database:
        for number in range(len(REPORTS)):
            database.store_result(report_result(number))
        fuse_pending(database)


def no_pipeline(*_args: object) -> RunSummary:
    raise AssertionError("this test posts no documents")


@pytest.fixture()
def client(database_url: str) -> Iterator[TestClient]:
    fill(database_url)
    with TestClient(create_app(database_url, process=no_pipeline)) as test_client:
        yield test_client


def ids_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["events"]]


def places_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [e["location"]["name"] for e in response.json()["events"]]


def test_health_names_the_database(client: TestClient, database_url: str) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["database"] == ("sqlite" if database_url.startswith("sqlite") else "postgresql")


def test_events_are_asserted_and_sorted_by_date(client: TestClient) -> None:
    assert places_of(client.get("/api/events")) == ["Vovchansk", "Kharkiv", "Istanbul"]
    everything = places_of(client.get("/api/events", params={"modality": "any"}))
    assert everything == ["Vovchansk", "Kharkiv", "Istanbul", "Kherson"]
    assert places_of(client.get("/api/events", params={"modality": "forecast"})) == ["Kherson"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "ASSAULT"}, ["Kharkiv"]),
        ({"type": "assault"}, ["Kharkiv"]),
        ({"country": "TUR"}, ["Istanbul"]),
        ({"admin1": "kharkivska"}, ["Vovchansk", "Kharkiv"]),
        ({"since": "2024-05-12", "until": "2024-05-19"}, ["Kharkiv"]),
        ({"bbox": "36.0,49.5,37.5,50.5"}, ["Vovchansk", "Kharkiv"]),
        ({"text": "dock workers"}, ["Istanbul"]),
        ({"near": "49.98,36.25"}, ["Kharkiv"]),  # Vovchansk is 60 km away
        ({"near": "49.98,36.25", "within_km": "80"}, ["Vovchansk", "Kharkiv"]),
        ({"near": "41.0,29.0", "within_km": "2"}, []),
        ({"actor": "artillery"}, ["Kharkiv"]),
        ({"actor": "TUR"}, ["Istanbul"]),
        ({"min_sources": "2"}, []),
    ],
)
def test_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert places_of(client.get("/api/events", params=params)) == expected


def test_cursor_pages_cover_the_listing_once(client: TestClient) -> None:
    whole = ids_of(client.get("/api/events", params={"modality": "any"}))
    seen: list[str] = []
    params = {"modality": "any", "limit": "1"}
    while True:
        body = client.get("/api/events", params=params).json()
        assert len(body["events"]) <= 1
        seen.extend(e["id"] for e in body["events"])
        if body["next"] is None:
            break
        params["after"] = body["next"]
    assert seen == whole


def test_geojson_is_valid_and_paginated(client: TestClient) -> None:
    body = client.get("/api/events", params={"format": "geojson", "limit": "2"}).json()
    assert body["type"] == "FeatureCollection"
    assert geojson_problems({k: v for k, v in body.items() if k != "next"}) == []
    assert [f["properties"]["location"] for f in body["features"]] == ["Vovchansk", "Kharkiv"]
    assert body["features"][1]["geometry"]["coordinates"] == [36.25272, 49.98081]
    assert body["next"]


def test_one_event_has_its_evidence_and_documents(client: TestClient) -> None:
    [event_id] = ids_of(client.get("/api/events", params={"type": "ASSAULT"}))
    event = client.get(f"/api/events/{event_id}").json()
    assert event["counts"]["killed"] == 6
    [mention] = event["mentions"]
    assert mention["sentence"] == REPORTS[0][0]
    assert [d["url"] for d in event["documents"]] == ["https://news.example/0"]
    document = client.get(f"/api/documents/{mention['document']}").json()
    assert document["text"] == REPORTS[0][0]
    assert document["title"] == "Report 0"


def test_missing_things_are_404_problems(client: TestClient) -> None:
    for path in ("/api/events/ev-nothing", "/api/jobs/abcdef", "/api/documents/nothing"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["status"] == 404


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"bbox": "0,60,10,50"}, "south must not exceed north"),
        ({"bbox": "0,0,200,10"}, "longitudes"),
        ({"near": "49.9"}, "two numbers"),
        ({"near": "91,10"}, "latitude"),
        ({"within_km": "10"}, "needs near"),
        ({"near": "49.9,36.2", "within_km": "-1"}, "within_km"),
        ({"since": "2024-06-01", "until": "2024-05-01"}, "after until"),
        ({"since": "yesterday"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "100000"}, "limit"),
        ({"format": "csv"}, "format"),
        ({"modality": "rumoured"}, "modality"),
        ({"country": "XXX"}, "country"),  # a name is understood (test_filter_values)
        ({"after": "ev-never-listed"}, "after"),
        ({"after": "not-a-date|ev-1"}, "after"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_parameters_give_422_with_the_reason(
    client: TestClient, params: dict[str, str], reason: str
) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 422
    assert reason in body["detail"]


def test_stats_count_per_day_type_country_and_admin1(client: TestClient) -> None:
    stats = client.get("/api/stats", params={"by_type": "true"}).json()
    assert stats["total"] == 3
    assert stats["days"] == {"2024-05-11": 1, "2024-05-14": 1, "2024-05-20": 1}
    assert stats["types"] == {"ASSAULT": 1, "DISPLACEMENT": 1, "PROTEST": 1}
    assert stats["countries"] == {"TUR": 1, "UKR": 2}
    assert stats["admin1"] == {"Istanbul": 1, "Kharkivska": 2}
    assert stats["days_by_type"]["ASSAULT"] == {"2024-05-14": 1}
    narrowed = client.get("/api/stats", params={"country": "UKR"}).json()
    assert narrowed["total"] == 2
    assert "days_by_type" not in narrowed


def test_place_timeline(client: TestClient) -> None:
    timeline = client.get("/api/places/706483/timeline").json()
    assert timeline["total"] == 1
    assert timeline["days"] == {"2024-05-14": 1}
    assert client.get("/api/places/1/timeline").json()["total"] == 0
    assert client.get("/api/places/0/timeline").status_code == 422


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/stats", "/api/documents",
                 "/api/jobs/{job_id}", "/api/places/{geonameid}/timeline", "/api/health"):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_posting_needs_a_valid_key(client: TestClient, database_url: str) -> None:
    body = {"documents": [{"text": "Shelling hit Kharkiv."}]}
    missing = client.post("/api/documents", json=body)
    assert missing.status_code == 401
    assert missing.headers["content-type"] == PROBLEM
    wrong = client.post("/api/documents", json=body, headers={"X-API-Key": "tocsin_ab_cd"})
    assert wrong.status_code == 401
    with open_database(database_url) as database:
        _info, key = create_key(database, "revoked later")
        revoke_key(database, key)
    revoked = client.post("/api/documents", json=body, headers={"X-API-Key": key})
    assert revoked.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"documents": []},
        {"documents": [{"text": "x", "url": "https://example.org/"}]},
        {"documents": [{}]},
        {"documents": [{"url": "ftp://example.org/file"}]},
        {"documents": [{"text": "x"}] * 101},
    ],
)
def test_bad_batches_are_422(client: TestClient, database_url: str, body: dict) -> None:
    with open_database(database_url) as database:
        _info, key = create_key(database, "batches")
    response = client.post("/api/documents", json=body, headers={"X-API-Key": key})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_cors_origins_are_configurable(database_url: str) -> None:
    fill(database_url)
    origin = {"Origin": "https://desk.example"}
    with TestClient(create_app(database_url, process=no_pipeline)) as closed:
        plain = closed.get("/api/health", headers=origin).headers
        assert "access-control-allow-origin" not in plain
    app = create_app(database_url, process=no_pipeline, cors_origins=["https://desk.example"])
    with TestClient(app) as open_:
        allowed = open_.get("/api/health", headers=origin).headers
        assert allowed["access-control-allow-origin"] == "https://desk.example"
        other = open_.get("/api/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def wait_for_job(client: TestClient, job_id: str, seconds: float = 120.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_a_failing_pipeline_fails_the_job_not_the_server(database_url: str) -> None:
    def broken(*_args: object) -> RunSummary:
        raise RuntimeError("model missing")

    with open_database(database_url) as database:
        _info, key = create_key(database, "jobs")
    with TestClient(create_app(database_url, process=broken)) as client:
        accepted = client.post("/api/documents", json={"documents": [{"text": "words"}]},
                               headers={"X-API-Key": key})
        assert accepted.status_code == 202
        assert accepted.headers["location"] == accepted.json()["url"]
        job = wait_for_job(client, accepted.json()["job"])
        assert job["status"] == "failed"
        assert "model missing" in job["error"]
        assert client.get("/api/health").status_code == 200
