"""Property-based requests generated from the OpenAPI schema (schemathesis): no 500s, and
every answer as the schema declares it (its status, media type and body schema).

The app runs over a small stored record with alerts on SQLite; every operation of the schema
is called with generated parameters and bodies (valid and invalid ones), and no response may be
a server error. Operations are driven with Hypothesis directly, one test per operation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from test_api import no_pipeline
from test_api_alerts import store_alerts

from tocsin.api import create_app

OPERATIONS = [
    ("GET", "/api/events"),
    ("GET", "/api/events/download"),
    ("GET", "/api/events/grid"),
    ("GET", "/api/events/{event_id}"),
    ("GET", "/api/totals"),
    ("GET", "/api/stats"),
    ("GET", "/api/places/{geonameid}/timeline"),
    ("POST", "/api/documents"),
    ("GET", "/api/jobs/{job_id}"),
    ("GET", "/api/documents/{document_id}"),
    ("GET", "/api/health"),
    ("GET", "/api/config"),
    ("GET", "/api/alerts"),
    ("GET", "/api/alerts/deliveries"),
    ("GET", "/alerts.atom"),
]

CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('schema')) / 'api.sqlite'}"
    store_alerts(url)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(url, process=no_pipeline))


def test_the_schema_has_exactly_these_operations(api_schema) -> None:  # type: ignore[no-untyped-def]
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_server_errors(api_schema, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    operation = api_schema[path][method]
    modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    for mode in modes:
        strategy = operation.as_strategy(generation_mode=mode)

        @given(case=strategy)
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call()
            assert response.status_code < 500, (case.path_parameters, case.query, response.text)
            case.validate_response(response, checks=CONFORMANCE)

        try:
            call()
        except Unsatisfiable:
            # Some operations have no invalid input that still makes a request (a path
            # parameter whose every string is either valid or not a URL segment).
            assert mode is schemathesis.GenerationMode.NEGATIVE
