"""URLs posted through the API reach only global addresses unless the operator allows a network
(issue 14, item 1): checked after DNS resolution and at every redirect, with generic reasons."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from local_http import LocalHTTPServer

from tocsin.api import create_app, create_key
from tocsin.records import Failure
from tocsin.runner import RunSummary
from tocsin.settings import Settings
from tocsin.sources import ReadOptions, read_inputs
from tocsin.sources.netguard import NetworkPolicy, parse_networks
from tocsin.store import Database, open_database

PAGE = "<html><body><p>Shelling hit the northern district of Kharkiv on Monday.</p></body></html>"


def reading_only(
    inputs: Sequence[str], _database: Database, options: ReadOptions,
    _on_document: Callable[[int], None],
) -> RunSummary:
    """The runner's reading, without the pipeline: enough to see what a URL gave."""
    summary = RunSummary()
    for item in read_inputs(inputs, options):
        if isinstance(item, Failure):
            summary.failures.append(item)
        else:
            summary.processed += 1
    return summary


@pytest.fixture()
def make_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., tuple[TestClient, str]]]:
    monkeypatch.delenv("TOCSIN_ALLOW_NETWORKS", raising=False)
    url = f"sqlite:///{tmp_path / 'api.sqlite'}"
    clients: list[TestClient] = []

    def make(allow: tuple[str, ...] = ()) -> tuple[TestClient, str]:
        with open_database(url) as database:
            _info, key = create_key(database, "ssrf")
        settings = Settings(allow_networks=allow)
        client = TestClient(create_app(url, settings=settings, process=reading_only))
        clients.append(client.__enter__())
        return client, key

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def run_job(client: TestClient, key: str, url: str) -> dict:  # type: ignore[type-arg]
    accepted = client.post("/api/documents", json={"documents": [{"url": url}]},
                           headers={"X-API-Key": key})
    assert accepted.status_code == 202, accepted.text
    for _ in range(200):
        job = client.get(accepted.json()["url"]).json()
        if job["status"] in ("done", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}/page",
        "http://2130706433:{port}/page",
        "http://localhost:{port}/page",
        "http://[::1]:{port}/page",
        "http://[::ffff:127.0.0.1]:{port}/page",
        "http://0.0.0.0:{port}/page",
        "http://10.0.0.1:{port}/page",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_internal_addresses_are_refused_without_the_allowance(
    make_client: Callable[..., tuple[TestClient, str]], http_server: LocalHTTPServer,
    template: str,
) -> None:
    http_server.add("/page", PAGE, headers={"Content-Type": "text/html"})
    client, key = make_client()
    job = run_job(client, key, template.format(port=http_server.port))
    assert job["processed"] == 0
    assert [f["reason"] for f in job["failures"]] == ["address not allowed"]
    assert http_server.requests == []


def test_the_allowance_lets_named_networks_through(
    make_client: Callable[..., tuple[TestClient, str]], http_server: LocalHTTPServer,
) -> None:
    url = http_server.add("/page", PAGE, headers={"Content-Type": "text/html"})
    client, key = make_client(("127.0.0.0/8",))
    job = run_job(client, key, url)
    assert job["status"] == "done"
    assert (job["processed"], job["failures"]) == (1, [])


def test_the_allowance_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOCSIN_ALLOW_NETWORKS", "127.0.0.0/8, 10.1.0.0/16")
    assert Settings().allow_networks == ("127.0.0.0/8", "10.1.0.0/16")
    monkeypatch.delenv("TOCSIN_ALLOW_NETWORKS")
    assert Settings().allow_networks == ()


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:9/"]
)
def test_a_redirect_to_a_refused_address_is_refused(
    make_client: Callable[..., tuple[TestClient, str]], http_server: LocalHTTPServer,
    target: str,
) -> None:
    url = http_server.add("/moved", status=302, headers={"Location": target})
    client, key = make_client(("127.0.0.1/32",))
    job = run_job(client, key, url)
    assert [f["reason"] for f in job["failures"]] == ["address not allowed"]
    assert [request[1] for request in http_server.requests] == ["/moved"]


def test_a_redirect_within_allowed_networks_is_followed(
    make_client: Callable[..., tuple[TestClient, str]], http_server: LocalHTTPServer,
) -> None:
    http_server.add("/page", PAGE, headers={"Content-Type": "text/html"})
    url = http_server.add("/moved", status=301, headers={"Location": "/page"})
    client, key = make_client(("127.0.0.0/8",))
    job = run_job(client, key, url)
    assert (job["processed"], job["failures"]) == (1, [])


def test_connection_failures_do_not_map_ports(
    make_client: Callable[..., tuple[TestClient, str]],
) -> None:
    client, key = make_client(("127.0.0.0/8",))
    job = run_job(client, key, "http://127.0.0.1:9/closed")  # discard port: nothing listens
    assert [f["reason"] for f in job["failures"]] == ["could not fetch"]


@pytest.mark.parametrize(
    ("address", "permitted"),
    [
        ("8.8.8.8", True), ("2606:4700:4700::1111", True),
        ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False),
        ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
        ("0.0.0.0", False), ("224.0.0.1", False), ("239.1.2.3", False), ("240.0.0.1", False),
        ("255.255.255.255", False), ("::1", False), ("::", False), ("fe80::1", False),
        ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_the_policy_refuses_every_non_global_address(address: str, permitted: bool) -> None:
    assert NetworkPolicy().permits(ipaddress.ip_address(address)) is permitted


def test_allowed_networks_are_parsed_and_honoured() -> None:
    policy = NetworkPolicy(parse_networks("127.0.0.0/8,10.1.0.0/16"))
    assert policy.permits(ipaddress.ip_address("127.0.0.5"))
    assert policy.permits(ipaddress.ip_address("10.1.200.1"))
    assert not policy.permits(ipaddress.ip_address("10.2.0.1"))
    with pytest.raises(ValueError):
        parse_networks("not-a-network")


def test_the_command_line_reader_is_not_restricted(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/page", PAGE, headers={"Content-Type": "text/html"})
    [document] = list(read_inputs([url]))
    assert not isinstance(document, Failure)


def test_serve_refuses_a_malformed_allowance(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tocsin.cli import app

    result = CliRunner().invoke(
        app, ["serve", "--db", str(tmp_path / "x.sqlite"), "--allow-network", "10.0.0.0/99"]
    )
    assert result.exit_code == 2
    assert "--allow-network" in result.output


def url_inputs(
    spec: dict[str, Any], schema: dict[str, Any], where: str, seen: frozenset[str] = frozenset()
) -> set[str]:
    """The places in a request schema that take a URL (by name or format), as dotted paths."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return set()
        return url_inputs(spec, spec["components"]["schemas"][name], where, seen | {name})
    found: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found |= url_inputs(spec, part, where, seen)
    if "items" in schema:
        found |= url_inputs(spec, schema["items"], f"{where}[]", seen)
    for name, part in schema.get("properties", {}).items():
        if any(word in name.lower() for word in ("url", "uri", "hook", "href", "endpoint")) \
                or part.get("format") in ("uri", "url"):
            found.add(f"{where}.{name}")
        found |= url_inputs(spec, part, f"{where}.{name}", seen)
    return found


def test_the_only_urls_the_api_takes_are_documents_fetched_under_the_policy(
    make_client: Callable[..., tuple[TestClient, str]],
) -> None:
    """Webhooks are registered with ``tocsin alerts subscribe`` (the operator's command), never
    through the API: no operation takes a URL but the documents' ``url``, which the tests above
    show is fetched under the network policy. A route that takes another URL (a webhook
    registration) fails here until it gets the same check and a test of its own."""
    client, _key = make_client()
    spec = client.get("/openapi.json").json()
    found: set[str] = set()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if any(w in parameter["name"].lower() for w in ("url", "uri", "hook", "href")):
                    found.add(f"{where} {parameter['in']}.{parameter['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found |= {f"{where} {p}" for p in url_inputs(spec, content["schema"], "body")}
    assert found == {"POST /api/documents body.documents[].url"}


@pytest.mark.parametrize(
    "template", ["http://127.0.0.1:{port}/hook", "http://localhost:{port}/hook",
                 "http://[::ffff:127.0.0.1]:{port}/hook", "http://10.0.0.1:{port}/hook"],
)
def test_a_webhook_under_the_policy_reaches_only_allowed_addresses(
    http_server: LocalHTTPServer, template: str,
) -> None:
    """What a webhook registered by an untrusted caller would get: the documents' check."""
    from tocsin.alerts.webhooks import WebhookPolicy, post_webhook

    http_server.add("/hook", b"ok")
    url = template.format(port=http_server.port)
    once = WebhookPolicy(attempts=1, timeout=2)
    refused = post_webhook(url, b"{}", "k", once, sleep=lambda _s: None, network=NetworkPolicy())
    assert (refused.ok, refused.error) == (False, "address not allowed")
    assert http_server.requests == []
    if "10.0.0.1" not in url:
        allowed = NetworkPolicy(parse_networks("127.0.0.0/8,::1/128"))
        assert post_webhook(url, b"{}", "k", once, sleep=lambda _s: None, network=allowed).ok
        assert [request[1] for request in http_server.requests] == ["/hook"]
