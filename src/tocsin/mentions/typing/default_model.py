"""The shipped ACLED typing model, learned from the project's own example sentences.

The templates of ``data/events/typing_examples.tsv`` and the fillers of ``typing_slots.toml`` are
expanded with a fixed seed into a labelled corpus of short notes and news sentences; a TF-IDF
(word and character n-grams) plus cue-rule feature logistic regression is fitted on it. The fit
takes a few seconds and needs scikit-learn; what inference needs of the fitted pipeline
(vocabularies, idf weights, coefficients: ``linear_text_model.LinearTextModel``) is cached as an
``.npz`` file in the Tocsin data folder under a name that digests the data files and the
scikit-learn version (read from the installed package's metadata, without importing it), and in
memory by the ``TypingModel`` that ``Lexicons`` holds. Typing sentences therefore imports numpy
only; scikit-learn is imported to fit, once per change of the data files. Nothing in it comes
from ACLED rows.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tocsin.mentions.typing.linear_text_model import LinearTextModel
from tocsin.mentions.typing.note_views import NoteViews
from tocsin.mentions.typing.ontology import read_table
from tocsin.mentions.typing.subtypes import SubtypeCues, cue_features

_PACKAGE = "tocsin.data.events"
_TEMPLATES = "typing_examples.tsv"
_SLOTS = "typing_slots.toml"
_SETTINGS = "typing_model.toml"
_FEATURES = "cue_features(texts, cues)"  # part of the cache name: how the pipeline calls the cues
SEED = 20151124
_SLOT = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_SPACES = re.compile(r"\s+")


def _read(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def expand(template: str, fillers: dict[str, list[str]], rng: random.Random) -> str:
    """One sentence from a template: choices first, then slots (fillers may hold choices)."""
    def fill(match: re.Match[str]) -> str:
        return rng.choice(fillers[match.group(1)])

    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    text = _SLOT.sub(fill, text)
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    text = _SLOT.sub(fill, text)
    return _SPACES.sub(" ", text).strip()


@dataclass
class TypingModel:
    """The shipped typing model's data (settings, templates, slot fillers, cue rules), each
    file parsed once by ``load``; the fitted model is built or read from its cache file the
    first time ``linear`` is asked for, and kept."""

    settings: dict[str, Any]  # typing_model.toml
    templates: list[tuple[str, str]]  # (sub-event type, template) rows of typing_examples.tsv
    slots: dict[str, list[str]]  # typing_slots.toml
    cues: SubtypeCues
    digest: str  # of the data files the fit reads
    views: NoteViews  # news-like views of notes ([trained])
    generic_modes: frozenset[str | None]  # trigger modes too vague to fix a sub-type
    inherited_modes: frozenset[str]  # means of attack a later generic attack word takes over
    _linear: LinearTextModel | None = field(default=None, repr=False)

    @classmethod
    def load(cls, cues: SubtypeCues) -> TypingModel:
        texts = [_read(_TEMPLATES), _read(_SLOTS), _read(_SETTINGS), _read("subtype_cues.tsv")]
        digest = hashlib.sha256("\n".join([*texts, str(SEED), _FEATURES]).encode("utf-8"))
        settings = tomllib.loads(texts[2])
        return cls(
            settings,
            [(r["sub_event_type"], r["template"]) for r in read_table(_PACKAGE, _TEMPLATES)],
            tomllib.loads(texts[1]), cues, digest.hexdigest(),
            NoteViews.from_settings(settings["trained"]),
            frozenset([None, *settings.get("generic_modes", [])]),
            frozenset(settings.get("inherited_modes", [])),
        )

    def example_sentences(self, per_template: int | None = None,
                          seed: int = SEED) -> list[tuple[str, str]]:
        """(sentence, sub-event type) pairs, the same on every run; duplicates dropped."""
        per_template = per_template or int(self.settings["per_template"])
        rng = random.Random(seed)
        seen: set[str] = set()
        out: list[tuple[str, str]] = []
        for sub_type, template in self.templates:
            for _ in range(per_template):
                sentence = expand(template, self.slots, rng)
                if sentence not in seen:
                    seen.add(sentence)
                    out.append((sentence, sub_type))
        return out

    def build_pipeline(self, c: float | None = None) -> Any:
        """Word 1-2-grams, character 2-5-grams and the cue rules' scores into a logistic
        regression."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.preprocessing import FunctionTransformer

        features = FeatureUnion([
            ("cues", FunctionTransformer(cue_features, kw_args={"cues": self.cues})),
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                      sublinear_tf=True, max_features=150_000)),
        ])
        c = float(self.settings["c"]) if c is None else c
        return make_pipeline(features, LogisticRegression(C=c, max_iter=2000))

    def cache_path(self) -> Path:
        from importlib.metadata import PackageNotFoundError, version

        from tocsin.settings import data_home

        try:
            fitter = version("scikit-learn")
        except PackageNotFoundError:
            fitter = "missing"
        name = hashlib.sha256(f"{self.digest}\n{fitter}".encode()).hexdigest()
        return data_home() / "models" / f"event_typing-{name[:12]}.npz"

    def fit(self) -> Any:
        """Fit the shipped model on the example sentences (a few seconds)."""
        corpus = self.example_sentences()
        pipeline = self.build_pipeline()
        pipeline.fit([s for s, _ in corpus], [t for _, t in corpus])
        return pipeline

    @property
    def linear(self) -> LinearTextModel:
        """The fitted shipped model's numbers, from the cache file when present, else fitted
        and cached."""
        if self._linear is None:
            self._linear = self._load_or_fit()
        return self._linear

    def _load_or_fit(self) -> LinearTextModel:
        path = self.cache_path()
        if path.exists():
            try:
                return LinearTextModel.load(path)
            except Exception:  # noqa: BLE001 - a corrupt or foreign cache file is simply rebuilt
                pass
        model = LinearTextModel.from_pipeline(self.fit())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")  # processes may race
            model.save(tmp)
            tmp.replace(path)
            for stale in path.parent.glob("event_typing-*.npz"):
                if stale != path:
                    stale.unlink(missing_ok=True)  # built from older data files
        except OSError:
            pass  # a read-only data folder: keep the model in memory only
        return model

    def prior_weights(self, classes: Sequence[str]) -> Any:
        """Each class's expected share raised to ``prior_weight`` (1 for all when the weight
        is 0)."""
        import numpy as np

        prior = self.settings.get("prior", {})
        floor = min(prior.values()) if prior else 1.0
        shares = np.array([float(prior.get(c, floor)) for c in classes])
        return shares ** float(self.settings.get("prior_weight", 0.0))

    def probabilities(self, texts: Sequence[str]) -> tuple[list[str], Any]:
        """(sub-event types, row-normalised probabilities) of the shipped model for ``texts``."""
        model = self.linear
        classes = list(model.classes)
        if not texts:
            import numpy as np

            return classes, np.zeros((0, len(classes)))
        texts = list(texts)
        probs = model.probabilities(texts, cue_features(texts, self.cues))
        probs = probs * self.prior_weights(classes)
        return classes, probs / probs.sum(axis=1, keepdims=True)
