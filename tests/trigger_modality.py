"""The modality the product gives one word of a test sentence, with its claimed source."""

from __future__ import annotations

from typing import Any

from tocsin.mentions.dates import DateReader
from tocsin.mentions.modality import ModalityRules

classify_modality = ModalityRules.load(DateReader.load()).classify_modality


def modality(nlp: Any, text: str, trigger: str) -> tuple[str, str | None]:
    """(modality, source) of the first token of ``text`` that reads ``trigger``."""
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    return classify_modality(token, token.sent)
