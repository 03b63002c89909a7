"""One raw HTTP request on loopback with http.client: the path is sent exactly as given (no
normalisation of ``..`` or percent escapes), so traversal probes reach the server intact."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(host: str, port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 60.0,
            connection: http.client.HTTPConnection | None = None) -> Answer:
    """Send one request (on ``connection`` when given, kept open) and read the whole answer.
    A connection the server closes answers with status 0 and the error as body."""
    own = connection is None
    conn = connection or http.client.HTTPConnection(host, port, timeout=timeout)
    began = time.perf_counter()
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        sent = dict(headers or {})
        if body is not None:
            sent.setdefault("Content-Length", str(len(body)))
        for name, value in sent.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        return Answer(response.status, data, {k.lower(): v for k, v in response.getheaders()},
                      time.perf_counter() - began)
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        return Answer(0, f"{type(error).__name__}: {error}".encode(), {},
                      time.perf_counter() - began)
    finally:
        if own:
            conn.close()
