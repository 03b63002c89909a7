"""Language identification of a document's text (py3langid), with a safe default for short texts."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import LanguageIdentifier

from tocsin.sources.language_model import load_identifier

DEFAULT_LANGUAGE = "en"
SHORT_TEXT_CHARS = 200  # below this, a guess under MIN_CONFIDENCE falls back to the default
MIN_CONFIDENCE = 0.9
_SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return load_identifier()  # decompressed once per data folder, not once per process


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language.

    Short texts (headlines, posts) fool the model easily, so when one is short and the model is
    unsure, the answer is the default ("en") rather than a wild guess.
    """
    sample = text[:_SAMPLE_CHARS].strip()
    if not sample:
        return DEFAULT_LANGUAGE
    language, confidence = _identifier().classify(sample)
    if len(sample) < SHORT_TEXT_CHARS and confidence < MIN_CONFIDENCE:
        return DEFAULT_LANGUAGE
    return str(language)
