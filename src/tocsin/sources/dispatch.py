"""Turn input arguments (paths, directories, globs, "-", URLs) into reader calls, in a fixed order.

Every problem with one input becomes a Failure for that input; nothing here raises.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from tocsin.records import Document, Failure
from tocsin.sources.documents import read_failure
from tocsin.sources.formats import format_from_content_type, format_from_name, sniff_format
from tocsin.sources.html import read_html
from tocsin.sources.jsonlines import read_jsonlines
from tocsin.sources.options import ReadOptions
from tocsin.sources.plaintext import read_plain

STDIN = "-"
STDIN_LOCATOR = "<stdin>"
_SNIFF_BYTES = 8192
_STREAMED = ("jsonl", "warc")  # container formats: the size cap applies per record
_GLOB_CHARS = frozenset("*?[")
_BAD_NAME = "file name is not valid UTF-8 (undecodable bytes shown as \\x escapes)"

Result = Document | Failure


def read_one(argument: str, options: ReadOptions) -> Iterator[Result]:
    """Everything one input argument holds; a Failure (not an exception) for what is bad.

    A locator that is not valid Unicode (a file name whose bytes are not UTF-8, kept by Python
    as surrogate escapes) cannot be stored: its input becomes a Failure whose locator shows the
    undecodable bytes as backslash escapes (``bad\\xff.txt``).
    """
    for result in _read_one(argument, options):
        if isinstance(result, Failure):
            if _has_surrogates(result.locator) or _has_surrogates(result.reason):
                result = read_failure(
                    printable_locator(result.locator), printable_locator(result.reason)
                )
            yield result
        elif _has_surrogates(result.locator):
            yield read_failure(printable_locator(result.locator), _BAD_NAME)
        else:
            yield result


def printable_locator(locator: str) -> str:
    """``locator`` with the surrogate escapes of undecodable file-name bytes as ``\\xNN``
    (any text with them: a locator, a reason naming a path)."""
    if not _has_surrogates(locator):
        return locator
    try:
        raw = locator.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that escapes no byte
        return locator.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _read_one(argument: str, options: ReadOptions) -> Iterator[Result]:
    try:
        if argument == STDIN:
            yield from _guarded(read_stdin(options), STDIN_LOCATOR)
        elif argument.lower().startswith(("http://", "https://")):
            yield from _guarded(read_url(argument, options), argument)
        else:
            yield from _read_path_argument(argument, options)
    except Exception as exc:  # noqa: BLE001 - last line of defence: never raise out of reading
        yield read_failure(argument, f"unexpected error: {type(exc).__name__}: {exc}")


def _read_path_argument(argument: str, options: ReadOptions) -> Iterator[Result]:
    path = Path(os.path.expanduser(argument))
    if path.is_dir():
        for member in directory_files(path):
            yield from _guarded(_read_named_file(member, options), str(member))
    elif path.is_file():
        yield from _guarded(_read_named_file(path, options), options.locator or str(path))
    elif _GLOB_CHARS & set(argument):
        matches = sorted(glob.glob(os.path.expanduser(argument), recursive=True))
        if not matches:
            yield read_failure(argument, "no files match this pattern")
        for match in matches:
            yield from _read_path_argument(match, options)
    elif path.exists():
        yield read_failure(argument, "not a regular file")
    else:
        yield read_failure(argument, "no such file or directory")


def _read_named_file(path: Path, options: ReadOptions) -> Iterator[Result]:
    """``read_file``, except for a file whose name is not valid UTF-8: one Failure, unread."""
    if _has_surrogates(str(path)):
        yield read_failure(printable_locator(str(path)), _BAD_NAME)
        return
    yield from read_file(path, options)


def _guarded(results: Iterator[Result], locator: str) -> Iterator[Result]:
    """Pass ``results`` on; an unexpected error ends this input with a Failure, not a raise."""
    try:
        yield from results
    except Exception as exc:  # noqa: BLE001
        yield read_failure(locator, f"unexpected error: {type(exc).__name__}: {exc}")


def directory_files(root: Path) -> list[Path]:
    """The readable files under ``root``, recursively, in sorted order.

    Hidden files and folders are skipped, and so are files whose extension names no format
    Tocsin reads (images, PDFs ...); files without an extension are kept and sniffed.
    """
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if format_from_name(path.name) or not path.suffix:
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_file(path: Path, options: ReadOptions) -> Iterator[Result]:
    """The Documents of one file; its format from its name, else from its first bytes."""
    locator = options.locator or str(path)
    with path.open("rb") as stream:
        head = stream.read(_SNIFF_BYTES)
        fmt = format_from_name(path.name) or sniff_format(head) or "text"
        stream.seek(0)
        if fmt in _STREAMED:
            yield from _read_stream(stream, locator, fmt, options)
            return
        size = path.stat().st_size
        if size > options.max_bytes:
            yield read_failure(
                locator, f"file is {size} bytes, over the limit of {options.max_bytes} bytes"
            )
            return
        data = stream.read(options.max_bytes + 1)
    yield from _read_bytes(data, locator, fmt, options)


def read_stdin(options: ReadOptions) -> Iterator[Result]:
    """The Documents piped to standard input (read as bytes; format sniffed)."""
    stream = cast(IO[bytes], getattr(sys.stdin, "buffer", sys.stdin))
    head = stream.read(_SNIFF_BYTES)
    fmt = sniff_format(head) or "text"
    if fmt in _STREAMED:
        prefixed = cast(IO[bytes], _Prefixed(head, stream))
        yield from _read_stream(prefixed, STDIN_LOCATOR, fmt, options)
        return
    rest = stream.read(max(options.max_bytes + 1 - len(head), 0))
    data = head + rest
    if len(data) > options.max_bytes:
        yield read_failure(STDIN_LOCATOR, f"input is over the limit of {options.max_bytes} bytes")
        return
    yield from _read_bytes(data, STDIN_LOCATOR, fmt, options)


def read_url(url: str, options: ReadOptions) -> Iterator[Result]:
    """The Documents at an http(s) URL; the format from the body's first bytes or Content-Type."""
    from tocsin.sources.fetch import FetchError, fetch  # HTTP loads when a URL is read

    try:
        if options.fetcher is not None:
            fetched = options.fetcher(url)
        else:
            fetched = fetch(url, timeout=options.timeout, max_bytes=options.max_bytes,
                            network=options.network)
    except FetchError as exc:
        yield read_failure(url, str(exc))
        return
    fmt = (
        sniff_format(fetched.body[:_SNIFF_BYTES])
        or format_from_content_type(fetched.content_type)
        or "text"
    )
    if fmt in _STREAMED:
        yield from _read_stream(io.BytesIO(fetched.body), url, fmt, options)
    elif fmt == "html":
        yield read_html(fetched.body, url, options, url=fetched.url, charset=fetched.charset)
    else:
        yield from _read_bytes(fetched.body, url, fmt, options)


def _read_bytes(data: bytes, locator: str, fmt: str, options: ReadOptions) -> Iterator[Result]:
    if fmt == "html":
        yield read_html(data, locator, options)
    elif fmt == "feed":
        from tocsin.sources.feeds import read_feed  # feedparser loads when a feed is read

        yield from read_feed(data, locator, options)
    elif fmt in _STREAMED:
        yield from _read_stream(io.BytesIO(data), locator, fmt, options)
    else:
        yield read_plain(data, locator, options)


def _read_stream(
    stream: IO[bytes], locator: str, fmt: str, options: ReadOptions
) -> Iterator[Result]:
    if fmt == "warc":
        from tocsin.sources.warc import read_warc  # warcio loads when a WARC file is read

        yield from read_warc(stream, locator, options)
    else:
        yield from read_jsonlines(stream, locator, options)


class _Prefixed(io.RawIOBase):
    """A read-only stream of ``head`` followed by the rest of ``stream`` (stdin after sniffing)."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
