"""WARC reader (warcio): one Document per HTML response record of a crawl archive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
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
    """
    records = ArchiveIterator(stream)
    offset = 0
    count = 0
    try:
        for record in records:
            offset = records.get_record_offset()
            count += 1
            result = _response_document(record, f"{locator}#offset={offset}", options)
            if result is not None:
                yield result
    except Exception as exc:  # noqa: BLE001 - warcio and zlib raise many kinds on damaged input
        where = f"{locator}#offset={offset}" if count else locator
        yield read_failure(
            where,
            f"truncated or corrupt WARC after {count} record(s): {type(exc).__name__}: {exc}",
        )


def _response_document(
    record: ArcWarcRecord, where: str, options: ReadOptions
) -> Document | Failure | None:
    if record.rec_type != "response":
        return None
    http = record.http_headers
    if http is None or not http.get_statuscode().startswith("2"):
        return None
    content_type = (http.get_header("Content-Type") or "").lower()
    if content_type and "html" not in content_type:
        return None
    body = record.content_stream().read(options.max_bytes + 1)
    if len(body) > options.max_bytes:
        return read_failure(where, f"record is over the limit of {options.max_bytes} bytes")
    if not content_type and sniff_format(body[:4096]) != "html":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    return read_html(body, where, options, url=url, charset=_charset(content_type), format="warc")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip() == "charset" and value:
            return value.strip().strip("\"'")
    return None
