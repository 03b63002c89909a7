"""Fitting the incident detector: a class-balanced L2 logistic regression over
``sentence_features`` rows, cross-validated by groups (whole documents), kept as the arrays of
``FittedDetector``. Needs scikit-learn; inference does not."""

from __future__ import annotations

import numpy as np

from tocsin.mentions.detection.fitted_detector import FittedDetector


def fit_detector(rows: np.ndarray, labels: np.ndarray, weights: np.ndarray,
                 c: float) -> FittedDetector:
    """The logistic model of ``labels`` (0/1) given ``rows``, each row weighted, the two
    classes given the same total weight."""
    from sklearn.linear_model import LogisticRegression

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    balanced = weights.astype(np.float64).copy()
    for value in (0, 1):
        chosen = labels == value
        if chosen.any():
            balanced[chosen] *= len(labels) / (2.0 * balanced[chosen].sum())
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit((rows - mean) / scale, labels, sample_weight=balanced)
    return FittedDetector(mean, scale, model.coef_[0].astype(np.float64),
                          float(model.intercept_[0]))


def out_of_fold(rows: np.ndarray, labels: np.ndarray, weights: np.ndarray, folds: np.ndarray,
                c: float) -> np.ndarray:
    """Each row's probability from the model fitted on the other folds."""
    found = np.zeros(len(labels), dtype=np.float64)
    for fold in np.unique(folds):
        held = folds == fold
        model = fit_detector(rows[~held], labels[~held], weights[~held], c)
        found[held] = model.probabilities(rows[held])
    return found


def precision_recall_at(probabilities: np.ndarray, labels: np.ndarray,
                        threshold: float) -> tuple[float | None, float | None, int]:
    """(precision, recall, rows taken) of taking the rows at or above ``threshold``."""
    taken = probabilities >= threshold
    positives = int(labels.sum())
    hits = int((taken & (labels == 1)).sum())
    precision = hits / int(taken.sum()) if taken.any() else None
    recall = hits / positives if positives else None
    return (None if precision is None else round(precision, 4),
            None if recall is None else round(recall, 4), int(taken.sum()))
