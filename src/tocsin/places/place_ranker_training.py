"""Training the place ranker: a conditional logit fitted on gold toponyms.

A training document is a text with its toponym spans and their true coordinates. The resolver
runs on it exactly as the product runs it (the same candidates, the same document passes); an
observer records each mention's candidate feature rows after the last pass. A candidate within
161 km of the truth counts as right. The model maximises the probability that the softmax over a
mention's candidates falls on a right one, with an L2 penalty; mentions with one candidate or no
right candidate teach nothing and are left out.

Only the training imports scipy; the fitted weights are plain numbers (``PlaceRanker``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tocsin import conditional_logit
from tocsin.geodesy import distance_km
from tocsin.places.place_ranker import PlaceRanker
from tocsin.places.ranking_features import FEATURES
from tocsin.places.resolve import Resolution, Resolver

if TYPE_CHECKING:
    from tocsin.places.gazetteer import Gazetteer

RIGHT_KM = 161.0
DEFAULT_L2 = 1.0


@dataclass(frozen=True)
class GoldPlace:
    start: int
    end: int
    lat: float
    lon: float


@dataclass(frozen=True)
class TrainingDocument:
    """A text with its gold places; ``weight`` scales its mentions in the loss (so that each
    corpus can count the same however many articles it has)."""

    text: str
    places: tuple[GoldPlace, ...]
    weight: float = 1.0


@dataclass
class Groups:
    """The candidate rows of every useful mention: ``rows`` stacked, ``group`` the mention index
    of each row, ``right`` whether the row's candidate is within RIGHT_KM of the truth,
    ``weight`` each mention's weight."""

    rows: np.ndarray
    group: np.ndarray
    right: np.ndarray
    weight: np.ndarray

    @property
    def mentions(self) -> int:
        return int(self.group.max()) + 1 if len(self.group) else 0


def resolve_document(resolver: Resolver, document: TrainingDocument) -> list[Resolution]:
    """The resolver's answer for the document's gold spans, as ``resolve_spans`` gives it."""
    from tocsin.places import mentions_for_spans

    spans = sorted({(p.start, p.end) for p in document.places})
    mentions = mentions_for_spans(document.text, spans, None, resolver.gazetteer)
    return resolver.resolve(document.text, mentions)


def collect(resolver: Resolver, documents: Iterable[TrainingDocument]) -> Groups:
    """Run the resolver over the documents and keep the rows of mentions that can teach."""
    rows: list[list[float]] = []
    group: list[int] = []
    right: list[bool] = []
    weight: list[float] = []
    truth: dict[tuple[int, int], GoldPlace] = {}
    current = 1.0

    def observe(res: Resolution, features: list[list[float]]) -> None:
        gold = truth.get((res.mention.start, res.mention.end))
        if gold is None or len(features) < 2:
            return
        ok = [
            distance_km(gold.lat, gold.lon, c.entry.lat, c.entry.lon) <= RIGHT_KM
            for c in res.candidates
        ]
        if not any(ok) or all(ok):
            return
        index = group[-1] + 1 if group else 0
        rows.extend(features)
        group.extend([index] * len(features))
        right.extend(ok)
        weight.append(current)

    previous = resolver.observer
    resolver.observer = observe
    try:
        for document in documents:
            truth = {(p.start, p.end): p for p in document.places}
            current = document.weight
            resolve_document(resolver, document)
    finally:
        resolver.observer = previous
    width = len(FEATURES)
    return Groups(
        np.asarray(rows, dtype=float).reshape(-1, width),
        np.asarray(group, dtype=int),
        np.asarray(right, dtype=bool),
        np.asarray(weight, dtype=float),
    )


def fit(groups: Groups, l2: float = DEFAULT_L2) -> np.ndarray:
    """Weights maximising sum over mentions of log P(a right candidate) - l2/2 * |w|^2."""
    return conditional_logit.fit(groups.rows, groups.group, groups.right, groups.weight, l2,
                                 maxiter=500)


def accuracy(
    gazetteer: Gazetteer, ranker: PlaceRanker | None, documents: Sequence[TrainingDocument]
) -> tuple[int, int]:
    """(right, total) gold places resolved within RIGHT_KM by a resolver with ``ranker``
    (None: the hand weights) through the whole document resolution."""
    resolver = Resolver(gazetteer, ranker=ranker)
    hits = total = 0
    for document in documents:
        resolved = resolve_document(resolver, document)
        by_span = {(r.mention.start, r.mention.end): r for r in resolved}
        for gold in document.places:
            total += 1
            res = by_span.get((gold.start, gold.end))
            entry = res.entry if res is not None else None
            if entry is None:
                continue
            if distance_km(gold.lat, gold.lon, entry.lat, entry.lon) <= RIGHT_KM:
                hits += 1
    return hits, total


def train(
    gazetteer: Gazetteer,
    documents: Sequence[TrainingDocument],
    l2: float = DEFAULT_L2,
    rounds: int = 2,
    meta: dict[str, Any] | None = None,
) -> PlaceRanker:
    """Fit the ranker; each round after the first collects rows with the previous round's model
    in the resolver, so the document context it learns from is the one it will see."""
    ranker: PlaceRanker | None = None
    for _ in range(rounds):
        groups = collect(Resolver(gazetteer, ranker=ranker), documents)
        weights = fit(groups, l2)
        ranker = PlaceRanker(tuple(float(w) for w in weights), dict(meta or {}))
    assert ranker is not None
    return ranker


def cross_validate(
    gazetteer: Gazetteer,
    folds: Sequence[Sequence[TrainingDocument]],
    l2: float = DEFAULT_L2,
    rounds: int = 2,
) -> list[dict[str, Any]]:
    """Per fold: Acc@161 of the hand weights and of a ranker trained on the other folds."""
    out = []
    for k, held in enumerate(folds):
        rest = [d for j, fold in enumerate(folds) if j != k for d in fold]
        ranker = train(gazetteer, rest, l2, rounds)
        hand = accuracy(gazetteer, None, held)
        learned = accuracy(gazetteer, ranker, held)
        out.append({"fold": k, "places": hand[1], "rules": hand[0] / max(hand[1], 1),
                    "learned": learned[0] / max(learned[1], 1)})
    return out
