"""Event typing models: which ACLED event type and sub-event type a text reports.

Three models share one interface (``predict`` and ``probabilities``):

- ``DefaultClassifier``: the shipped model of ``default_model``, learned from the project's own
  example sentences and cue rules;
- ``RuleClassifier``: the cue rules of ``subtypes`` alone (kept as a reference figure);
- ``TrainedClassifier``: a model ``tocsin train`` fits on the user's ACLED export, blended with
  the shipped model so that it still reads news text, which ACLED notes do not resemble.

``Classifiers.load`` gives the trained model named by ``Settings.event_model_path`` /
``TOCSIN_EVENT_MODEL`` (or the one ``tocsin train`` saved in the data folder) when that file exists,
else the default; ``Lexicons`` holds one ``Classifiers`` per process, so each file is read once.
A trained model holds weights derived from the user's ACLED rows, so it stays on the user's
machine and is never shipped with Tocsin.
"""

from __future__ import annotations

import csv
import pickle
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tocsin.mentions.typing.default_model import TypingModel
from tocsin.mentions.typing.note_views import NoteViews
from tocsin.mentions.typing.ontology import Ontology
from tocsin.mentions.typing.subtypes import SubtypeCues, cue_features

MODEL_FILE = "event_model.joblib"
MODEL_FORMAT = 2
__all__ = ["Classifiers", "DefaultClassifier", "EventTypeClassifier", "RuleClassifier",
           "TrainedClassifier", "cue_features", "train_from_acled"]

csv.field_size_limit(10_000_000)


class EventTypeClassifier(Protocol):
    name: str

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        """(ACLED event type, sub-event type) of each text."""
        ...

    def probabilities(self, texts: Sequence[str]) -> tuple[list[str], Any]:
        """(sub-event types, one row of probabilities per text)."""
        ...


def _argmax_labels(classes: Sequence[str], probs: Any,
                   ontology: Ontology) -> list[tuple[str, str]]:
    out = []
    for row in probs:
        sub = classes[int(row.argmax())]
        out.append((ontology.event_type_of(sub) or "Strategic developments", sub))
    return out


def _type_first_labels(classes: Sequence[str], probs: Any, ontology: Ontology,
                       type_weights: Any = None) -> list[tuple[str, str]]:
    """The event type with the largest summed probability (times ``type_weights``, one row of
    factors per text in the sorted order of the event types, if given), then its likeliest
    sub-type."""
    import numpy as np

    event_type_of = ontology.event_type_of
    types = sorted({event_type_of(c) or "Strategic developments" for c in classes})
    member = np.array([[(event_type_of(c) or "Strategic developments") == t for t in types]
                       for c in classes], dtype=float)
    out = []
    for number, row in enumerate(probs):
        summed = row @ member
        if type_weights is not None:
            summed = summed * type_weights[number]
        event_type = types[int(summed.argmax())]
        inside = np.where(member[:, types.index(event_type)] > 0, row, -1.0)
        out.append((event_type, classes[int(inside.argmax())]))
    return out


class DefaultClassifier:
    """The shipped default: the example-sentence model of ``default_model``."""

    name = "default"

    def __init__(self, model: TypingModel) -> None:
        self.model = model

    def probabilities(self, texts: Sequence[str]) -> tuple[list[str], Any]:
        return self.model.probabilities(texts)

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        classes, probs = self.probabilities(texts)
        return _argmax_labels(classes, probs, self.model.cues.ontology)


class RuleClassifier:
    """The weighted cue rules alone."""

    name = "rules"

    def __init__(self, cues: SubtypeCues) -> None:
        self.cues = cues

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        return [self.cues.classify_text(t)[:2] for t in texts]

    def probabilities(self, texts: Sequence[str]) -> tuple[list[str], Any]:
        import numpy as np

        classes = [t.sub_event_type for t in self.cues.ontology.acled_types]
        out = np.zeros((len(texts), len(classes)))
        for row, (_, sub) in enumerate(self.predict(texts)):
            out[row, classes.index(sub)] = 1.0
        return classes, out


@dataclass
class TrainedClassifier:
    """Sub-type and type models fitted on an ACLED export, blended with the shipped model.

    The sub-type probabilities are ``blend * trained + (1 - blend) * default``, each multiplied by
    the type model's probability of its event type raised to ``type_power``. With ``decision``
    "type", ``predict`` chooses the event type first (the blended sub-type probabilities summed per
    type, times the type model's probability to ``type_power``), then the likeliest sub-type of
    that type; with "sub", the likeliest sub-type and its type. In the type-first decision, a
    note's summed type probabilities are also multiplied by the shipped model's own (its sub-type
    probabilities summed per type) raised to ``default_type_power``. Texts that do not read like
    coder notes (``note_like``) take ``news_blend`` instead of ``blend``, the type model's power of
    ``typing_model.toml``, and have the trained probabilities divided by the shares of the
    training labels (``label_shares``) to ``news_prior_power`` (1: news need not report events
    in an export's proportions); with ``news_combine`` "product" their trained and default
    probabilities are multiplied (``trained ** news_blend * default ** (1 - news_blend)``)
    instead of mixed, and when ``news_model`` is set (``fit_news_model``) it gives their trained
    probabilities in place of the sub-type model. These settings were chosen by 3-fold
    cross-validation on an ACLED export and, for news, on held-out templates of the project's
    own news-style sentences and on news-like views of notes from held-out countries with every
    sub-type weighted alike (see BENCHMARKS.md).
    """

    sub_pipeline: Any
    type_pipeline: Any = None
    blend: float = 0.8
    type_power: float = 1.0
    rows: int = 0
    decision: str = "type"
    name: str = "trained"
    news_blend: float | None = 0.7
    label_shares: dict[str, float] | None = None
    news_prior_power: float = 1.0
    default_type_power: float = 0.5
    news_combine: str = "product"
    news_model: Any = None
    default: DefaultClassifier = field(kw_only=True, repr=False)  # the shipped model

    @property
    def _ontology(self) -> Ontology:
        return self.default.model.cues.ontology

    def _blends(self, notes: Sequence[bool]) -> Any:
        import numpy as np

        news = self.blend if self.news_blend is None else self.news_blend
        return np.array([self.blend if n else news for n in notes])[:, None]

    def _news_rebalanced(self, probs: Any, classes: Sequence[str], notes: Sequence[bool]) -> Any:
        """News rows of ``probs`` divided by the training labels' shares to ``news_prior_power``:
        news need not report events in the proportions an ACLED export codes them."""
        import numpy as np

        if not self.label_shares or not self.news_prior_power or all(notes):
            return probs
        floor = min(self.label_shares.values())
        shares = np.array([self.label_shares.get(c, floor) for c in classes])
        rebalanced = probs / shares ** self.news_prior_power
        rebalanced /= rebalanced.sum(axis=1, keepdims=True)
        return np.where(np.array(notes)[:, None], probs, rebalanced)

    def _combined(self, probs: Any, aligned: Any, blend: Any, notes: Sequence[bool]) -> Any:
        """Trained and default probabilities mixed: ``blend * trained + (1 - blend) * default``
        for notes (and for news with ``news_combine`` "linear"); for news with "product", the
        normalised product ``trained ** blend * default ** (1 - blend)``, so that a sub-type
        either model rules out stays out."""
        import numpy as np

        mixed = blend * probs + (1.0 - blend) * aligned
        if self.news_combine != "product" or all(notes):
            return mixed
        floor = 1e-9
        product = np.exp(blend * np.log(probs + floor) + (1.0 - blend) * np.log(aligned + floor))
        product /= product.sum(axis=1, keepdims=True)
        return np.where(np.array(notes)[:, None], mixed, product)

    def _sub_probabilities(self, texts: list[str], notes: Sequence[bool]) -> Any:
        """The sub-type model's probabilities; news rows from ``news_model`` when there is one
        (a classifier over the sub-type pipeline's own features, with the same classes)."""
        import numpy as np

        if self.news_model is None or all(notes):
            return self.sub_pipeline.predict_proba(texts)
        features = self.sub_pipeline[:-1].transform(texts)
        is_note = np.array(notes)
        probs = np.empty((len(texts), len(self.sub_pipeline.classes_)))
        news, note_rows = np.flatnonzero(~is_note), np.flatnonzero(is_note)
        probs[news] = self.news_model.predict_proba(features[news])
        if len(note_rows):  # the calibrated SVM only for the rows it reads
            probs[note_rows] = self.sub_pipeline[-1].predict_proba(features[note_rows])
        return probs

    def probabilities(self, texts: Sequence[str]) -> tuple[list[str], Any]:
        classes, probs, _, _ = self._scored(texts)
        return classes, probs

    def _scored(self, texts: Sequence[str]) -> tuple[list[str], Any, Any, list[bool]]:
        """(sub-types, blended probabilities, the default's aligned probabilities or None,
        which texts read like notes)."""
        import numpy as np

        texts = list(texts)
        classes = [str(c) for c in self.sub_pipeline.classes_]
        if not texts:
            return classes, np.zeros((0, len(classes))), None, []
        notes = [self.default.model.views.note_like(t) for t in texts]
        probs = self._news_rebalanced(self._sub_probabilities(texts, notes), classes, notes)
        blend = self._blends(notes)
        aligned = None
        if (blend < 1.0).any() or (self.default_type_power and any(notes)):
            default_classes, default = self.default.probabilities(texts)
            index = [default_classes.index(c) if c in default_classes else -1 for c in classes]
            aligned = np.where(np.array(index) >= 0, default[:, index], 0.0)
        if (blend < 1.0).any():
            probs = self._combined(probs, aligned, blend, notes)
        if self.type_pipeline is not None and self.type_power:
            types = [str(t) for t in self.type_pipeline.classes_]
            type_probs = self.type_pipeline.predict_proba(texts)
            of_class = [self._ontology.event_type_of(c) for c in classes]
            column = [types.index(t) if t is not None and t in types else -1 for t in of_class]
            weight = np.where(np.array(column) >= 0, type_probs[:, column], 1e-3)
            news_power = float(self.default.model.settings["trained"]["news_type_power"])
            power = np.array([self.type_power if n else news_power for n in notes])[:, None]
            probs = probs * weight ** power
        return classes, probs / probs.sum(axis=1, keepdims=True), aligned, notes

    def _default_type_weights(self, classes: Sequence[str], aligned: Any,
                              notes: Sequence[bool]) -> Any:
        """Per text, the default's type probabilities to ``default_type_power`` (notes only)."""
        import numpy as np

        if aligned is None or not self.default_type_power or not any(notes):
            return None
        event_type_of = self._ontology.event_type_of
        types = sorted({event_type_of(c) or "Strategic developments" for c in classes})
        member = np.array([[(event_type_of(c) or "Strategic developments") == t for t in types]
                           for c in classes], dtype=float)
        summed = aligned @ member
        summed = summed / np.maximum(summed.sum(axis=1, keepdims=True), 1e-12)
        weights = np.maximum(summed, 1e-6) ** self.default_type_power
        return np.where(np.array(notes)[:, None], weights, 1.0)

    def predict(self, texts: Sequence[str]) -> list[tuple[str, str]]:
        classes, probs, aligned, notes = self._scored(texts)
        if self.decision != "type":
            return _argmax_labels(classes, probs, self._ontology)
        return _type_first_labels(classes, probs, self._ontology,
                                  self._default_type_weights(classes, aligned, notes))

    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": MODEL_FORMAT, "sub_pipeline": self.sub_pipeline,
                     "type_pipeline": self.type_pipeline, "blend": self.blend,
                     "type_power": self.type_power, "rows": self.rows,
                     "decision": self.decision, "news_blend": self.news_blend,
                     "label_shares": self.label_shares,
                     "news_prior_power": self.news_prior_power,
                     "default_type_power": self.default_type_power,
                     "news_combine": self.news_combine, "news_model": self.news_model},
                    path)

    @classmethod
    def load(cls, path: Path, default: DefaultClassifier) -> TrainedClassifier:
        """The model ``save`` wrote to ``path``, blended with ``default``."""
        import joblib

        try:
            data = joblib.load(path)
        except (ImportError, AttributeError, EOFError, IndexError, KeyError, TypeError,
                ValueError, pickle.UnpicklingError) as error:
            raise ValueError(f"{path}: not a Tocsin event model ({error})") from None
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ValueError(f"{path}: not a model of this Tocsin version; train it again")
        return cls(data["sub_pipeline"], data["type_pipeline"], float(data["blend"]),
                   float(data["type_power"]), int(data.get("rows", 0)),
                   str(data.get("decision", "sub")), name=f"trained:{path.name}",
                   news_blend=data.get("news_blend"), label_shares=data.get("label_shares"),
                   news_prior_power=float(data.get("news_prior_power", 0.0)),
                   default_type_power=float(data.get("default_type_power", 0.0)),
                   news_combine=str(data.get("news_combine", "linear")),
                   news_model=data.get("news_model"), default=default)


def read_acled_rows(path: Path, ontology: Ontology) -> Iterable[tuple[str, str, str]]:
    """(notes, event type, sub-event type or "") of each row with notes and a current event type.

    Older exports (before 2019) carry only the harmonised event type: their rows train the type
    model but not the sub-type model.
    """
    known = ontology.sub_event_types
    types = {t.event_type for t in ontology.acled_types}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            notes = (row.get("notes") or "").strip()
            event_type = row.get("event_type_harmonized") or row.get("event_type") or ""
            sub = row.get("sub_event_type_harmonized") or row.get("sub_event_type") or ""
            sub = sub if sub in known else ""
            if sub and event_type not in types:
                event_type = ontology.event_type_of(sub) or ""
            if notes and event_type in types:
                yield notes, event_type, sub


def _features() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    # No cue features here: measured, they cost the export-trained model about 0.02 macro-F1.
    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                  sublinear_tf=True, max_features=300_000)),
    ])


def build_pipeline(c: float = 1.0) -> Any:
    """Word 1-2-gram and character 2-5-gram features into a calibrated linear SVM."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    return make_pipeline(_features(), CalibratedClassifierCV(
        LinearSVC(C=c, class_weight="balanced"), cv=3))


def fit_news_model(sub_pipeline: Any, texts: Sequence[str], labels: Sequence[str],
                   c: float = 10.0) -> Any:
    """A class-balanced logistic regression over the fitted sub-type pipeline's features, for
    news text: its probabilities multiply with the shipped model's better than the calibrated
    SVM's (held-out-country views and held-out templates, BENCHMARKS.md)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=300, class_weight="balanced")
    model.fit(sub_pipeline[:-1].transform(list(texts)), list(labels))
    if [str(x) for x in model.classes_] != [str(x) for x in sub_pipeline.classes_]:
        raise ValueError("news model and sub-type model disagree on the classes")
    return model


def with_news_views(pairs: Iterable[tuple[str, str]],
                    views: NoteViews) -> tuple[list[str], list[str]]:
    """(texts, labels): each note, then the news-like view of each note that differs from it."""
    pairs = list(pairs)
    texts, labels = [n for n, _ in pairs], [label for _, label in pairs]
    for note, label in pairs:
        view = views.news_view(note)
        if view != note:
            texts.append(view)
            labels.append(label)
    return texts, labels


def train_from_acled(path: Path, default: DefaultClassifier,
                     with_examples: bool = True) -> tuple[TrainedClassifier, int]:
    """Fit the type and sub-type models on an export's notes and their news-like views (plus
    the project's example sentences); the trained model blends with ``default``."""
    model = default.model
    rows = list(read_acled_rows(path, model.cues.ontology))
    with_sub = [(n, s) for n, _, s in rows if s]
    if not with_sub:
        raise ValueError(f"{path}: no rows with notes and a current ACLED sub-event type")
    texts, labels = with_news_views(with_sub, model.views)
    if with_examples:
        examples = model.example_sentences()
        texts += [s for s, _ in examples]
        labels += [t for _, t in examples]
    sub_pipeline = build_pipeline()
    sub_pipeline.fit(texts, labels)
    news_model = fit_news_model(sub_pipeline, texts, labels)
    type_pipeline = None
    if len({t for _, t, _ in rows}) > 1:
        type_pipeline = build_pipeline()
        type_pipeline.fit(*with_news_views(((n, t) for n, t, _ in rows), model.views))
    counts = Counter(labels)
    shares = {label: n / len(labels) for label, n in counts.items()}
    return TrainedClassifier(sub_pipeline, type_pipeline, rows=len(rows), news_model=news_model,
                             label_shares=shares, default=default), len(rows)


def default_model_path() -> Path:
    from tocsin.settings import data_home

    return data_home() / MODEL_FILE


def configured_model_path() -> Path | None:
    """The trained model file Tocsin should use, if one is configured or saved, else None."""
    from tocsin.settings import Settings

    path = Settings().event_model_path or default_model_path()
    return Path(path) if Path(path).exists() else None


class Classifiers:
    """The typing models of a process: the shipped default and each trained model file, read
    once (``Lexicons.classifiers``)."""

    def __init__(self, default: DefaultClassifier) -> None:
        self.default = default
        self._trained: dict[str, TrainedClassifier] = {}

    def load(self, path: Path | None = None) -> EventTypeClassifier:
        """The trained model at ``path`` (or the configured one), else the shipped default."""
        path = path if path is not None else configured_model_path()
        if path is None or not Path(path).exists():
            return self.default
        key = str(Path(path).resolve())
        if key not in self._trained:
            self._trained[key] = TrainedClassifier.load(Path(key), self.default)
        return self._trained[key]

    def for_pipeline(self, model_path: Path | None) -> EventTypeClassifier:
        """The model find_events uses: the trained one configured, else the default; never
        raises."""
        try:
            return self.load(model_path)
        except (OSError, ValueError, EOFError, ImportError):
            return self.default


@dataclass
class SentenceTypes:
    """Sub-type probabilities of a document's sentences, asked for by Tocsin category."""

    classes: list[str]
    probs: Any
    rows: dict[int, int]  # sentence key -> row of probs
    ontology: Ontology

    def best(self, key: int, category: str) -> tuple[str, float] | None:
        """The likeliest sub-type that ``category`` can report, and its share of the category."""
        row = self.rows.get(key)
        if row is None:
            return None
        allowed = self.ontology.sub_types_of(category)
        columns = [i for i, c in enumerate(self.classes) if c in allowed]
        if not columns:
            return None
        values = self.probs[row, columns]
        total = float(values.sum())
        if total <= 0:
            return None
        best = int(values.argmax())
        return self.classes[columns[best]], float(values[best]) / total


def type_sentences(classifier: EventTypeClassifier, texts: dict[int, str],
                   ontology: Ontology) -> SentenceTypes:
    """Classify a document's candidate sentences (key -> text) in one batch."""
    keys = list(texts)
    classes, probs = classifier.probabilities([texts[k] for k in keys])
    return SentenceTypes(list(classes), probs, {k: i for i, k in enumerate(keys)}, ontology)


def typed_acled(sub_event_type: str, mode: str | None,
                ontology: Ontology) -> tuple[list[str], str | None]:
    """([event type, sub-event type], mode) for a sub-type the typing model chose."""
    row = ontology.sub_event_types[sub_event_type]
    return [row.event_type, row.sub_event_type], row.mode or mode
