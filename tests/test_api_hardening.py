"""Issue 14, items 5 and 8: the key before the body, a cap on bodies, security headers, no
source maps, only http(s) document URLs and no server temp paths in API answers."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tocsin.api import create_app, create_key
from tocsin.runner import RunSummary
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.sources.documents import build_document
from tocsin.store import Database, open_database

PROBLEM = "application/problem+json"
LIMIT = 64 * 1024


def no_pipeline(*_args: object) -> RunSummary:
    return RunSummary()


@pytest.fixture()
def key(tmp_path: Path) -> str:
    with open_database(f"sqlite:///{tmp_path / 'h.sqlite'}") as database:
        return create_key(database, "hardening")[1]


@pytest.fixture()
def client(tmp_path: Path, key: str) -> Iterator[TestClient]:
    settings = Settings(max_body_bytes=LIMIT)
    app = create_app(f"sqlite:///{tmp_path / 'h.sqlite'}", settings=settings,
                     process=no_pipeline)
    with TestClient(app) as test_client:
        yield test_client


class Tripwire:
    """A request body that fails the test if more than its first chunk is read."""

    def __init__(self) -> None:
        self.chunks = 0

    def __iter__(self) -> Iterator[bytes]:
        self.chunks += 1
        yield b"{" + b" " * 1024
        raise AssertionError("the body was read past its first chunk")


# Item 5 --------------------------------------------------------------------------------------

def test_a_body_without_a_key_is_401_unread(client: TestClient) -> None:
    response = client.post("/api/documents", content=Tripwire(),  # type: ignore[arg-type]
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM


def test_a_huge_declared_body_without_a_key_is_401(client: TestClient) -> None:
    body = b"x" * (LIMIT * 4)
    response = client.post("/api/documents", content=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 401


def test_a_non_json_body_without_a_key_is_401(client: TestClient) -> None:
    response = client.post("/api/documents", content=b"\x00not json at all",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    wrong = client.post("/api/documents", content=b"<xml/>",
                        headers={"Content-Type": "text/xml", "X-API-Key": "tocsin_ab_cd"})
    assert wrong.status_code == 401


def test_an_oversized_body_with_a_key_is_413(client: TestClient, key: str) -> None:
    text = "Shelling hit Kharkiv. " * (LIMIT // 10)
    response = client.post("/api/documents", json={"documents": [{"text": text}]},
                           headers={"X-API-Key": key})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 413


def test_an_oversized_streamed_body_with_a_key_is_413(client: TestClient, key: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"documents": [{"text": "'
        for _ in range(LIMIT // 1024 + 2):
            yield b"a" * 1024
        yield b'"}]}'

    response = client.post("/api/documents", content=chunks(),  # type: ignore[arg-type]
                           headers={"X-API-Key": key, "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM


def test_a_normal_post_still_works(client: TestClient, key: str) -> None:
    body = {"documents": [{"text": "Shelling hit Kharkiv."}]}
    response = client.post("/api/documents", json=body, headers={"X-API-Key": key})
    assert response.status_code == 202, response.text
    bad = client.post("/api/documents", content=b"not json",
                      headers={"X-API-Key": key, "Content-Type": "application/json"})
    assert bad.status_code == 422


def test_the_body_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOCSIN_MAX_BODY_BYTES", "12345")
    assert Settings().max_body_bytes == 12345


def test_the_keyed_deliveries_endpoint_still_needs_its_key(client: TestClient, key: str) -> None:
    assert client.get("/api/alerts/deliveries").status_code == 401
    assert client.get("/api/alerts/deliveries", headers={"X-API-Key": key}).status_code == 200


# Item 8 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:x", "//evil.example/x", "/relative", "ftp://example.org/x",
])
def test_documents_keep_only_http_urls(url: str) -> None:
    document = build_document("Shelling hit Kharkiv.", locator="x", format="text",
                              options=ReadOptions(), url=url)
    assert document.url is None


def test_documents_keep_their_http_urls() -> None:
    for url in ("https://news.example/a?b=c", "http://news.example/"):
        document = build_document("Shelling hit Kharkiv.", locator="x", format="text",
                                  options=ReadOptions(), url=url)
        assert document.url == url


def test_an_html_canonical_javascript_url_is_dropped(tmp_path: Path) -> None:
    from tocsin.sources import read_inputs

    page = tmp_path / "page.html"
    page.write_text('<html><head><link rel="canonical" href="javascript:alert(1)">'
                    "<title>T</title></head><body><p>Shelling hit Kharkiv on Monday, "
                    "killing two people, officials said.</p></body></html>", encoding="utf-8")
    (document,) = list(read_inputs([str(page)], ReadOptions()))
    assert getattr(document, "url", "missing") is None


def test_every_response_has_security_headers(client: TestClient) -> None:
    for path in ("/api/health", "/", "/api/events", "/no/such/thing"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "default-src 'self'" in headers["content-security-policy"], path
        assert headers["referrer-policy"] == "no-referrer", path
    dashboard = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in dashboard and "unsafe-eval" not in dashboard
    assert "'unsafe-inline'" not in dashboard.split("script-src")[1].split(";")[0]


def test_the_docs_page_gets_a_policy_that_lets_swagger_load(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    scripts = [s for s in policy.split(";") if s.strip().startswith("script-src")][0]
    for source in _script_sources(response.text):
        assert source in scripts, (source, policy)
    assert "frame-ancestors 'none'" in policy


def test_the_docs_pages_load_only_local_assets(client: TestClient) -> None:
    import re

    for page in ("/docs", "/redoc"):
        response = client.get(page)
        assert response.status_code == 200, page
        policy = response.headers["content-security-policy"]
        assert "http" not in policy, (page, policy)
        urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        urls += re.findall(r"(?:url|Url): *'([^']+)'", response.text)
        assert urls, page
        for url in urls:
            assert url.startswith("/"), (page, url)
            assert client.get(url).status_code == 200, (page, url)
    assert "SwaggerUIBundle" in client.get("/docs-assets/swagger-ui-bundle.js").text


def _script_sources(html: str) -> list[str]:
    import re

    found = []
    for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
        found.append("'self'" if src.startswith("/") else "/".join(src.split("/")[:3]))
    if re.search(r"<script>", html):
        found.append("'unsafe-inline'")
    return found


def test_the_docs_policy_follows_a_tile_server(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 't.sqlite'}", process=no_pipeline,
                     tile_url="https://tiles.example/{z}/{x}/{y}.png")
    with TestClient(app) as client:
        policy = client.get("/").headers["content-security-policy"]
    assert "https://tiles.example" in policy.split("img-src")[1].split(";")[0]


def test_source_maps_are_not_served(client: TestClient, tmp_path: Path) -> None:
    from tocsin.api.dashboard import static_dir

    maps = sorted(static_dir().glob("*.map"))
    names = [m.name for m in maps] or ["app.js.map"]
    for name in names:
        assert client.get(f"/{name}").status_code == 404, name
        assert client.get(f"/{name.upper()}").status_code == 404, name
    assert client.get("/app.js").status_code == 200


def test_posted_texts_do_not_show_temp_paths(tmp_path: Path, key: str) -> None:
    seen: list[tuple[Sequence[str], ReadOptions]] = []

    def record(inputs: Sequence[str], database: Database, options: ReadOptions,
               _on: object) -> RunSummary:
        from tocsin.sources import read_inputs

        for found in read_inputs(list(inputs), options):
            seen.append((inputs, options))
            if hasattr(found, "text"):
                database.store_result(_bare_result(found))  # type: ignore[arg-type]
        return RunSummary(processed=1)

    app = create_app(f"sqlite:///{tmp_path / 'h.sqlite'}", process=record)
    with TestClient(app) as client:
        accepted = client.post("/api/documents", headers={"X-API-Key": key},
                               json={"documents": [{"text": "Shelling hit Kharkiv on Monday."}]})
        assert accepted.status_code == 202
        job_id = accepted.json()["job"]
        deadline = time.monotonic() + 30
        while client.get(f"/api/jobs/{job_id}").json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert client.get(f"/api/jobs/{job_id}").json()["status"] == "done"
        from tocsin.document_id import document_id

        stored = client.get(f"/api/documents/{document_id('Shelling hit Kharkiv on Monday.')}")
        assert stored.status_code == 200, stored.text
        locator = stored.json()["locator"]
    assert locator.startswith(f"api:{job_id}"), locator
    assert "tmp" not in locator and "/" not in locator


def _bare_result(document: object) -> object:
    from tocsin.records import DocumentResult

    return DocumentResult(document, [], [], [], [])  # type: ignore[arg-type]


def test_a_json_lines_record_with_a_javascript_url_keeps_no_url(tmp_path: Path) -> None:
    from tocsin.sources import read_inputs

    lines = tmp_path / "records.jsonl"
    lines.write_text(
        '{"text": "Shelling hit Kharkiv on Monday.", "url": "javascript:alert(document.cookie)"}\n'
        '{"text": "Protesters marched in Istanbul.", "url": "data:text/html,<b>x</b>"}\n'
        '{"text": "Families fled Vovchansk.", "url": "https://news.example/v"}\n',
        encoding="utf-8")
    urls = [getattr(d, "url", "failed") for d in read_inputs([str(lines)], ReadOptions())]
    assert urls == [None, None, "https://news.example/v"]
