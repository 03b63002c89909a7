"""Lines of a text where no place is sought: comment forms, share bars and photo captions.

The sources cleaner removes these before the pipeline sees a text; this guard keeps
``find_places`` right on raw text too ("Connecting to %s", "Fighters near Latakia \\ Agency").
"""

from __future__ import annotations

import re

from tocsin.places.recognition_rules import recognition_rules

_LINE = re.compile(r"[^\n]*")
# A credit after a backslash or bar at the end of a short line: "... mountains \ Facebook".
_CREDIT = re.compile(r"\s[\\|]\s*[^\s\\|][^\\|]{0,60}$")


def is_furniture_line(line: str) -> bool:
    """True for a comment-form or share-bar line, or a photo caption with its credit."""
    stripped = line.strip()
    if not stripped:
        return False
    rules = recognition_rules()
    if any(marker in stripped for marker in rules.line_markers):
        return True
    if _CREDIT.search(stripped) and len(stripped.split()) <= rules.caption_max_words:
        return not stripped.rstrip().endswith((".", "?", "!"))
    return False


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges (start, end) of the furniture lines of ``text``, in order."""
    ranges = []
    for match in _LINE.finditer(text):
        if match.start() != match.end() and is_furniture_line(match.group()):
            ranges.append((match.start(), match.end()))
    return ranges


def in_ranges(start: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= start < hi for lo, hi in ranges)
