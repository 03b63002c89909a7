"""HTML reader: main text, title, author and date of a web page (trafilatura); markup to text."""

from __future__ import annotations

import logging
import re
from html import unescape

import lxml.etree
import lxml.html
import trafilatura

from tocsin.records import Document, Failure
from tocsin.sources.boilerplate import clean_text
from tocsin.sources.dates import parse_published
from tocsin.sources.decoding import DecodeError, decode_bytes
from tocsin.sources.documents import build_document, read_failure
from tocsin.sources.options import ReadOptions

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_BLOCKS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer pre "
    "dd dt dl hr address aside".split()
)
_DROPPED = "//script|//style|//noscript|//figcaption|//template"

logging.getLogger("trafilatura").setLevel(logging.ERROR)


def read_html(
    data: bytes,
    locator: str,
    options: ReadOptions,
    *,
    url: str | None = None,
    charset: str | None = None,
    format: str = "html",  # noqa: A002
) -> Document | Failure:
    """One Document from a web page's bytes, or a Failure saying why not.

    ``charset`` is the one the HTTP headers declared, if any; the page's own ``<meta charset>``
    comes next. Truncated pages are read as far as they go.
    """
    if not data.strip():
        return read_failure(locator, "empty input" if not data else "input holds only whitespace")
    declared = charset or _meta_charset(data)
    try:
        markup = decode_bytes(data, declared=declared)
    except DecodeError as exc:
        return read_failure(locator, str(exc))
    try:
        found = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - a parser crash on odd markup is a bad input
        return read_failure(locator, f"could not parse the HTML: {type(exc).__name__}: {exc}")
    if isinstance(found, dict):  # older trafilatura releases answer with a dict
        return read_failure(locator, "unexpected answer from the HTML extractor")
    if found is None or not (found.text or "").strip():
        return read_failure(locator, "no main text found in the HTML page")
    text = clean_text(_paragraphs(found.text or ""))
    if not text:
        return read_failure(locator, "no text left after removing boilerplate")
    return build_document(
        text,
        locator=locator,
        format=format,
        options=options,
        title=found.title,
        author=found.author,
        published=parse_published(found.date),
        url=url or found.url,
        source=found.sitename,
    )


def fragment_text(markup: str) -> str:
    """The text of an HTML fragment (a feed entry's body), one paragraph per block element."""
    if "<" not in markup:
        return unescape(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return markup
    for element in root.xpath(_DROPPED):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return root.text_content()


def _paragraphs(text: str) -> str:
    """trafilatura puts one paragraph per line; separate paragraphs by blank lines instead."""
    return "\n\n".join(text.split("\n"))


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None
