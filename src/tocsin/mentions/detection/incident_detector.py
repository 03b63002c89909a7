"""The shipped incident detector: a logistic model over ``sentence_features``, run with numpy.

Its weights (``data/events/incident_detector.npz``, model card ``INCIDENT_DETECTOR.md``) are
fitted by ``tocsin train-detector``; its settings (``incident_detector.toml``: the packages whose
word vectors it reads, the probability from which a sentence counts as reporting an incident)
are the analysts' to change. It is off by default: cross-validated inside the fit splits it did
not raise the figures of news (see the model card). Turned on (``enabled = true``, or a model
file in ``TOCSIN_DETECTOR_MODEL``), it adds a mention for each sentence in which the lexicon found
nothing ACLED codes but the model finds an incident and a trigger word stands somewhere
(``event_words``). Without an installed vector package it stays off.
"""

from __future__ import annotations

import logging
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.tokens import Span

from tocsin.mentions.detection.event_words import EventWords
from tocsin.mentions.detection.fitted_detector import FittedDetector
from tocsin.mentions.detection.sentence_features import sentence_features
from tocsin.mentions.detection.word_vectors import VectorsMissing, WordVectors
from tocsin.mentions.typing.ontology import AcledCoding
from tocsin.mentions.typing.triggers import Trigger, TriggerLexicon

_PACKAGE = "tocsin.data.events"
MODEL_FILE = "incident_detector.npz"
SETTINGS_FILE = "incident_detector.toml"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DetectorSettings:
    """``incident_detector.toml``."""

    enabled: bool
    vector_packages: tuple[str, ...]
    threshold: float

    @classmethod
    def load(cls) -> DetectorSettings:
        text = resources.files(_PACKAGE).joinpath(SETTINGS_FILE).read_text(encoding="utf-8")
        data = tomllib.loads(text)
        return cls(bool(data.get("enabled", False)),
                   tuple(str(p) for p in data["vector_packages"]), float(data["threshold"]))


@dataclass(frozen=True)
class IncidentDetector:
    """P(a sentence reports an incident), from its feature row."""

    model: FittedDetector
    categories: tuple[str, ...]
    threshold: float
    vectors: WordVectors
    words: EventWords

    @classmethod
    def load(cls, lexicon: TriggerLexicon, coding: AcledCoding,
             path: Path | None = None) -> IncidentDetector | None:
        """The shipped model (or the one at ``path``), its event words ``lexicon``'s entries of
        incidents ACLED codes (``coding``); None when no vector package is installed."""
        settings = DetectorSettings.load()
        try:
            vectors = WordVectors.load(settings.vector_packages)
        except VectorsMissing as exc:
            _log.warning("incident detector off: %s", exc)
            return None
        source = path or resources.files(_PACKAGE).joinpath(MODEL_FILE)
        try:
            with source.open("rb") as handle:
                model, categories, dims = FittedDetector.read(handle)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            _log.warning("incident detector off: %s is no detector model (%s)", source, exc)
            return None
        if dims != vectors.dims:
            _log.warning("incident detector off: model fitted on %d-dimensional vectors, %s has %d",
                         dims, vectors.source, vectors.dims)
            return None
        return cls(model, categories, settings.threshold, vectors,
                   EventWords.build(lexicon, coding))

    def probability(self, sentence: Span, triggers: Sequence[Trigger]) -> float:
        row = sentence_features(sentence, triggers, self.vectors, self.categories)
        return self.probability_of_row(row)

    def probability_of_row(self, row: np.ndarray) -> float:
        return float(self.model.probabilities(row))

    def reports_incident(self, sentence: Span, triggers: Sequence[Trigger]) -> bool:
        return self.probability(sentence, triggers) >= self.threshold


class DetectorSlot:
    """The detector of a process, read on first use (the vector table takes a second to read);
    ``Lexicons.detector`` holds one."""

    def __init__(self) -> None:
        self._loaded = False
        self._detector: IncidentDetector | None = None

    def get(self, lexicon: TriggerLexicon, coding: AcledCoding,
            path: Path | None = None) -> IncidentDetector | None:
        """The detector with the weights at ``path`` (a model file names itself on), else the
        shipped one when ``incident_detector.toml`` turns it on; None when it is off or no vector
        package is installed. The first call decides for the life of the slot."""
        if not self._loaded:
            self._loaded = True
            if path is not None or DetectorSettings.load().enabled:
                self._detector = IncidentDetector.load(lexicon, coding, path)
        return self._detector
