"""Event typing models: the shipped rules, or a TF-IDF classifier trained from an ACLED export.

``load_classifier`` gives the model the settings name (``Settings.event_model_path`` /
``TOCSIN_EVENT_MODEL``) when that file exists, else the cue rules of ``subtypes``. A trained model
is saved with joblib; it holds the user's ACLED-derived weights, so it stays on the user's
machine and is never shipped with Tocsin.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tocsin.events.ontology import event_type_of, sub_event_types
from tocsin.events.subtypes import classify_text

MODEL_FILE = "event_model.joblib"


class EventTypeClassifier(Protocol):
    name: str

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        """(ACLED event type, sub-event type) of each text."""
        ...


class RuleClassifier:
    """The shipped default: weighted cues written by the project."""

    name = "rules"

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        return [classify_text(t)[:2] for t in texts]


@dataclass
class TrainedClassifier:
    """A scikit-learn pipeline from text to ACLED sub-event type."""

    pipeline: Any
    name: str = "trained"

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        subs = self.pipeline.predict(list(texts))
        return [(event_type_of(s) or "Strategic developments", s) for s in subs]

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": 1, "pipeline": self.pipeline}, path)

    @classmethod
    def load(cls, path: Path) -> TrainedClassifier:
        import joblib

        data = joblib.load(path)
        return cls(data["pipeline"], name=f"trained:{path.name}")


def read_acled_rows(path: Path) -> Iterable[tuple[str, str]]:
    """(notes, sub-event type) of each row of an ACLED export with a current sub-event type."""
    known = sub_event_types()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            notes = (row.get("notes") or "").strip()
            sub = row.get("sub_event_type_harmonized") or row.get("sub_event_type") or ""
            if notes and sub in known:
                yield notes, sub


def cue_features(texts: Sequence[str]) -> Any:
    """The shipped cue rules as features: each sub-type's score and the rules' own choice."""
    import numpy as np

    from tocsin.events.subtypes import _adjust, cue_scores

    names = list(sub_event_types())
    out = np.zeros((len(texts), 2 * len(names)))
    for row, text in enumerate(texts):
        scores = _adjust(cue_scores(text))
        for col, name in enumerate(names):
            out[row, col] = scores.get(name, 0.0) / 5.0
        choice = classify_text(text)[1]
        if choice in names:
            out[row, len(names) + names.index(choice)] = 1.0
    return out


def build_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    features = FeatureUnion([
        ("cues", FunctionTransformer(cue_features)),
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                  lowercase=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3,
                                  sublinear_tf=True, max_features=200_000)),
    ])
    return make_pipeline(features, LinearSVC(C=0.5, class_weight="balanced"))


def train_from_acled(path: Path) -> tuple[TrainedClassifier, int]:
    rows = list(read_acled_rows(path))
    if not rows:
        raise ValueError(f"{path}: no rows with notes and a current ACLED sub-event type")
    pipeline = build_pipeline()
    pipeline.fit([r[0] for r in rows], [r[1] for r in rows])
    return TrainedClassifier(pipeline), len(rows)


def default_model_path() -> Path:
    from tocsin.settings import data_home

    return data_home() / MODEL_FILE


def load_classifier(path: Path | None = None) -> EventTypeClassifier:
    """The trained model at ``path`` (or the settings' path), else the shipped rules."""
    if path is None:
        from tocsin.settings import Settings

        path = Settings().event_model_path or default_model_path()
    if path is not None and Path(path).exists():
        return TrainedClassifier.load(Path(path))
    return RuleClassifier()
