"""WARC reader (warcio): one Document per HTML response record of a crawl archive."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord

from tocsin.records import Document, Failure
from tocsin.sources.documents import read_failure
from tocsin.sources.formats import sniff_format
from tocsin.sources.html import read_html
from tocsin.sources.options import ReadOptions


def read_warc(
    stream: IO[bytes], locator: str, options: ReadOptions
) -> Iterator[Document | Failure]:
    """Documents for the successful HTML responses in a WARC (or WARC.gz) stream.

    Locators are ``<locator>#offset=N``, N being the record's byte offset in the file. Other
    records (requests, metadata, images, redirects, errors) are skipped. A truncated or corrupt
    archive yields the records before the damage, then one Failure.

    A record over ``max_bytes`` fails alone: it yields one Failure and reading goes on with
    the next record. Decompression is capped too: a gzip member (one record in a
    record-per-member WARC.gz, the whole archive in a gzipped WARC) that inflates to more than
    ``max_bytes`` plus room for its headers yields one Failure ("decompressed size over the
    limit ..."); the rest of that member is inflated a piece at a time and dropped, and
    reading goes on at the next member. A gzip bomb so costs at most about ``max_bytes`` of
    memory, and the records around it are still read.
    """
    counted = _CountingReader(stream)
    reader = _CappedReader(counted, options.max_bytes)
    end = 0  # where the last complete record ends
    count = 0
    while True:
        records = ArchiveIterator(counted)
        records.reader = reader
        records.offset = end  # the offsets warcio computes count from here
        try:
            for record in records:
                body = _html_response_body(record, options.max_bytes)  # read before the offset:
                offset = records.get_record_offset()  # asking for it skips the rest of the record
                if _incomplete(record):
                    raise EOFError(f"record at offset {offset} ends early")
                end = offset + records.get_record_length()
                count += 1
                if body is None:
                    continue
                where = f"{locator}#offset={offset}"
                if len(body) > options.max_bytes:
                    yield read_failure(
                        where, f"record is over the limit of {options.max_bytes} bytes")
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                charset = _charset(record.http_headers.get_header("Content-Type") or "")
                yield read_html(body, where, options, url=url, charset=charset, format="warc")
            if counted.has_data_after(end):
                raise EOFError(f"incomplete data after offset {end}")
            return
        except DecompressionLimitError as exc:
            yield read_failure(f"{locator}#offset={end}", str(exc))
            try:
                held = reader.skip_member()
            except Exception as skip_error:  # noqa: BLE001 - zlib on a damaged member
                yield _corrupt(locator, end, count, skip_error)
                return
            if held is None:
                return
            end = counted.count - held  # the next member starts here
        except Exception as exc:  # noqa: BLE001 - warcio and zlib raise many kinds on damaged input
            yield _corrupt(locator, end, count, exc)
            return


def _corrupt(locator: str, end: int, count: int, error: Exception) -> Failure:
    return read_failure(
        f"{locator}#offset={end}",
        f"truncated or corrupt WARC after {count} good record(s): "
        + (str(error) if isinstance(error, EOFError) else f"{type(error).__name__}: {error}"),
    )


class DecompressionLimitError(Exception):
    """A compressed input inflates past its cap; ``str(error)`` is a one-line reason."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"decompressed size over the limit of {limit} bytes")
        self.limit = limit


# Decompressed bytes allowed per gzip member beyond ``max_bytes``: a record's WARC and HTTP
# headers, so that a record whose body is within the cap is not refused for its headers.
_HEADER_ROOM = 64 * 1024
# Inflated bytes dropped at a time while skipping the rest of a member over the cap.
_SKIP_PIECE = 1024 * 1024


class _CappedReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's gzip reader, but a member may inflate to at most ``max_bytes + _HEADER_ROOM``
    bytes: past that, ``DecompressionLimitError``. Each call inflates at most what the cap
    still allows (warcio's own reader inflates a whole block, and reads a header line of any
    length: a WARC.gz of zeros took gigabytes)."""

    def __init__(self, stream: object, max_bytes: int) -> None:
        super().__init__(stream)
        self._max_bytes = max_bytes
        self._limit = max_bytes + _HEADER_ROOM
        self._inflated = 0
        self._unfed = b""  # input of the member over the cap, not yet inflated

    def _decompress(self, data: bytes) -> bytes:
        if not self.decompressor or not data:
            return data
        try:
            out: bytes = self.decompressor.decompress(data, self._limit - self._inflated + 1)
        except zlib.error:
            return bytes(super()._decompress(data))  # warcio's fallback: not gzip after all
        self._inflated += len(out)
        if self._inflated > self._limit:
            self._unfed = self.decompressor.unconsumed_tail
            raise DecompressionLimitError(self._max_bytes)
        return out

    def skip_member(self) -> int | None:
        """After ``DecompressionLimitError``: inflate the rest of the member, dropping it a
        piece at a time, and get ready to read the next one. Returns how many bytes past the
        member's end were read from the stream already, or None when no member follows (or
        the stream ends inside this one)."""
        decompressor = self.decompressor
        self.buff, self.buff_size = None, 0  # what was inflated of the member is dropped
        if decompressor is None:
            return None
        pending, self._unfed = self._unfed, b""
        while not decompressor.eof:
            if not pending:
                pending = self.stream.read(self.block_size)
                if not pending:
                    return None
            decompressor.decompress(pending, _SKIP_PIECE)
            pending = decompressor.unconsumed_tail
        following = decompressor.unused_data or self.stream.read(self.block_size)
        if not following:
            return None
        self.starting_data = following
        self._init_decomp(self.decomp_type)
        self._inflated = 0
        return len(following)

    def read_next_member(self) -> bool:
        self._inflated = 0
        self._unfed = b""
        return bool(super().read_next_member())


def _incomplete(record: ArcWarcRecord) -> bool:
    """A record cut short: no Content-Length (its header block was cut) or fewer bytes than it."""
    if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
        return True
    return getattr(record.raw_stream, "limit", 0) > 0


class _CountingReader:
    """A stream wrapper that knows how many bytes were read and what the last of them were."""

    _TAIL = 64 * 1024

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._tail = b""
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        self._tail = (self._tail + data)[-self._TAIL :]
        return data

    def tell(self) -> int:
        return self.count

    def has_data_after(self, position: int) -> bool:
        """Whether anything but blank lines was read past ``position``."""
        extra = self.count - position
        if extra <= 0:
            return False
        return extra > len(self._tail) or bool(self._tail[-extra:].strip())


def _html_response_body(record: ArcWarcRecord, max_bytes: int) -> bytes | None:
    """The payload of a successful HTML response (at most ``max_bytes + 1`` bytes), else None."""
    if record.rec_type != "response":
        return None
    http = record.http_headers
    if http is None or not http.get_statuscode().startswith("2"):
        return None
    content_type = (http.get_header("Content-Type") or "").lower()
    if content_type and "html" not in content_type:
        return None
    body = record.content_stream().read(max_bytes + 1)
    if not content_type and sniff_format(body[:4096]) != "html":
        return None
    return body


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value:
            return value.strip().strip("\"'")
    return None
