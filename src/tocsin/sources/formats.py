"""Which reader an input needs: from its file name, its HTTP content type, or its first bytes."""

from __future__ import annotations

import json
import re
import zlib

_EXTENSIONS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
}
_CONTENT_TYPES: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "application/json-lines": "jsonl",
    "application/warc": "warc",
    "text/plain": "text",
}
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]")
_HTML_START = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]")


def format_from_name(name: str) -> str | None:
    """The format a file name's extension says, or None for an unknown or missing extension."""
    lower = name.lower()
    for extension in sorted(_EXTENSIONS, key=len, reverse=True):
        if lower.endswith(extension):
            return _EXTENSIONS[extension]
    return None


def format_from_content_type(content_type: str | None) -> str | None:
    """The format an HTTP Content-Type names, or None."""
    if not content_type:
        return None
    return _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def sniff_format(head: bytes) -> str | None:
    """The format the first bytes of an input show, or None when they show nothing specific."""
    if head.startswith(b"\x1f\x8b"):
        return "warc" if _gunzip_head(head).startswith(b"WARC/") else None
    if head.startswith(b"WARC/"):
        return "warc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096].lower()
    if start.startswith(b"<"):
        if _FEED_ROOT.search(start):
            return "feed"
        if _HTML_START.search(start):
            return "html"
        return "feed" if start.startswith(b"<?xml") else None
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)[0]
        try:
            json.loads(first_line)
        except ValueError:
            return "jsonl" if b"\n" not in start else None
        return "jsonl"
    return None


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 64)
    except zlib.error:
        return b""
