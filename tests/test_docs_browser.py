"""The API docs pages in a real browser with no outside network: Debian's Chromium driven by
Playwright (as in test_dashboard_browser), against a uvicorn server on a loopback port. Every
request to a host other than 127.0.0.1 is aborted and recorded, so a page that still reached for
a CDN would both fail the check and render nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from live_app import chromium, serving

from tocsin.api import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("docs")
    with serving(create_app(f"sqlite:///{folder / 'docs.sqlite'}")) as url:
        yield url


@pytest.fixture(scope="module")
def offline_browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


def open_offline(browser, url: str):  # type: ignore[no-untyped-def]
    """A page whose requests to anything but 127.0.0.1 are aborted (listed in ``page.outside``)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(route) -> None:  # type: ignore[no-untyped-def]
        request_url = route.request.url
        if urlsplit(request_url).hostname == "127.0.0.1" or request_url.startswith(
                ("data:", "blob:")):
            route.continue_()
        else:
            outside.append(request_url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(url)
    page.outside = outside  # type: ignore[attr-defined]
    page.errors = errors  # type: ignore[attr-defined]
    return page


def test_swagger_ui_renders_the_operations_offline(docs_server: str, offline_browser) -> None:  # type: ignore[no-untyped-def]
    page = open_offline(offline_browser, f"{docs_server}/docs")
    try:
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = {(text or "").strip().replace("\u200b", "")
                 for text in page.locator(".opblock-summary-path").all_text_contents()}
        assert "/api/events" in paths, paths
        assert "/api/documents" in paths, paths
        assert page.locator(".info .title").inner_text().startswith("Tocsin")
        # The styles loaded too: an operation block is laid out, not bare text.
        assert page.locator(".opblock").first.bounding_box()["height"] > 20
        assert page.outside == [], page.outside
        assert page.errors == [], page.errors
    finally:
        page.close()


def test_redoc_renders_offline(docs_server: str, offline_browser) -> None:  # type: ignore[no-untyped-def]
    page = open_offline(offline_browser, f"{docs_server}/redoc")
    try:
        page.wait_for_selector(".api-content h2", timeout=20_000)
        assert page.locator(".api-info h1").inner_text().startswith("Tocsin")
        assert page.locator(".api-content h2").count() >= 5
        assert page.outside == [], page.outside
        # ReDoc's own "API docs by Redocly" sidebar logo points at its CDN; the policy blocks
        # it (nothing leaves the machine) and nothing else is refused.
        errors = [e for e in page.errors if "cdn.redoc.ly/redoc/logo-mini.svg" not in e]
        assert errors == [], errors
    finally:
        page.close()
