"""Country and type filters are checked, not taken blindly (issue 14, item 10): ISO 3166 codes
and unambiguous names become alpha-3 codes and are said back; an unknown value is an error
naming close matches, on the command line (exit 2), in Python (ValueError) and in the API (422
problem+json)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_api import PROBLEM, fill, no_pipeline
from typer.testing import CliRunner

import tocsin
from tocsin.api import create_app
from tocsin.cli import app
from tocsin.filter_values import UnknownValue, event_types, resolve_country, resolve_event_type

runner = CliRunner()


@pytest.mark.parametrize(
    ("typed", "alpha_3"),
    [("SYR", "SYR"), ("syr", "SYR"), ("SY", "SYR"), ("Syria", "SYR"),
     ("syrian arab republic", "SYR"), ("Iran", "IRN"), ("UA", "UKR"), ("Türkiye", "TUR"),
     ("Cote d'Ivoire", "CIV"), ("XKX", "XKX")],
)
def test_codes_and_unambiguous_names_become_alpha_3(typed: str, alpha_3: str) -> None:
    assert resolve_country(typed).alpha_3 == alpha_3


def test_unknown_or_ambiguous_countries_are_errors_naming_close_matches() -> None:
    with pytest.raises(UnknownValue, match=r"unknown 'XXX'"):
        resolve_country("XXX")
    with pytest.raises(UnknownValue, match=r"Syria \(SYR\)"):
        resolve_country("Sirya")
    with pytest.raises(UnknownValue, match=r"ambiguous.*North Korea \(PRK\)"):
        resolve_country("Korea")


def test_types_are_the_ontology_categories_in_any_case() -> None:
    assert len(event_types()) == 17 and "DISPLACEMENT" in event_types()
    assert resolve_event_type("assault") == "ASSAULT"
    with pytest.raises(UnknownValue, match="did you mean ASSAULT"):
        resolve_event_type("ASAULT")
    with pytest.raises(UnknownValue, match="unknown 'FOO'.*PROTEST"):
        resolve_event_type("FOO")


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'filters.sqlite'}"
    fill(url)
    return url


@pytest.mark.parametrize("typed", ["UKR", "UA", "Ukraine", "ukraine"])
def test_the_cli_understands_and_says_the_country(db: str, typed: str) -> None:
    done = runner.invoke(app, ["events", "--db", db, "--format", "json", "--country", typed])
    assert done.exit_code == 0, done.output
    assert len(json.loads(done.stdout)) == 2
    assert "country: Ukraine (UKR)" in done.stderr


def test_the_cli_understands_the_type(db: str) -> None:
    done = runner.invoke(app, ["events", "--db", db, "--format", "json", "--type", "protest"])
    assert done.exit_code == 0, done.output
    assert [e["event"] for e in json.loads(done.stdout)] == ["PROTEST"]
    assert "type: PROTEST" in done.stderr


@pytest.mark.parametrize(
    ("option", "typed", "said"),
    [("--country", "XXX", "unknown 'XXX'"), ("--country", "Sirya", "Syria (SYR)"),
     ("--type", "FOO", "unknown 'FOO'")],
)
def test_the_cli_refuses_unknown_values(db: str, option: str, typed: str, said: str) -> None:
    done = runner.invoke(app, ["events", "--db", db, option, typed])
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and said in done.stderr


def test_the_python_api_normalises_and_refuses(db: str) -> None:
    assert len(tocsin.events(db, country="Ukraine")) == 2
    assert len(tocsin.events(db, country="UA", type="displacement")) == 1
    with pytest.raises(ValueError, match="unknown 'XXX'"):
        tocsin.events(db, country="XXX")
    with pytest.raises(ValueError, match="unknown 'FOO'"):
        tocsin.events(db, type="FOO")


@pytest.fixture()
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, process=no_pipeline)) as test_client:
        yield test_client


def test_the_api_understands_codes_and_names(client: TestClient) -> None:
    for typed in ("UKR", "UA", "Ukraine"):
        found = client.get("/api/events", params={"country": typed})
        assert found.status_code == 200, found.text
        assert len(found.json()["events"]) == 2
    typed_lower = client.get("/api/events", params={"type": "protest"})
    assert [e["event"] for e in typed_lower.json()["events"]] == ["PROTEST"]


@pytest.mark.parametrize(
    ("params", "said"),
    [({"country": "XXX"}, "country: unknown 'XXX'"), ({"country": "Korea"}, "ambiguous"),
     ({"type": "FOO"}, "type: unknown 'FOO'")],
)
def test_the_api_refuses_unknown_values_with_a_problem(
    client: TestClient, params: dict[str, str], said: str
) -> None:
    for route in ("/api/events", "/api/stats"):
        response = client.get(route, params=params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert said in response.json()["detail"]
