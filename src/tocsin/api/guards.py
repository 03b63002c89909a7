"""Pure ASGI middleware guarding every request: a cap on request bodies, security headers.

``BodyLimit`` caps what any route may read of a request body. A declared ``Content-Length``
over the cap fails the first read and a body streamed without one fails the read that crosses
the cap, each with a 413 problem document; nothing is refused before a route reads, so a keyed
route (``tocsin.api.auth``) still answers 401 to a caller without a key, whatever the body.

``SecurityHeaders`` adds a Content-Security-Policy, ``X-Content-Type-Options: nosniff`` and a
Referrer-Policy to every response. The dashboard's policy allows only its own scripts (styles
inline too: Leaflet and the details panel set style attributes) and images from the optional
tile server; the API docs pages (Swagger UI, ReDoc) get a policy of their own, since they run
an inline script and ReDoc starts a worker from a blob; their assets are local
(``tocsin.api.apidocs``), so no outside host is named.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_EXTRA = 4 * 1024 * 1024


class BodyTooLarge(HTTPException):
    """A request body over the cap (raised by a read, answered as a 413 problem)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


class BodyLimit:
    """Refuse to read more than ``limit`` bytes of any request body."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        limit = self.limit
        read = 0

        async def capped() -> Message:
            nonlocal read
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, capped, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def tile_source(tile_url: str | None) -> str | None:
    """The CSP source of an XYZ tile template (``{s}`` subdomains become ``*``)."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    if "{" in host or "}" in host:
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{host}"


def _policy(directives: dict[str, Iterable[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def dashboard_policy(tile_url: str | None = None) -> str:
    images = ["'self'", "data:", "blob:"]
    if (tiles := tile_source(tile_url)) is not None:
        images.append(tiles)
    return _policy({
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    })


def docs_policy() -> str:
    return _policy({
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    })


class SecurityHeaders:
    """Add CSP, nosniff and Referrer-Policy headers to every HTTP response."""

    def __init__(
        self, app: ASGIApp, tile_url: str | None = None, docs_paths: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)
        common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
        self.dashboard_headers = common + [
            (b"content-security-policy", dashboard_policy(tile_url).encode("latin-1"))]
        self.docs_headers = common + [
            (b"content-security-policy", docs_policy().encode("latin-1"))]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.docs_headers if scope["path"] in self.docs_paths else self.dashboard_headers

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers.extend(item for item in extra if item[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
