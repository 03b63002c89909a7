"""The shipped ACLED typing model, learned from the project's own example sentences.

The templates of ``data/events/typing_examples.tsv`` and the fillers of ``typing_slots.toml`` are
expanded with a fixed seed into a labelled corpus of short notes and news sentences; a TF-IDF
(word and character n-grams) plus cue-rule feature logistic regression is fitted on it. The fit
takes a few seconds, so it is cached in the Tocsin data folder under a name that digests the data
files and the scikit-learn version, and in memory for the process. Nothing in it comes from ACLED
rows.
"""

from __future__ import annotations

import hashlib
import random
import re
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tocsin.mentions.typing.ontology import read_table

_PACKAGE = "tocsin.data.events"
_TEMPLATES = "typing_examples.tsv"
_SLOTS = "typing_slots.toml"
_SETTINGS = "typing_model.toml"
SEED = 20151124
_SLOT = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_SPACES = re.compile(r"\s+")


def _read(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@cache
def model_settings() -> dict[str, Any]:
    """c, per_template, prior_weight and prior (sub-type -> share) of typing_model.toml."""
    return tomllib.loads(_read(_SETTINGS))


@cache
def inherited_modes() -> frozenset[str]:
    """Means of attack a later generic attack word takes over (typing_model.toml)."""
    return frozenset(model_settings().get("inherited_modes", []))


def templates() -> list[tuple[str, str]]:
    """(sub-event type, template) rows of the example file."""
    return [(r["sub_event_type"], r["template"]) for r in read_table(_PACKAGE, _TEMPLATES)]


def slots() -> dict[str, list[str]]:
    return tomllib.loads(_read(_SLOTS))


def expand(template: str, fillers: dict[str, list[str]], rng: random.Random) -> str:
    """One sentence from a template: choices first, then slots (fillers may hold choices)."""
    def fill(match: re.Match[str]) -> str:
        return rng.choice(fillers[match.group(1)])

    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    text = _SLOT.sub(fill, text)
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    text = _SLOT.sub(fill, text)
    return _SPACES.sub(" ", text).strip()


def example_sentences(per_template: int | None = None, seed: int = SEED) -> list[tuple[str, str]]:
    """(sentence, sub-event type) pairs, the same on every run; duplicates dropped."""
    per_template = per_template or int(model_settings()["per_template"])
    rng = random.Random(seed)
    fillers = slots()
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for sub_type, template in templates():
        for _ in range(per_template):
            sentence = expand(template, fillers, rng)
            if sentence not in seen:
                seen.add(sentence)
                out.append((sentence, sub_type))
    return out


def build_pipeline(c: float | None = None) -> Any:
    """Word 1-2-grams, character 2-5-grams and the cue rules' scores into a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from tocsin.mentions.typing.subtypes import cue_features

    features = FeatureUnion([
        ("cues", FunctionTransformer(cue_features)),
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                  sublinear_tf=True, max_features=150_000)),
    ])
    c = float(model_settings()["c"]) if c is None else c
    return make_pipeline(features, LogisticRegression(C=c, max_iter=2000))


def _digest() -> str:
    import sklearn

    blob = "\n".join([_read(_TEMPLATES), _read(_SLOTS), _read(_SETTINGS),
                      _read("subtype_cues.tsv"), str(SEED), sklearn.__version__])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def cache_path() -> Path:
    from tocsin.settings import data_home

    return data_home() / "models" / f"event_typing-{_digest()}.joblib"


def fit_default() -> Any:
    """Fit the shipped model on the example sentences (a few seconds)."""
    corpus = example_sentences()
    pipeline = build_pipeline()
    pipeline.fit([s for s, _ in corpus], [t for _, t in corpus])
    return pipeline


@cache
def default_pipeline() -> Any:
    """The fitted shipped model, from the cache file when present, else fitted and cached."""
    import joblib

    path = cache_path()
    if path.exists():
        try:
            return joblib.load(path)
        except Exception:  # noqa: BLE001 - a corrupt or foreign cache file is simply rebuilt
            pass
    pipeline = fit_default()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(pipeline, tmp)
        tmp.replace(path)
        for stale in path.parent.glob("event_typing-*.joblib"):
            if stale != path:
                stale.unlink(missing_ok=True)  # built from older data files
    except OSError:
        pass  # a read-only data folder: keep the model in memory only
    return pipeline


def prior_weights(classes: Sequence[str]) -> Any:
    """Each class's expected share raised to ``prior_weight`` (1 for all when the weight is 0)."""
    import numpy as np

    settings = model_settings()
    prior = settings.get("prior", {})
    floor = min(prior.values()) if prior else 1.0
    shares = np.array([float(prior.get(c, floor)) for c in classes])
    return shares ** float(settings.get("prior_weight", 0.0))


def default_probabilities(texts: Sequence[str]) -> tuple[list[str], Any]:
    """(sub-event types, row-normalised probabilities) of the shipped model for ``texts``."""
    pipeline = default_pipeline()
    classes = [str(c) for c in pipeline.classes_]
    if not texts:
        import numpy as np

        return classes, np.zeros((0, len(classes)))
    probs = pipeline.predict_proba(list(texts)) * prior_weights(classes)
    return classes, probs / probs.sum(axis=1, keepdims=True)
