"""Fitting a conditional logit: the training shared by the learned rankers (places, event places).

Each group (one mention) has candidate rows; the model's probability of a row is the softmax of
``rows @ w`` within its group. ``fit`` maximises the weighted sum over groups of log P(a right
row) minus l2/2 * |w|^2 with L-BFGS. Only training imports scipy; inference is a dot product.
Model files are JSON: metadata and the weights by feature name (``weights_json``).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np


def fit(
    x: np.ndarray,
    group: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    l2: float,
    maxiter: int,
) -> np.ndarray:
    """Weights for rows ``x`` of groups ``group`` (0..n-1), ``right`` marking right rows and
    ``weight`` each group's weight in the loss."""
    from scipy.optimize import minimize

    n = len(weight)
    if n == 0:
        raise ValueError("no mention with a choice to learn from")

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, group, s)
        e = np.exp(s - top[group])
        total = np.bincount(group, e, n)
        good = np.bincount(group, e * right, n)
        p = e / total[group]
        q = np.where(right, e / good[group], 0.0)
        value = -np.sum(weight * np.log(good / total)) + 0.5 * l2 * float(w @ w)
        grad = (weight[group] * (p - q)) @ x + l2 * w
        return float(value), grad

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B",
                      options={"maxiter": maxiter})
    return np.asarray(result.x, dtype=float)


def weights_json(features: tuple[str, ...], weights: tuple[float, ...],
                 meta: dict[str, Any]) -> str:
    """A model file: its metadata and its weights by feature name."""
    data = {**meta, "features": dict(zip(features, weights, strict=True))}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def read_weights(text: str, features: tuple[str, ...],
                 what: str) -> tuple[tuple[float, ...], dict[str, Any]]:
    """(weights, metadata) of a model file; its feature names must be exactly ``features``."""
    data = json.loads(text)
    weights = data.pop("features")
    if list(weights) != list(features):
        missing = sorted(set(features) - set(weights))
        extra = sorted(set(weights) - set(features))
        raise ValueError(f"{what} features differ from the code's: missing {missing}, "
                         f"unknown {extra}")
    return tuple(float(v) for v in weights.values()), data
