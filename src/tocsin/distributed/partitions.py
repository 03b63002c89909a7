"""Split inputs into partitions that Dask workers process independently, in input order.

Each input argument is expanded the way the single-process reader expands it (folders in sorted
order, globs sorted, files as given), so a partition reads exactly the documents, with exactly
the locators, that ``tocsin run`` would. Small files are grouped; a JSON Lines file is cut into
ranges of whole lines (byte offsets plus the number of the first line, found by one scan); a
WARC file, a URL or an argument that names nothing is a unit of its own.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from tocsin.sources.dispatch import STDIN, directory_files
from tocsin.sources.formats import format_from_name, sniff_format

WHOLE = "inputs"  # a partition of whole input arguments, read one after another
LINES = "lines"  # a range of lines of one JSON Lines file
_GLOB_CHARS = frozenset("*?[")
_SNIFF_BYTES = 8192
_SCAN_CHUNK = 1024 * 1024


class PlanError(ValueError):
    """The inputs cannot be partitioned (for instance standard input)."""


@dataclass(frozen=True)
class Partition:
    """One unit of work: whole arguments, or the lines ``first_line``.. of a JSON Lines file
    between bytes ``start`` and ``end``. ``size`` and ``mtime_ns`` fingerprint the file so a
    changed input is noticed and gets a new staging key."""

    index: int
    kind: str
    arguments: tuple[str, ...] = ()
    path: str | None = None
    start: int = 0
    end: int = 0
    first_line: int = 1
    lines: int = 0
    size: int = 0
    mtime_ns: int = 0

    @property
    def label(self) -> str:
        """A locator for the partition as a whole (used when it fails as a whole)."""
        if self.kind == LINES:
            last = self.first_line + max(self.lines, 1) - 1
            return f"{self.path}#lines={self.first_line}-{last}"
        more = f" (+{len(self.arguments) - 1} more)" if len(self.arguments) > 1 else ""
        return f"{self.arguments[0]}{more}" if self.arguments else f"partition {self.index}"

    def key(self, salt: str = "") -> str:
        """A stable id of what this partition reads, as it is now on disk, and of ``salt``
        (the run's settings): a changed input file gets a new key."""
        spec = {k: v for k, v in asdict(self).items() if k != "index"}
        spec["arguments"] = [[a, *_fingerprint(a)] for a in self.arguments]
        digest = hashlib.sha256(json.dumps([spec, salt], sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:20]


def _fingerprint(argument: str) -> tuple[int, int]:
    try:
        stat = os.stat(argument)
    except (OSError, ValueError):
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def _expand(argument: str) -> Iterator[str]:
    """The file paths (as the reader would name them) or bare arguments one argument holds."""
    if argument == STDIN:
        raise PlanError("standard input cannot be split across a Dask cluster; give files")
    if argument.lower().startswith(("http://", "https://")):
        yield argument
        return
    path = Path(os.path.expanduser(argument))
    if path.is_dir():
        yield from (str(member) for member in directory_files(path))
    elif path.is_file():
        yield str(path)
    elif _GLOB_CHARS & set(argument):
        matches = sorted(glob.glob(os.path.expanduser(argument), recursive=True))
        if not matches:
            yield argument  # the reader reports "no files match this pattern"
        for match in matches:
            yield from _expand(match)
    else:
        yield argument  # the reader reports what is wrong with it


def _is_jsonl(path: Path) -> bool:
    named = format_from_name(path.name)
    if named:
        return named == "jsonl"
    with path.open("rb") as stream:
        return sniff_format(stream.read(_SNIFF_BYTES)) == "jsonl"


def _line_ranges(path: Path, lines_per_partition: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, end byte, first line, line count) of consecutive ranges of whole lines; a
    last line without a newline counts as a line, as the JSON Lines reader counts it."""
    start = position = 0
    first = 1
    count = 0
    partial = False
    with path.open("rb") as stream:
        while chunk := stream.readline(_SCAN_CHUNK):
            position += len(chunk)
            partial = not chunk.endswith(b"\n")
            if partial:
                continue  # part of a longer line (or the unterminated last one)
            count += 1
            if count == lines_per_partition:
                yield start, position, first, count
                start, first, count = position, first + count, 0
    if position > start:
        yield start, position, first, count + (1 if partial else 0)


def plan_partitions(
    inputs: Sequence[str], documents_per_partition: int = 256
) -> list[Partition]:
    """Partitions of ``inputs`` in input order: whole files grouped up to
    ``documents_per_partition`` (counting one document per file), JSON Lines files cut into
    ranges of that many lines, WARC files and URLs alone."""
    if isinstance(inputs, str):
        inputs = [inputs]
    if documents_per_partition < 1:
        raise PlanError("documents per partition must be at least 1")
    partitions: list[Partition] = []
    group: list[str] = []

    def close_group() -> None:
        if group:
            partitions.append(Partition(len(partitions), WHOLE, tuple(group)))
            group.clear()

    for argument in inputs:
        for unit in _expand(argument):
            path = Path(unit)
            if not path.is_file():
                group.append(unit)
            elif _is_jsonl(path):
                close_group()
                stat = path.stat()
                for start, end, first, lines in _line_ranges(path, documents_per_partition):
                    partitions.append(
                        Partition(len(partitions), LINES, path=unit, start=start, end=end,
                                  first_line=first, lines=lines, size=stat.st_size,
                                  mtime_ns=stat.st_mtime_ns)
                    )
                continue
            elif format_from_name(path.name) == "warc":
                close_group()
                partitions.append(Partition(len(partitions), WHOLE, (unit,)))
                continue
            else:
                group.append(unit)
            if len(group) >= documents_per_partition:
                close_group()
    close_group()
    return partitions
