"""Input sources: files, directories, globs, stdin and URLs read into ``Document`` records.

Formats: HTML pages (trafilatura), plain text (with the boilerplate cleaner), RSS/Atom feeds,
JSON Lines, WARC archives. A bad input yields a ``Failure`` (stage "read", one-line reason) and
reading goes on with the next; ``read_inputs`` never raises for bad input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tocsin.records import Document, Failure
from tocsin.sources.boilerplate import clean_text
from tocsin.sources.dispatch import read_one
from tocsin.sources.options import DEFAULT_FIELDS, ReadOptions
from tocsin.sources.plaintext import text_document

__all__ = ["DEFAULT_FIELDS", "ReadOptions", "read_inputs", "read_text"]


def read_inputs(
    inputs: Sequence[str], options: ReadOptions | None = None
) -> Iterator[Document | Failure]:
    """Documents (or Failures) for each input in turn, in a deterministic order.

    An input is a file, a directory (read recursively in sorted order), a glob pattern, "-" for
    standard input, or an http(s) URL.
    """
    options = options or ReadOptions()
    if isinstance(inputs, str):  # one input given bare, not a list of characters
        inputs = [inputs]
    for argument in inputs:
        yield from read_one(argument, options)


def read_text(text: str, options: ReadOptions | None = None, locator: str = "<text>") -> Document:
    """A Document for plain text given from Python, cleaned like a text file.

    Never fails: text that is empty after cleaning gives a Document with the status ``empty``.
    """
    return text_document(clean_text(text), locator, options or ReadOptions())
