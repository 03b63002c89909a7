"""Shared scoring for event type classification: F1 figures over label lists."""

from __future__ import annotations

from collections.abc import Sequence


def f1_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """macro_f1, weighted_f1 and accuracy over the gold labels' classes."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    if not gold:
        return {"macro_f1": 0.0, "weighted_f1": 0.0, "accuracy": 0.0}
    return {
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro",
                                         zero_division=0)), 4),
        "weighted_f1": round(float(f1_score(gold, predicted, labels=labels, average="weighted",
                                            zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
    }
