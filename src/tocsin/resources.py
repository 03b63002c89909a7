"""Heavy resources (spaCy pipeline, gazetteer, event model), loaded once per process."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from tocsin.settings import DEFAULT_MODELS, Settings

if TYPE_CHECKING:
    from spacy.language import Language

    from tocsin.mentions.lexicons import Lexicons


class ModelNotFound(RuntimeError):
    pass


def load_spacy(name: str | None = None) -> Language:
    """Load the configured spaCy pipeline, or the official small English model, or its re-upload."""
    import spacy

    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelNotFound(f"no spaCy model found (tried {', '.join(candidates)})")


class Resources:
    """Lazily loaded, shared by every document a process handles."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def nlp(self) -> Language:
        from tocsin.paragraphs import with_paragraph_breaks  # spaCy loads only when needed

        return with_paragraph_breaks(load_spacy(self.settings.model))

    @cached_property
    def gazetteer(self) -> Any:
        from tocsin.places.gazetteer import Gazetteer

        return Gazetteer.open(self.settings.gazetteer_path)

    @cached_property
    def lexicons(self) -> Lexicons:
        """The event-mention stages' word lists and thresholds, parsed once (with the adjectives
        of this pipeline, ``nlp``)."""
        from tocsin.mentions.lexicons import Lexicons

        return Lexicons.load(self.nlp)


_shared: dict[tuple[object, ...], Resources] = {}


def shared_resources(settings: Settings | None = None) -> Resources:
    """One Resources per process and configuration (Dask workers call this too)."""
    settings = settings or Settings()
    key = (settings.model, str(settings.gazetteer_path), str(settings.event_model_path),
           str(settings.detector_model_path))
    if key not in _shared:
        _shared[key] = Resources(settings)
    return _shared[key]
