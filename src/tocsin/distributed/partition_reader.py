"""Read one partition into Documents (or Failures) with the ordinary source readers.

A partition of whole arguments goes through ``read_one`` argument by argument. A range of a
JSON Lines file goes through the same JSON Lines reader on a stream limited to the range; line
numbers in the locators are shifted by the range's first line, so they read exactly as when the
whole file is read at once.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Iterator

from tocsin.distributed.partitions import LINES, Partition
from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions
from tocsin.sources.dispatch import read_one
from tocsin.sources.jsonlines import read_jsonlines


class InputChanged(RuntimeError):
    """A file changed (or vanished) between planning and reading its partition."""


class _Range(io.RawIOBase):
    """The bytes ``start``..``end`` of a binary file, as a readable stream."""

    def __init__(self, raw: io.BufferedReader, start: int, end: int) -> None:
        self._raw = raw
        self._left = end - start
        raw.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        data = self._raw.read(min(len(buffer), self._left))
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)


def _shift_line(locator: str, prefix: str, by: int) -> str:
    """``<prefix>#line=N...`` with N increased by ``by``; other locators unchanged."""
    head = f"{prefix}#line="
    if not by or not locator.startswith(head):
        return locator
    rest = locator[len(head):]
    digits = len(rest) - len(rest.lstrip("0123456789"))
    if not digits:
        return locator
    return f"{head}{int(rest[:digits]) + by}{rest[digits:]}"


def _read_lines(partition: Partition, options: ReadOptions) -> Iterator[Document | Failure]:
    path = partition.path or ""
    try:
        stat = os.stat(path)
    except OSError as error:
        raise InputChanged(f"{path} cannot be read any more: {error}") from error
    if (stat.st_size, stat.st_mtime_ns) != (partition.size, partition.mtime_ns):
        raise InputChanged(f"{path} changed after the inputs were partitioned")
    by = partition.first_line - 1
    with open(path, "rb") as raw:
        stream = io.BufferedReader(_Range(raw, partition.start, partition.end))
        for item in read_jsonlines(stream, path, options):
            yield dataclasses.replace(item, locator=_shift_line(item.locator, path, by))


def read_partition(partition: Partition, options: ReadOptions) -> Iterator[Document | Failure]:
    """The Documents and Failures of one partition, in input order."""
    if partition.kind == LINES:
        yield from _read_lines(partition, options)
        return
    for argument in partition.arguments:
        yield from read_one(argument, options)
