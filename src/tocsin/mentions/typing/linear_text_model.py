"""The shipped typing model at inference: TF-IDF features and a logistic regression on numpy alone.

``default_model`` fits a scikit-learn pipeline (the cue rules' scores, word 1-2-grams and
character 2-5-grams within words, each TF-IDF block L2-normalised, into a multinomial logistic
regression). ``LinearTextModel.from_pipeline`` copies out what inference needs: the two
vocabularies with their idf weights, the coefficients, the intercepts and the classes, all of
them learned from the project's own example sentences. ``save`` and ``load`` keep them in one
``.npz`` file (no pickle), so a process that types sentences imports numpy, not scikit-learn.
``probabilities`` reproduces ``pipeline.predict_proba`` (to rounding: the sums run in another
order); ``tests/test_typing_numpy.py`` holds the two to each other.

Text is analysed as scikit-learn's ``TfidfVectorizer`` does with the settings the fit uses:
lower-cased; words are runs of two or more word characters; character n-grams are taken inside
each whitespace-separated word padded with one space either side.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
_WORD = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")


def word_terms(text: str, longest: int = 2) -> list[str]:
    """Word n-grams (1 to ``longest``) of the lower-cased text."""
    tokens = _WORD.findall(text.lower())
    terms = list(tokens)
    for n in range(2, min(longest, len(tokens)) + 1):
        terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return terms


def char_terms(text: str, shortest: int = 2, longest: int = 5) -> list[str]:
    """Character n-grams inside each word padded with spaces; a word shorter than n gives
    itself once."""
    terms: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(shortest, longest + 1):
            offset = 0
            terms.append(padded[offset : offset + n])
            while offset + n < size:
                offset += 1
                terms.append(padded[offset : offset + n])
            if offset == 0:
                break
    return terms


@dataclass(frozen=True)
class TfidfBlock:
    """One TF-IDF block: term -> column (from ``offset``), idf per column, sublinear tf, L2."""

    vocabulary: dict[str, int]
    idf: Any  # float64 array, one per column
    offset: int
    terms: Callable[[str], list[str]]

    def columns(self, text: str) -> tuple[list[int], Any]:
        counts = Counter(t for t in self.terms(text) if t in self.vocabulary)
        if not counts:
            return [], np.zeros(0)
        local = [self.vocabulary[t] for t in counts]
        values = (1.0 + np.log(np.array(list(counts.values()), dtype=float))) * self.idf[local]
        norm = np.sqrt(np.dot(values, values))
        if norm > 0:
            values = values / norm
        return [self.offset + c for c in local], values


@dataclass(frozen=True)
class LinearTextModel:
    classes: list[str]
    cue_columns: int  # the cue features come first
    words: TfidfBlock
    chars: TfidfBlock
    weights: Any  # (features, classes): the logistic regression's coefficients, transposed
    intercept: Any  # (classes,)

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearTextModel:
        """The numbers of a fitted ``default_model`` pipeline (read by attribute: no import)."""
        union, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
        blocks = dict(union.transformer_list)
        words, chars = blocks["words"], blocks["chars"]
        coef = np.asarray(regression.coef_, dtype=float)
        n_cues = coef.shape[1] - len(words.vocabulary_) - len(chars.vocabulary_)
        return cls._assemble(
            [str(c) for c in regression.classes_], n_cues,
            _ordered(words.vocabulary_), np.asarray(words.idf_, dtype=float),
            _ordered(chars.vocabulary_), np.asarray(chars.idf_, dtype=float),
            coef, np.asarray(regression.intercept_, dtype=float),
        )

    @classmethod
    def _assemble(cls, classes: list[str], n_cues: int, words: Sequence[str], word_idf: Any,
                  chars: Sequence[str], char_idf: Any, coef: Any,
                  intercept: Any) -> LinearTextModel:
        return cls(
            classes, n_cues,
            TfidfBlock({t: i for i, t in enumerate(words)}, word_idf, n_cues, word_terms),
            TfidfBlock({t: i for i, t in enumerate(chars)}, char_idf, n_cues + len(words),
                       char_terms),
            np.ascontiguousarray(coef.T), intercept,
        )

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(
                handle, format=np.array(FORMAT), classes=np.array(self.classes),
                cue_columns=np.array(self.cue_columns),
                words=np.array(_ordered(self.words.vocabulary)), word_idf=self.words.idf,
                chars=np.array(_ordered(self.chars.vocabulary)), char_idf=self.chars.idf,
                coef=self.weights.T, intercept=self.intercept,
            )

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != FORMAT:
                raise ValueError(f"{path}: typing model format {int(data['format'])}")
            return cls._assemble(
                [str(c) for c in data["classes"]], int(data["cue_columns"]),
                [str(t) for t in data["words"]], data["word_idf"],
                [str(t) for t in data["chars"]], data["char_idf"],
                data["coef"], data["intercept"],
            )

    def probabilities(self, texts: Sequence[str], cue_rows: Any) -> Any:
        """Softmax of the linear scores: one row per text (``cue_rows``: ``cue_features``)."""
        scores = np.tile(self.intercept, (len(texts), 1))
        scores += np.asarray(cue_rows, dtype=float) @ self.weights[: self.cue_columns]
        for row, text in enumerate(texts):
            for block in (self.words, self.chars):
                columns, values = block.columns(text)
                if columns:
                    scores[row] += values @ self.weights[columns]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def _ordered(vocabulary: dict[str, Any]) -> list[str]:
    """The terms in column order."""
    terms = [""] * len(vocabulary)
    for term, column in vocabulary.items():
        terms[int(column)] = term
    return terms
