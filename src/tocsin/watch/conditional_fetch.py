"""Conditional GET of a feed: sends the stored ETag / Last-Modified and notices 304 answers."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tocsin.sources.encoded_body import ACCEPT_ENCODING, BodyError, read_body
from tocsin.sources.fetch import USER_AGENT, FetchError
from tocsin.sources.netguard import Deadline, guarded_client, open_following


@dataclass
class FeedResponse:
    """A feed's answer: its body (None when unchanged, 304) and the validators to keep."""

    url: str
    body: bytes | None
    etag: str | None
    last_modified: str | None

    @property
    def unchanged(self) -> bool:
        return self.body is None


def fetch_feed(
    url: str,
    etag: str | None,
    last_modified: str | None,
    *,
    timeout: float,
    max_bytes: int,
) -> FeedResponse:
    """GET ``url`` with If-None-Match / If-Modified-Since; raise FetchError on a status >= 400,
    a timeout, a connection error or a body over ``max_bytes``."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        # ``timeout`` bounds the whole poll, redirects and body included, not each read.
        deadline = Deadline(timeout)

        def in_time() -> None:
            if deadline.remaining() <= 0:
                raise FetchError(f"timed out after {timeout:g}s")

        with guarded_client(deadline) as client:
            with open_following(client, "GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return FeedResponse(str(response.url), None, etag, last_modified)
                if response.status_code >= 400:
                    phrase = response.reason_phrase or ""
                    raise FetchError(f"HTTP {response.status_code} {phrase}".strip())
                # Decompressed with a cap (a gzip bomb is refused, not inflated whole).
                body = read_body(response, max_bytes, what="feed", on_chunk=in_time)
                return FeedResponse(
                    str(response.url),
                    body,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
    except BodyError as error:
        raise FetchError(str(error)) from error
    except httpx.TimeoutException as error:
        raise FetchError(f"timed out after {timeout:g}s") from error
    except httpx.HTTPError as error:
        raise FetchError(f"fetch failed: {type(error).__name__}: {error}") from error
