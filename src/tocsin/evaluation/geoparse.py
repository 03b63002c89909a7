"""Geoparsing evaluation: resolution accuracy within 161 km and end-to-end recognition F1.

Both go through ``tocsin.extract``. Resolution is scored on the gold toponym spans
(``extract(text, toponyms=spans)``, which resolves exactly those spans): every gold toponym with
coordinates counts, and one left without an answer counts as wrong (its error is taken as the
largest possible distance, half the Earth's circumference, in the mean and median). Recognition
compares the places ``extract(text)`` reports with the gold spans, exactly by character offsets;
when cleaning changed the text, the places' offsets are mapped back onto the original text
through the parts the two texts share (a place in changed text matches nothing). ``raw_acc161``
is the share of resolvable gold toponyms that a toponym the product finds on its own overlaps
and places within 161 km (the measure of Mordecai 3's authors; it was an exact span match
before issue 15). Units are whole articles (their text).
"""

from __future__ import annotations

import difflib
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluation.common import choose, split_info
from tocsin.evaluation.geoparse_corpora import GoldArticle, GoldToponym, read_corpus
from tocsin.extraction import extract
from tocsin.geodesy import EARTH_RADIUS_KM, distance_km

if TYPE_CHECKING:
    from tocsin.resources import Resources

DATASET = "geoparse"

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


def offset_map(cleaned: str, original: str) -> Callable[[int, int], tuple[int, int] | None]:
    """Map a span of ``cleaned`` onto ``original`` through the blocks the two texts share;
    None for a span not inside one shared block."""
    if cleaned == original:
        return lambda start, end: (start, end)
    blocks = [b for b in difflib.SequenceMatcher(None, cleaned, original, autojunk=False)
              .get_matching_blocks() if b.size]

    def to_original(start: int, end: int) -> tuple[int, int] | None:
        for block in blocks:
            if block.a <= start and end <= block.a + block.size:
                shift = block.b - block.a
                return start + shift, end + shift
        return None

    return to_original


@dataclass
class GeoparseScore:
    errors_km: list[float] = field(default_factory=list)
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    raw_hits: int = 0

    def summary(self, kind: str, articles: int, split: str = "all") -> dict[str, Any]:
        n = len(self.errors_km)
        hits = sum(1 for e in self.errors_km if e <= ACC_KM)
        precision = self.true_positives / self.predicted if self.predicted else 0.0
        recall = self.true_positives / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            **split_info(DATASET, split, articles),
            "format": kind,
            "articles": articles,
            "n": n,
            "acc161": round(hits / n, 4) if n else 0.0,
            "mean_km": round(statistics.fmean(self.errors_km), 1) if n else 0.0,
            "median_km": round(statistics.median(self.errors_km), 1) if n else 0.0,
            "raw_acc161": round(self.raw_hits / n, 4) if n else 0.0,
            "recognition": {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "predicted": self.predicted,
                "gold": self.gold,
            },
        }


def _error_km(gold: GoldToponym, place: dict[str, Any] | None) -> float:
    if place is None or place.get("lat") is None or place.get("lon") is None:
        return MISSING_KM
    assert gold.lat is not None and gold.lon is not None
    return distance_km(gold.lat, gold.lon, place["lat"], place["lon"])


def score_article(
    kind: str, article: GoldArticle, resources: Resources | None, score: GeoparseScore
) -> None:
    """Add one article's resolution errors and recognition counts to ``score``."""
    resolvable = [t for t in article.toponyms if t.resolvable]
    if resolvable:
        given = extract(article.text, resources=resources,
                        toponyms=[(t.start, t.end) for t in resolvable])
        by_span = {(p["start"], p["end"]): p for p in given["places"]}
        for gold in resolvable:
            score.errors_km.append(_error_km(gold, by_span.get((gold.start, gold.end))))

    found = extract(article.text, resources=resources)
    to_original = offset_map(found["document"]["text"], article.text)
    raw: dict[tuple[int, int], dict[str, Any]] = {}
    for place in found["places"]:
        span = to_original(place["start"], place["end"])
        if span is not None:
            raw[span] = place
    gold_spans = {(t.start, t.end) for t in recognition_gold(kind, article)}
    score.gold += len(gold_spans)
    score.predicted += len(found["places"])
    score.true_positives += len(set(raw) & gold_spans)
    score.raw_hits += sum(1 for t in resolvable if _placed_by_overlap(t, raw))


def _placed_by_overlap(gold: GoldToponym, raw: dict[tuple[int, int], dict[str, Any]]) -> bool:
    """True when a predicted toponym overlapping the gold span lies within ACC_KM of it (the
    end-to-end figure: "Syria's" found as "Syria", "Aleppo province" as "Aleppo" count)."""
    return any(
        start < gold.end and gold.start < end and _error_km(gold, place) <= ACC_KM
        for (start, end), place in raw.items()
    )


def evaluate_geoparse(
    path: str | Path, resources: Resources | None = None, limit: int | None = None,
    split: str = "check",
) -> dict[str, Any]:
    """Score resolution and recognition on the ``split`` articles of one corpus file."""
    kind, articles = read_corpus(path)
    articles = choose(articles, DATASET, lambda a: a.text, split, limit)
    score = GeoparseScore()
    for article in articles:
        score_article(kind, article, resources, score)
    return score.summary(kind, len(articles), split)
