"""The API docs pages in a real browser with no outside network: Debian's Chromium driven by
Playwright (as in test_dashboard_browser), against a uvicorn server on a loopback port. Every
request to a host other than 127.0.0.1 is aborted and recorded, so a page that still reached for
a CDN would both fail the check and render nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS, _free_port

from tocsin.api import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("docs")
    port = _free_port()
    config = uvicorn.Config(create_app(f"sqlite:///{folder / 'docs.sqlite'}"),
                            host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def offline_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM} (Debian package `chromium`)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


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
