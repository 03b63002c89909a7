"""Training the event-place ranker: a conditional logit fitted on sentences with a gold event verb
and its gold places (the event-location records).

Each example goes through the product as the evaluation runs it (``run``: the caller passes
``tocsin.extract(text, verbs=[gold verb])``); an observer (``mentions.place.event.OBSERVER``)
records the gold verb's mention: its candidates, their feature rows and the "no place" row, and
what the hand rules chose. A candidate is right when it overlaps a gold location; the "no
place" row is right when the record has none. The model maximises the probability that the
softmax over a mention's rows falls on a right one, with an L2 penalty; a mention whose gold
place is no candidate teaches nothing and is left out of the fit (but counts as wrong in every
accuracy).

Only the training imports scipy; the fitted weights are plain numbers (``EventPlaceRanker``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tocsin import conditional_logit
from tocsin.mentions.place.event import OBSERVER
from tocsin.mentions.place.event_place_features import FEATURES
from tocsin.mentions.place.event_place_model import EventPlaceRanker

if TYPE_CHECKING:
    from spacy.tokens import Token

    from tocsin.mentions.place.event_place_features import MentionRows
    from tocsin.records import Place

DEFAULT_L2 = 3.0
Span = tuple[int, int]
# How the product runs one sentence with its gold verb: extract(text, verbs=[verb]).
Run = Callable[[str, list[Span]], object]


@dataclass(frozen=True)
class Example:
    """A sentence, its gold event verb, the gold places of that event (none: the sentence does
    not say), and its cross-validation fold."""

    text: str
    verb: Span
    places: tuple[Span, ...]
    fold: int = 0


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class Observed:
    """One record's gold-verb mention: its rows (the last is "no place"), which rows are
    right, whether the hand rules were right, its fold inside ``fit``."""

    rows: np.ndarray
    right: np.ndarray
    rules_right: bool
    fold: int


def _observe(example: Example, run: Run) -> Observed:
    verb, gold = example.verb, example.places
    seen: list[tuple[Token, MentionRows, Place | None]] = []

    def observer(anchor: Token, rows: MentionRows, rules: Place | None, category: str) -> None:
        seen.append((anchor, rows, rules))

    token = OBSERVER.set(observer)
    try:
        run(example.text, [verb])
    finally:
        OBSERVER.reset(token)
    if not seen:
        rows = np.zeros((1, len(FEATURES)))
        rows[0, FEATURES.index("none")] = 1.0
        return Observed(rows, np.array([not gold]), not gold, example.fold)
    anchor, found, rules = next(
        (s for s in seen if _overlaps((s[0].idx, s[0].idx + len(s[0])), verb)), seen[0])
    right = [any(_overlaps((p.start, p.end), g) for g in gold) for p in found.places]
    right.append(not gold)
    rules_right = (rules is None and not gold) or (
        rules is not None and any(_overlaps((rules.start, rules.end), g) for g in gold))
    return Observed(np.asarray(found.rows, dtype=float), np.asarray(right, dtype=bool),
                    rules_right, example.fold)


def collect(examples: Iterable[Example], run: Run) -> list[Observed]:
    """The observed gold-verb mention of every example, run through the product by ``run``."""
    return [_observe(example, run) for example in examples]


def fit(observed: Sequence[Observed], l2: float = DEFAULT_L2) -> np.ndarray:
    """Weights maximising the sum over mentions of log P(a right row) - l2/2 * |w|^2."""
    useful = [o for o in observed if o.right.any() and not o.right.all()]
    if not useful:
        raise ValueError("no mention with a choice to learn from")
    x = np.vstack([o.rows for o in useful])
    g = np.concatenate([np.full(len(o.rows), k) for k, o in enumerate(useful)])
    right = np.concatenate([o.right for o in useful])
    return conditional_logit.fit(x, g, right, np.ones(len(useful)), l2, maxiter=1000)


def accuracy(weights: np.ndarray, observed: Sequence[Observed]) -> float:
    """The share of mentions whose best row (first on a tie) is a right one."""
    if not observed:
        return 0.0
    hits = 0
    for o in observed:
        scores = o.rows @ weights
        hits += int(o.right[int(np.argmax(scores))])
    return hits / len(observed)


def cross_validate(observed: Sequence[Observed], folds: int,
                   l2: float = DEFAULT_L2) -> list[dict[str, Any]]:
    """Per fold: the hand rules' accuracy and that of a ranker fitted on the other folds."""
    out = []
    for k in range(folds):
        held = [o for o in observed if o.fold == k]
        rest = [o for o in observed if o.fold != k]
        weights = fit(rest, l2)
        out.append({"fold": k, "records": len(held),
                    "rules": round(sum(o.rules_right for o in held) / max(len(held), 1), 4),
                    "learned": round(accuracy(weights, held), 4)})
    return out


def train(observed: Sequence[Observed], l2: float = DEFAULT_L2,
          meta: dict[str, Any] | None = None) -> EventPlaceRanker:
    return EventPlaceRanker(tuple(float(w) for w in fit(observed, l2)), dict(meta or {}))
