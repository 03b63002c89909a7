"""News-like views of ACLED coder's notes, so a model trained on notes also reads news text.

A note such as "On 3 May 2020, rebels attacked a patrol near Kanto (Beru, Lomas). [size=no
report] Fatalities coded as 2." becomes "Rebels attacked a patrol near Kanto.": the dated opening,
bracketed tags and parenthesised admin names are cut and the coder's boilerplate sentences
(fatality coding, size, geo-precision) dropped. What is cut is listed in the ``[trained]`` section
of ``data/events/typing_model.toml`` (``view_cut``, ``view_drop_sentence``).
"""

from __future__ import annotations

import re
from functools import cache

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_SPACES = re.compile(r"\s+")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    from tocsin.mentions.typing.default_model import model_settings

    trained = model_settings()["trained"]
    cuts = tuple(re.compile(p, re.IGNORECASE) for p in trained["view_cut"])
    return cuts, re.compile(trained["view_drop_sentence"], re.IGNORECASE)


def news_view(note: str) -> str:
    """``note`` without its coding conventions; the note itself when nothing would be left."""
    cuts, drop = _patterns()
    text = note
    for pattern in cuts:
        text = pattern.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    kept = " ".join(s for s in _SENTENCE_END.split(text) if s and not drop.search(s)).strip()
    text = kept or text
    return text[:1].upper() + text[1:] if text else note
