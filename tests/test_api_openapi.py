"""The OpenAPI schema describes every answer (issue 14, item 12): a response model for each
operation's success, and problem documents (``application/problem+json``) for the errors it can
give. The schema is walked for what it declares; real answers, successes and errors, are then
checked against it with schemathesis's conformance checks (status, media type, body schema).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from test_api import PROBLEM
from test_api_alerts import store_alerts

from tocsin.alerts.alert_store import add_subscription, save_alerts
from tocsin.alerts.lifecycle import Alert
from tocsin.alerts.observations import Area
from tocsin.api import create_app, create_key
from tocsin.records import Failure
from tocsin.runner import RunSummary
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.store import Database

CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]
PROBLEM_FIELDS = {"type", "title", "status", "detail"}
# Path parameters that name a stored thing, which may not exist.
RESOURCE_IDS = {"event_id", "job_id", "document_id"}


def one_failure(
    _inputs: Sequence[str], _database: Database, _options: ReadOptions,
    _on_document: Callable[[int], None],
) -> RunSummary:
    """A runner whose one document fails: a finished job with a failure to describe."""
    return RunSummary(failures=[Failure("api:job#item=1", "read", "empty input")])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    """The app over the API tests' events and alerts, a pending delivery, and a key."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('openapi')) / 'api.sqlite'}"
    store_alerts(url)
    app = create_app(url, settings=Settings(max_body_bytes=64 * 1024), process=one_failure)
    with TestClient(app) as client:
        database = app.state.database
        add_subscription(database, "webhook", "https://hooks.example.org/tocsin", "TUR",
                         secret="k")
        save_alerts(database, [Alert(
            id="al-test-delivery", area=Area("TUR", "Istanbul"), concern="protest_riot",
            start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 1),
            status="new", score=4.5, observed=1, expected=0.05, people_kind="killed",
            people_observed=0, people_expected=1.0,
        )])
        _info, key = create_key(database, "openapi")
        yield client, key


@pytest.fixture(scope="module")
def spec(served: tuple[TestClient, str]) -> dict[str, Any]:
    return served[0].app.openapi()  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(scope="module")
def api_schema(served: tuple[TestClient, str]):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", served[0].app)


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def test_every_operation_declares_what_it_answers_and_its_errors(spec: dict[str, Any]) -> None:
    missing: list[str] = []
    for method, path, operation in operations(spec):
        responses = operation["responses"]
        where = f"{method} {path}"
        successes = [r for status, r in responses.items() if str(status).startswith("2")]
        schemas = [c.get("schema") or {} for r in successes for c in r.get("content", {}).values()]
        described = [s for s in schemas if "$ref" in s or "anyOf" in s or "oneOf" in s
                     or s.get("type") == "string"]
        if not described:
            missing.append(f"{where}: no schema for its 2xx answer")
        parameters = operation.get("parameters", [])
        expected = set()
        if parameters or "requestBody" in operation:
            expected.add("422")
        if operation.get("security"):
            expected.add("401")
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if any(p["in"] == "path" and p["name"] in RESOURCE_IDS for p in parameters):
            expected.add("404")
        for status in sorted(expected - set(responses)):
            missing.append(f"{where}: {status} not declared")
        for status, response in responses.items():
            if str(status)[0] not in "45":
                continue
            content = response.get("content", {})
            if list(content) != [PROBLEM]:
                missing.append(f"{where}: {status} is {list(content)}, not {PROBLEM}")
                continue
            problem = resolve(spec, content[PROBLEM]["schema"])
            if not PROBLEM_FIELDS <= set(problem.get("required", ())):
                missing.append(f"{where}: {status} does not require {sorted(PROBLEM_FIELDS)}")
    assert missing == []


def test_the_problem_schema_names_its_fields(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["ProblemDocument"]
    assert PROBLEM_FIELDS <= set(problem["properties"])
    assert problem["properties"]["status"]["type"] == "integer"
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def answer(api_schema, method: str, path: str, response, **case: Any) -> None:  # type: ignore[no-untyped-def]
    """Check one real answer against the schema (status declared, media type, body)."""
    operation = api_schema[path][method]
    operation.Case(**case).validate_response(response, checks=CHECKS)


def test_successful_answers_match_their_models(
    served: tuple[TestClient, str], api_schema,  # type: ignore[no-untyped-def]
) -> None:
    client, key = served
    keyed = {"X-API-Key": key}
    event_id = client.get("/api/events").json()["events"][0]["id"]
    document_id = client.get(f"/api/events/{event_id}").json()["mentions"][0]["document"]
    posted = client.post("/api/documents", json={"documents": [{"text": "x"}]}, headers=keyed)
    assert posted.status_code == 202, posted.text
    answer(api_schema, "POST", "/api/documents", posted, headers=keyed,
           body={"documents": [{"text": "x"}]})
    job_url = posted.json()["url"]
    for _ in range(100):
        if client.get(job_url).json()["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    job_id = job_url.rsplit("/", 1)[1]
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("/api/health", "/api/health", {}),
        ("/api/config", "/api/config", {}),
        ("/api/events", "/api/events", {}),
        ("/api/events", "/api/events", {"query": {"mentions": "true", "modality": "any"}}),
        ("/api/events", "/api/events", {"query": {"format": "geojson", "modality": "any"}}),
        (f"/api/events/{event_id}", "/api/events/{event_id}",
         {"path_parameters": {"event_id": event_id}}),
        ("/api/stats", "/api/stats", {"query": {"by_type": "true"}}),
        ("/api/places/706483/timeline", "/api/places/{geonameid}/timeline",
         {"path_parameters": {"geonameid": 706483}}),
        (job_url, "/api/jobs/{job_id}", {"path_parameters": {"job_id": job_id}}),
        (f"/api/documents/{document_id}", "/api/documents/{document_id}",
         {"path_parameters": {"document_id": document_id}}),
        ("/api/alerts", "/api/alerts", {}),
        ("/api/alerts/deliveries", "/api/alerts/deliveries", {"headers": keyed}),
        ("/alerts.atom", "/alerts.atom", {}),
    ]
    for url, path, case in calls:
        query = case.get("query")
        response = client.get(url, params=query, headers=case.get("headers"))
        assert response.status_code == 200, (url, response.text)
        answer(api_schema, "GET", path, response, **case)
    job = client.get(job_url).json()
    assert job["failures"] and job["status"] == "done"
    assert client.get("/api/alerts/deliveries", headers=keyed).json()["count"] == 1


def test_error_answers_are_declared_problem_documents(
    served: tuple[TestClient, str], api_schema,  # type: ignore[no-untyped-def]
) -> None:
    client, key = served
    keyed = {"X-API-Key": key}
    body = {"documents": [{"text": "x"}]}
    big = b'{"documents": [{"text": "' + b"x" * (128 * 1024) + b'"}]}'
    calls: list[tuple[int, str, str, Callable[[], Any], dict[str, Any]]] = [
        (404, "GET", "/api/events/{event_id}", lambda: client.get("/api/events/ev-nope"),
         {"path_parameters": {"event_id": "ev-nope"}}),
        (404, "GET", "/api/jobs/{job_id}", lambda: client.get("/api/jobs/abc123"),
         {"path_parameters": {"job_id": "abc123"}}),
        (404, "GET", "/api/documents/{document_id}", lambda: client.get("/api/documents/nope"),
         {"path_parameters": {"document_id": "nope"}}),
        (422, "GET", "/api/events", lambda: client.get("/api/events", params={"bbox": "1,2"}),
         {"query": {"bbox": "1,2"}}),
        (422, "GET", "/api/stats", lambda: client.get("/api/stats", params={"country": "XXX"}),
         {"query": {"country": "XXX"}}),
        (422, "GET", "/api/alerts", lambda: client.get("/api/alerts", params={"limit": 0}),
         {"query": {"limit": 0}}),
        (401, "POST", "/api/documents", lambda: client.post("/api/documents", json=body),
         {"body": body}),
        (401, "GET", "/api/alerts/deliveries", lambda: client.get("/api/alerts/deliveries"),
         {}),
        (422, "POST", "/api/documents",
         lambda: client.post("/api/documents", json={"documents": []}, headers=keyed),
         {"headers": keyed, "body": {"documents": []}}),
        (400, "POST", "/api/documents",
         lambda: client.post("/api/documents", content=b'{"documents": "\xff\xfe"}',
                             headers={**keyed, "Content-Type": "application/json"}),
         {"headers": keyed, "body": body}),
        (413, "POST", "/api/documents",
         lambda: client.post("/api/documents", content=big,
                             headers={**keyed, "Content-Type": "application/json"}),
         {"headers": keyed, "body": body}),
    ]
    for status, method, path, call, case in calls:
        response = call()
        assert response.status_code == status, (path, response.status_code, response.text)
        assert response.headers["content-type"] == PROBLEM
        found = response.json()
        assert PROBLEM_FIELDS <= set(found) and found["status"] == status
        answer(api_schema, method, path, response, **case)
