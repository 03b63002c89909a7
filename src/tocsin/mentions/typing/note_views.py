"""News-like views of ACLED coder's notes, so a model trained on notes also reads news text.

A note such as "On 3 May 2020, rebels attacked a patrol near Kanto (Beru, Lomas). [size=no
report] Fatalities coded as 2." becomes "Rebels attacked a patrol near Kanto.": the dated opening,
bracketed tags and parenthesised admin names are cut and the coder's boilerplate sentences
(fatality coding, size, geo-precision) dropped. What is cut is listed in the ``[trained]`` section
of ``data/events/typing_model.toml`` (``view_cut``, ``view_drop_sentence``); what makes a text
read like a note, in ``note_patterns``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class NoteViews:
    cuts: tuple[re.Pattern[str], ...]
    drop: re.Pattern[str]
    note_patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_settings(cls, trained: dict[str, Any]) -> NoteViews:
        """From the ``[trained]`` section of typing_model.toml."""
        return cls(tuple(re.compile(p, re.IGNORECASE) for p in trained["view_cut"]),
                   re.compile(trained["view_drop_sentence"], re.IGNORECASE),
                   tuple(re.compile(p) for p in trained["note_patterns"]))

    def note_like(self, text: str) -> bool:
        """Whether ``text`` reads like an ACLED coder's note."""
        return any(p.search(text) for p in self.note_patterns)

    def news_view(self, note: str) -> str:
        """``note`` without its coding conventions; the note itself when nothing would be
        left."""
        text = note
        for pattern in self.cuts:
            text = pattern.sub("", text)
        text = _SPACES.sub(" ", text).strip()
        kept = " ".join(s for s in _SENTENCE_END.split(text)
                        if s and not self.drop.search(s)).strip()
        text = kept or text
        return text[:1].upper() + text[1:] if text else note
