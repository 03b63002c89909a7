"""HTTP(S) fetching with a timeout and a size cap, streamed so a huge body is never held whole;
the cap counts decompressed bytes, and decompression stops at it (``encoded_body``)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tocsin.sources.encoded_body import ACCEPT_ENCODING, BodyError, read_body
from tocsin.sources.netguard import (
    AddressNotAllowed,
    Deadline,
    NetworkPolicy,
    guarded_client,
    open_following,
)

USER_AGENT = "tocsin/0.1 (conflict event reader)"


class FetchError(Exception):
    """The URL could not be fetched; ``str(error)`` is a one-line reason."""


@dataclass
class Fetched:
    """A fetched body and what the server said about it."""

    url: str  # after redirects
    body: bytes
    content_type: str | None
    charset: str | None


def fetch(
    url: str, *, timeout: float, max_bytes: int, network: NetworkPolicy | None = None
) -> Fetched:
    """GET ``url``; raise FetchError on HTTP status >= 400, a timeout or a body over the cap.

    ``timeout`` bounds the whole fetch: connecting, waiting for the answer and reading it, over
    every redirect (each socket operation gets what is left of one deadline). With a
    ``network`` policy (URLs from API callers), each host is resolved, checked and connected
    to at the checked address, hop by hop; failures then say only "address not allowed" or
    "could not fetch", so the reasons do not map the server's network.
    """
    deadline = Deadline(timeout)

    def in_time() -> None:
        if deadline.remaining() <= 0:
            raise FetchError(f"timed out after {timeout:g}s")

    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    try:
        with guarded_client(deadline, network, headers=headers) as client:
            with open_following(client, "GET", url) as response:
                if response.status_code >= 400:
                    phrase = response.reason_phrase or ""
                    raise FetchError(f"HTTP {response.status_code} {phrase}".strip())
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(
                        f"response is {declared} bytes, over the limit of {max_bytes} bytes"
                    )
                body = read_body(response, max_bytes, on_chunk=in_time)
                content_type = response.headers.get("Content-Type")
                return Fetched(
                    url=str(response.url),
                    body=body,
                    content_type=content_type,
                    charset=response.charset_encoding,
                )
    except BodyError as exc:
        raise FetchError(str(exc)) from exc
    except AddressNotAllowed as exc:
        raise FetchError("address not allowed") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g}s") from exc
    except httpx.HTTPError as exc:
        if network is not None:
            raise FetchError("could not fetch") from exc
        raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}") from exc
