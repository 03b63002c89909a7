"""Geoparsing evaluation: resolution accuracy within 161 km and end-to-end recognition F1.

Resolution is scored on the gold toponym spans (``resolve_spans``): every gold toponym with
coordinates counts, and one left without an answer counts as wrong (its error is taken as the
largest possible distance, half the Earth's circumference, in the mean and median). Recognition
compares the spans ``find_places`` reports with the gold spans, exactly by character offsets.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluation.geoparse_corpora import GoldArticle, GoldToponym, read_corpus
from tocsin.geodesy import EARTH_RADIUS_KM, distance_km

if TYPE_CHECKING:
    from tocsin.resources import Resources

MISSING_KM = math.pi * EARTH_RADIUS_KM  # the error charged when no answer is given
ACC_KM = 161.0


def recognition_gold(kind: str, article: GoldArticle) -> list[GoldToponym]:
    """The spans that count as toponyms for recognition.

    GeoWebNews also annotates non-toponyms (expressions, languages, homonyms, person demonyms);
    its toponyms are the spans it gives coordinates for. LGL and GeoVirus annotate toponyms only.
    """
    if kind == "geowebnews":
        return [t for t in article.toponyms if t.resolvable]
    return list(article.toponyms)


@dataclass
class GeoparseScore:
    errors_km: list[float]
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    def summary(self, kind: str, articles: int) -> dict[str, Any]:
        n = len(self.errors_km)
        hits = sum(1 for e in self.errors_km if e <= ACC_KM)
        precision = self.true_positives / self.predicted if self.predicted else 0.0
        recall = self.true_positives / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "format": kind,
            "articles": articles,
            "n": n,
            "acc161": round(hits / n, 4) if n else 0.0,
            "mean_km": round(statistics.fmean(self.errors_km), 1) if n else 0.0,
            "median_km": round(statistics.median(self.errors_km), 1) if n else 0.0,
            "recognition": {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "predicted": self.predicted,
                "gold": self.gold,
            },
        }


def score_article(
    kind: str, article: GoldArticle, resources: Resources, score: GeoparseScore
) -> None:
    """Add one article's resolution errors and recognition counts to ``score``."""
    from tocsin.places import find_places_in_text, resolve_spans

    parsed = resources.nlp(article.text)
    resolvable = [t for t in article.toponyms if t.resolvable]
    answers = resolve_spans(article.text, [(t.start, t.end) for t in resolvable], resources, parsed)
    for gold, place in zip(resolvable, answers, strict=True):
        if place.lat is None or place.lon is None:
            score.errors_km.append(MISSING_KM)
        else:
            assert gold.lat is not None and gold.lon is not None
            score.errors_km.append(distance_km(gold.lat, gold.lon, place.lat, place.lon))

    gold_spans = {(t.start, t.end) for t in recognition_gold(kind, article)}
    found = {(p.start, p.end) for p in find_places_in_text(article.text, parsed, resources)}
    score.gold += len(gold_spans)
    score.predicted += len(found)
    score.true_positives += len(found & gold_spans)


def evaluate_geoparse(
    path: str | Path, resources: Resources, limit: int | None = None
) -> dict[str, Any]:
    """Score resolution and recognition on one corpus file; returns the metrics as a dict."""
    kind, articles = read_corpus(path)
    if limit is not None:
        articles = articles[:limit]
    score = GeoparseScore(errors_km=[])
    for article in articles:
        score_article(kind, article, resources, score)
    return score.summary(kind, len(articles))
