"""Pairwise precision and recall of "same event" decisions against gold event labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

from tocsin.records import Event


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        pairs.update(combinations(sorted(set(group)), 2))
    return pairs


def pairwise_scores(events: Iterable[Event], gold: Mapping[str, str]) -> dict[str, float]:
    """Precision, recall and F1 over mention pairs put in one Event vs. sharing one gold label.

    ``gold`` maps mention id -> gold event label; mentions without a label are left out of both
    sides. With no pair on a side, its measure is 1.0 (nothing to get wrong).
    """
    predicted = _pairs([r.mention for r in e.mentions if r.mention in gold] for e in events)
    by_label: dict[str, list[str]] = {}
    for mention, label in gold.items():
        by_label.setdefault(label, []).append(mention)
    expected = _pairs(by_label.values())
    right = len(predicted & expected)
    precision = right / len(predicted) if predicted else 1.0
    recall = right / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted_pairs": float(len(predicted)),
        "gold_pairs": float(len(expected)),
    }
