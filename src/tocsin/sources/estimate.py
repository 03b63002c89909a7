"""A cheap estimate of how many documents some inputs hold, for progress bars and ETAs.

Counts without parsing: one per HTML or text file, lines of JSON Lines files, ``<item>`` and
``<entry>`` tags of feeds. WARC files, URLs and stdin are not counted (the estimate is then
``None``: the progress bar shows a rate but no ETA).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from pathlib import Path

from tocsin.sources.dispatch import STDIN, directory_files
from tocsin.sources.formats import format_from_name

_FEED_ITEM = re.compile(rb"<(?:item|entry)[\s>]")
_COUNT_LIMIT = 200 * 1024 * 1024  # do not scan files larger than this for an estimate


def _paths(argument: str) -> list[Path] | None:
    if argument == STDIN or argument.lower().startswith(("http://", "https://")):
        return None
    path = Path(os.path.expanduser(argument))
    if path.is_dir():
        return directory_files(path)
    if path.is_file():
        return [path]
    return [Path(p) for p in sorted(glob.glob(os.path.expanduser(argument), recursive=True))]


def _documents_in(path: Path) -> int | None:
    fmt = format_from_name(path.name)
    if fmt in ("html", "text"):
        return 1
    if fmt == "warc" or path.stat().st_size > _COUNT_LIMIT:
        return None
    data = path.read_bytes()
    if fmt == "jsonl":
        return sum(1 for line in data.splitlines() if line.strip())
    if fmt == "feed":
        return len(_FEED_ITEM.findall(data))
    return 1


def count_inputs(inputs: Sequence[str]) -> int | None:
    """The number of documents ``inputs`` will probably yield, or None when unknowable."""
    total = 0
    try:
        for argument in inputs:
            paths = _paths(argument)
            if paths is None:
                return None
            for path in paths:
                count = _documents_in(path)
                if count is None:
                    return None
                total += count
    except OSError:
        return None
    return total
