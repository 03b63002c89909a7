"""The arrays of a fitted incident detector and what they compute: the features' means and
scales, one weight per feature and a bias; a row's probability is the logistic of its
standardised dot product. Written by ``training``, read by ``incident_detector``; numpy only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np


@dataclass(frozen=True)
class FittedDetector:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path, categories: Sequence[str], dims: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle, mean=self.mean.astype(np.float32), scale=self.scale.astype(np.float32),
                weights=self.weights.astype(np.float32), bias=np.float32(self.bias),
                categories=np.asarray(list(categories)), dims=np.int32(dims))

    @classmethod
    def read(cls, handle: IO[bytes]) -> tuple[FittedDetector, tuple[str, ...], int]:
        """The model in an open ``.npz`` file, the categories of its trigger features and the
        width of the word vectors it was fitted on."""
        with np.load(handle, allow_pickle=False) as arrays:
            model = cls(arrays["mean"], arrays["scale"], arrays["weights"],
                        float(arrays["bias"]))
            return model, tuple(str(c) for c in arrays["categories"]), int(arrays["dims"])
