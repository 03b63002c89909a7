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


def _pair_count(n: int) -> int:
    return n * (n - 1) // 2


def _counted(
    groups: list[list[str]], gold: Mapping[str, str]
) -> tuple[int, int, int] | None:
    """(predicted pairs, gold pairs, pairs in both) counted from group sizes, without listing
    the pairs; None when a mention sits in two groups (then only listing them is right)."""
    seen: set[str] = set()
    predicted = right = 0
    for group in groups:
        members = set(group)
        if not seen.isdisjoint(members):
            return None
        seen |= members
        predicted += _pair_count(len(members))
        labels: dict[str, int] = {}
        for mention in members:
            labels[gold[mention]] = labels.get(gold[mention], 0) + 1
        right += sum(_pair_count(n) for n in labels.values())
    sizes: dict[str, int] = {}
    for label in gold.values():
        sizes[label] = sizes.get(label, 0) + 1
    return predicted, sum(_pair_count(n) for n in sizes.values()), right


def pairwise_scores(events: Iterable[Event], gold: Mapping[str, str]) -> dict[str, float]:
    """Precision, recall and F1 over mention pairs put in one Event vs. sharing one gold label.

    ``gold`` maps mention id -> gold event label; mentions without a label are left out of both
    sides. With no pair on a side, its measure is 1.0 (nothing to get wrong).
    """
    groups = [[r.mention for r in e.mentions if r.mention in gold] for e in events]
    counted = _counted(groups, gold)
    if counted is None:
        predicted_pairs = _pairs(groups)
        by_label: dict[str, list[str]] = {}
        for mention, label in gold.items():
            by_label.setdefault(label, []).append(mention)
        expected_pairs = _pairs(by_label.values())
        counted = (
            len(predicted_pairs), len(expected_pairs), len(predicted_pairs & expected_pairs)
        )
    predicted, expected, right = counted
    precision = right / predicted if predicted else 1.0
    recall = right / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted_pairs": float(predicted),
        "gold_pairs": float(expected),
    }
