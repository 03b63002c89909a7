"""``tocsin eval news``: ``tocsin.extract`` against the hand-annotated news set.

Each annotated article (``news_annotations``) is read from the data folder and analysed by
``tocsin.extract`` with its publication date when the corpus gives one. A mention's place in
the article is its evidence sentence, found again in the article's own text (extraction cleans
the text first, so its offsets may differ from the article's).

Two categories are *compatible* when the same family of ``data/news_annotations/scoring.toml``
holds both. The figures:

- ``recall``: a gold incident is found when an asserted mention of a compatible category has an
  evidence sentence that overlaps one of the incident's evidence spans; ``salient_recall`` the
  same over the incidents that are the article's own news.
- ``precision``: an asserted mention is right when its evidence sentence overlaps the evidence
  of a gold incident of a compatible category, or is the act a non-event statement itself is
  (an asserted REQUEST from an appeal: the appeal was made).
- ``non_events_asserted``: the share of non-event statements that come out asserted, i.e. whose
  span an asserted mention's sentence overlaps that is not right (above) and whose category is
  not the statement's own act (an appeal may yield an asserted REQUEST).
- ``modality_accuracy``: over the gold statements some mention touches, the share whose mentions
  carry the right modality: an incident needs an asserted compatible mention; a non-event needs
  every touching mention that is neither right nor its own act to carry one of the modalities
  its kind allows.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tocsin.evaluation.news_annotations import (
    AnnotatedArticle,
    Span,
    article_split,
    article_text,
    default_folder,
    load_annotations,
)
from tocsin.evaluation.splits import SPLITS, UNITS
from tocsin.evaluation.top_mention import rate
from tocsin.extraction import extract
from tocsin.resources import Resources

DATASET = "news"


@dataclass(frozen=True)
class Scoring:
    family: dict[str, str]
    modalities: dict[str, frozenset[str]]
    own: dict[str, frozenset[str]]

    def compatible(self, a: str, b: str) -> bool:
        return self.family.get(a, a) == self.family.get(b, b)


@cache
def scoring(path: Path | None = None) -> Scoring:
    path = path or default_folder() / "scoring.toml"
    with Path(path).open("rb") as handle:
        data = tomllib.load(handle)
    family = {cat: name for name, cats in data["families"].items() for cat in cats}
    kinds = data["kinds"]
    return Scoring(
        family=family,
        modalities={k: frozenset(v.get("modalities", ())) for k, v in kinds.items()},
        own={k: frozenset(v.get("own", ())) for k, v in kinds.items()},
    )


@dataclass(frozen=True)
class Mention:
    category: str
    modality: str
    span: Span


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _touches(mention: Mention, spans: tuple[Span, ...]) -> bool:
    return any(_overlaps(mention.span, span) for span in spans)


def locate(text: str, sentence: str, start: int) -> Span | None:
    """Where ``sentence`` stands in ``text``: the occurrence nearest ``start``, spaces matched
    loosely; None when it is not there."""
    sentence = sentence.strip()
    if not sentence:
        return None
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    found = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not found:
        return None
    return min(found, key=lambda span: abs(span[0] - start))


def mentions(text: str, record: dict[str, Any]) -> list[Mention]:
    """The event mentions of an extraction record, placed in ``text`` by their sentence."""
    out = []
    for event in record.get("events") or ():
        evidence = event.get("evidence") or {}
        start = int(evidence.get("start") or 0)
        span = locate(text, evidence.get("sentence") or "", start)
        if span is None:
            end = int(evidence.get("end") or start + 1)
            span = (start, max(end, start + 1))
        out.append(Mention(str(event.get("event")), str(event.get("modality")), span))
    return out


@dataclass
class Tally:
    incidents: int = 0
    found: int = 0
    salient: int = 0
    salient_found: int = 0
    asserted: int = 0
    right: int = 0
    non_events: int = 0
    non_events_asserted: int = 0
    modality_scored: int = 0
    modality_right: int = 0


def score_article(article: AnnotatedArticle, found: list[Mention], tally: Tally,
                  asserted_kinds: Counter[str], rules: Scoring) -> None:
    asserted = [m for m in found if m.modality == "asserted"]
    right = {id(m) for m in asserted
             if any(rules.compatible(m.category, g.category) and _touches(m, g.evidence)
                    for g in article.incidents)
             or any(m.category in rules.own.get(n.kind, ()) and _touches(m, n.evidence)
                    for n in article.non_events)}
    tally.asserted += len(asserted)
    tally.right += len(right)
    for gold in article.incidents:
        near = [m for m in found
                if rules.compatible(m.category, gold.category) and _touches(m, gold.evidence)]
        hit = any(m.modality == "asserted" for m in near)
        tally.incidents += 1
        tally.found += hit
        tally.salient += gold.salient
        tally.salient_found += gold.salient and hit
        if near:
            tally.modality_scored += 1
            tally.modality_right += hit
    for statement in article.non_events:
        own = rules.own.get(statement.kind, frozenset())
        near = [m for m in found if _touches(m, statement.evidence)
                and id(m) not in right and m.category not in own]
        tally.non_events += 1
        if any(m.modality == "asserted" for m in near):
            tally.non_events_asserted += 1
            asserted_kinds[statement.kind] += 1
        if near:
            allowed = rules.modalities.get(statement.kind, frozenset())
            tally.modality_scored += 1
            tally.modality_right += all(m.modality in allowed for m in near)


def evaluate(data: Path, resources: Resources | None = None, *, split: str = "check",
             annotations: Path | None = None, limit: int | None = None) -> dict[str, Any]:
    """Score ``tocsin.extract`` on the annotated articles of ``split`` read from ``data``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (choose one of {', '.join(SPLITS)})")
    rules = scoring()
    chosen = [a for a in load_annotations(annotations)
              if split == "all" or article_split(data, a) == split]
    chosen = chosen[:limit] if limit else chosen
    tally = Tally()
    asserted_kinds: Counter[str] = Counter()
    non_event_kinds: Counter[str] = Counter()
    for article in chosen:
        text = article_text(data, article)
        record = extract(text, article.published, resources)
        score_article(article, mentions(text, record), tally, asserted_kinds, rules)
        non_event_kinds.update(n.kind for n in article.non_events)
    return {
        "split": split,
        "unit": UNITS[DATASET],
        "units": len(chosen),
        "articles": len(chosen),
        "incidents": tally.incidents,
        "salient_incidents": tally.salient,
        "recall": rate(tally.found, tally.incidents),
        "salient_recall": rate(tally.salient_found, tally.salient),
        "asserted_mentions": tally.asserted,
        "precision": rate(tally.right, tally.asserted),
        "non_events": tally.non_events,
        "non_events_asserted": rate(tally.non_events_asserted, tally.non_events),
        "non_events_asserted_by_kind": {
            kind: f"{asserted_kinds[kind]}/{count}" for kind, count in sorted(
                non_event_kinds.items())},
        "modality_scored": tally.modality_scored,
        "modality_accuracy": rate(tally.modality_right, tally.modality_scored),
    }
