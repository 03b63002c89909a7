"""An HTTP response's body, decoded from its Content-Encoding with a cap on the decoded bytes.

httpx decodes gzip and deflate bodies a whole network chunk at a time, so one 64 KB chunk of a
compression bomb becomes some 64 MB in memory before a caller can count it. Here the raw bytes
are read and inflated with zlib's output limit: never more than the cap (plus one byte, to know
it was passed) is held, whatever the ratio. Only the encodings asked for (``ACCEPT_ENCODING``)
are decoded; a body in any other (``br``, ``zstd``, ``compress``) is refused, not guessed at.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import httpx

# What requests ask for; nothing else is decoded.
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024
_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class BodyError(Exception):
    """The body is over the cap or in an encoding not decoded; ``str(error)``: one line."""


class _Inflater:
    """One gzip or deflate layer, inflating at most ``room + 1`` bytes per call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._wbits = _GZIP if encoding == "gzip" else _ZLIB
        self._inflater = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._inflater.decompress(data, room + 1)
        except zlib.error as error:
            if self.encoding == "deflate" and not self._started:  # raw deflate, no zlib header
                self._wbits = _RAW_DEFLATE
                self._inflater = zlib.decompressobj(self._wbits)
                return self.feed(data, room)
            raise BodyError(f"{self.encoding} body is corrupt: {error}") from error
        self._started = True
        if len(out) > room:
            return out
        following = self._inflater.unused_data
        if self._inflater.eof and following and self.encoding == "gzip":  # another member
            self._inflater = zlib.decompressobj(self._wbits)
            out += self.feed(following, room - len(out))
        return out


def _layers(response: httpx.Response) -> list[_Inflater]:
    """The decoders to apply, outermost encoding (the last one named) first."""
    names = [v.strip().lower() for v in response.headers.get_list("content-encoding",
                                                                   split_commas=True)]
    layers = []
    for name in reversed(names):
        if name in ("", "identity"):
            continue
        if name == "x-gzip":
            name = "gzip"
        if name not in ("gzip", "deflate"):
            raise BodyError(f"unsupported Content-Encoding: {name}")
        layers.append(_Inflater(name))
    return layers


def read_body(
    response: httpx.Response, max_bytes: int, *, what: str = "response",
    on_chunk: Callable[[], None] | None = None,
) -> bytes:
    """The decoded body of a streamed ``response``; BodyError when it is (or decodes to) more
    than ``max_bytes`` bytes, or comes in an encoding not decoded. ``on_chunk`` is called after
    each raw chunk (to enforce a deadline)."""
    layers = _layers(response)
    body = bytearray()
    raw = 0
    for chunk in response.iter_raw(_CHUNK):
        raw += len(chunk)
        if raw > max_bytes:
            raise BodyError(f"{what} is over the limit of {max_bytes} bytes")
        data = chunk
        for layer in layers:
            data = layer.feed(data, max_bytes - len(body))
            if len(body) + len(data) > max_bytes:
                raise BodyError(f"{what} is over the limit of {max_bytes} bytes when "
                                f"decompressed ({layer.encoding})")
        body.extend(data)
        if on_chunk is not None:
            on_chunk()
    return bytes(body)
