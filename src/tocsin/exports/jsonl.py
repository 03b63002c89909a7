"""JSON Lines export: one full Event record (``Event.to_dict()``) per line, and its reader."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from tocsin.exports.record_dicts import event_from_dict
from tocsin.records import Event


def to_jsonl(events: Iterable[Event], target: str | Path | IO[str]) -> int:
    """Write one JSON object per Event to a path or text file; return the number written."""
    lines = [json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in events]
    if isinstance(target, (str, Path)):
        Path(target).write_text("".join(lines), encoding="utf-8")
    else:
        target.writelines(lines)
    return len(lines)


def read_jsonl(source: str | Path | IO[str]) -> list[Event]:
    """The Events of a JSON Lines export."""
    if isinstance(source, (str, Path)):
        text = Path(source).read_text(encoding="utf-8")
    else:
        text = source.read()
    return [event_from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
