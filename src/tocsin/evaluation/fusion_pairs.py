"""Pairwise precision and recall of fusion on a multi-incident set (``tocsin eval fusion DIR``).

The set is a folder of scenario files (``tests/fixtures/multi_incident``, its README says how they
are written): reports with a publication date and a source, and gold pairs (substring of an
evidence sentence, incident id). The reports go through the product exactly as a user's would:
``tocsin run`` reads them as JSON Lines into a temporary SQLite database (extraction, storage and
the incremental fusion the runner ends with), and ``tocsin events --format jsonl`` lists the
Events. A mention belongs to the incident whose gold substring overlaps its evidence sentence
in the report (the largest overlap wins); a pair of such mentions is *together* when gold gives them
one incident and *fused* when one Event holds them.

Two figures: over every mention of an incident (``all_mentions``), and over the asserted mentions
whose category is the incident's (``incident_mentions``, the main figure). Fusion never joins a
forecast to an asserted event, nor an aid delivery to an air strike, so a mention that extraction
typed or qualified wrongly would count against fusion in the first figure for an error that is
extraction's; ``mentions_of_other_type`` says how many there were.

Besides the pairs, the report checks that no Event holds two mentions whose dates are further
apart than their precision allows (``date_rule``: day within 1 day, a range overlapping, week
within 7 days, month the same month, a date known only from publication within the days before
publication); that rule is written here on its own, not taken from the fusion code it checks.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from tocsin.evaluation.splits import select

DATASET = "multi-incident"
_URL = "https://multi-incident.invalid/{scenario}/{report}"

# Days two mentions' dates may lie apart, by the coarser precision (month, range: overlapping).
DATE_TOLERANCE_DAYS = {"day": 1, "range": 0, "week": 7, "month": 0, "year": 0}
PUBLISHED_LOOKBACK_DAYS = 3  # "published": on the publication day or the few days before it


@dataclass(frozen=True)
class Report:
    scenario: str
    id: str
    published: dt.date
    source: str
    text: str
    gold: tuple[tuple[str, str], ...]  # (substring of an evidence sentence, incident id)
    kinds: tuple[tuple[str, str], ...] = ()  # (incident id, its event category)

    @property
    def url(self) -> str:
        return _URL.format(scenario=self.scenario, report=self.id)


@dataclass(frozen=True)
class ScoredMention:
    mention: str
    report: str  # scenario/report
    incident: str  # scenario/incident
    event: str
    of_type: bool  # asserted, and of the incident's category


@dataclass
class PairCounts:
    together: int = 0
    fused: int = 0
    right: int = 0
    wrong_alike: int = 0  # fused, two incidents, but extracted with one place and close dates
    missed_apart: int = 0  # one incident, not fused, extracted with two places or far dates

    def to_dict(self) -> dict[str, Any]:
        precision = self.right / self.fused if self.fused else 1.0
        recall = self.right / self.together if self.together else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"mentions": 0, "pairs_together": self.together, "pairs_fused": self.fused,
                "precision": round(precision, 4), "recall": round(recall, 4),
                "f1": round(f1, 4),
                "wrong_pairs_extracted_alike": self.wrong_alike,
                "missed_pairs_extracted_apart": self.missed_apart}  # fmt: skip


@dataclass
class FusionReport:
    split: str
    scenarios: int = 0
    reports: int = 0
    incidents: int = 0
    mentions: int = 0
    events: int = 0
    date_violations: int = 0
    missed_gold: int = 0  # gold substrings that no mention's sentence overlaps
    scored: dict[str, PairCounts] = field(default_factory=dict)  # figure -> pair counts
    sizes: dict[str, int] = field(default_factory=dict)  # figure -> mentions scored
    wrong_merges: list[tuple[str, ...]] = field(default_factory=list)
    missed_merges: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self, details: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "split": self.split, "scenarios": self.scenarios, "reports": self.reports,
            "incidents": self.incidents, "mentions": self.mentions, "events": self.events,
            "gold_substrings_without_mention": self.missed_gold,
            "mentions_of_other_type": self.sizes.get("all_mentions", 0)
            - self.sizes.get("incident_mentions", 0),
            "events_with_dates_too_far_apart": self.date_violations,
        }  # fmt: skip
        for name, counts in self.scored.items():
            out[name] = {**counts.to_dict(), "mentions": self.sizes.get(name, 0)}
        if details:  # error reading is for `fit` only
            out["wrong_merges"] = [" + ".join(pair) for pair in self.wrong_merges]
            out["incidents_split"] = [f"{a}: {n} events" for a, n in self.missed_merges]
        return out


def read_reports(directory: Path, split: str = "all") -> list[Report]:
    """The reports of the scenarios of ``split`` (a scenario is the unit of the split)."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise FileNotFoundError(f"{directory}: no scenario files (*.toml)")
    reports: list[Report] = []
    for path in select(files, DATASET, lambda p: p.stem, split):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for item in data["reports"]:
            gold = tuple((str(s), str(i)) for s, i in item.get("gold", []))
            for substring, incident in gold:
                if substring not in item["text"]:
                    raise ValueError(f"{path.name}/{item['id']}: {substring!r} not in its text")
                if incident not in data.get("incidents", {}):
                    raise ValueError(f"{path.name}/{item['id']}: unknown incident {incident!r}")
            kinds = tuple((str(i), str(v.get("event", ""))) for i, v in data["incidents"].items())
            reports.append(Report(
                scenario=path.stem, id=str(item["id"]),
                published=dt.date.fromisoformat(str(item["published"])),
                source=str(item["source"]), text=str(item["text"]).strip(), gold=gold,
                kinds=kinds,
            ))  # fmt: skip
    return reports


def date_rule(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Whether two mention dates (start ordinal, end ordinal, precision) may be one incident's.

    The gap between the two spans may be as large as the coarser precision allows; a date known
    only from publication spans the publication day and the days before it.
    """
    tolerance = max(DATE_TOLERANCE_DAYS.get(a[2], 1), DATE_TOLERANCE_DAYS.get(b[2], 1))
    gap = max(0, b[0] - a[1], a[0] - b[1])
    return gap <= tolerance


def _run(arguments: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tocsin", *arguments],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"tocsin {arguments[0]} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def run_product(reports: Iterable[Report], workdir: Path) -> tuple[list[dict[str, Any]], Path]:
    """``tocsin run`` the reports into a new SQLite database; its Events (as JSON) and path."""
    inputs = workdir / "reports.jsonl"
    with inputs.open("w", encoding="utf-8") as out:
        for r in reports:
            record = {"text": r.text, "published": r.published.isoformat(), "source": r.source,
                      "url": r.url}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    database = workdir / "fusion.sqlite"
    url = f"sqlite:///{database}"
    _run(["run", str(inputs), "--db", url])
    listed = _run(["events", "--db", url, "--modality", "any", "--format", "jsonl"])
    return [json.loads(line) for line in listed.splitlines() if line.strip()], database


def _mention_places(database: Path) -> dict[str, str | None]:
    """Each stored mention's place name (None when it has none)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT id, location_name FROM event_mentions").fetchall()
    return {mention: name for mention, name in rows}


def _mention_dates(database: Path) -> dict[str, tuple[int, int, str]]:
    """Each stored mention's date span and precision ("published" spans the days before)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT m.id, m.date_start, m.date_end, m.date_precision, d.published "
            "FROM event_mentions m JOIN documents d ON d.id = m.document_id"
        ).fetchall()
    dates: dict[str, tuple[int, int, str]] = {}
    for mention, start, end, precision, published in rows:
        first = start or end
        if precision == "published" or first is None:
            anchor = first or published
            if anchor is None:
                continue
            day = dt.date.fromisoformat(str(anchor)[:10]).toordinal()
            dates[mention] = (day - PUBLISHED_LOOKBACK_DAYS, day, "published")
            continue
        low = dt.date.fromisoformat(str(first)[:10]).toordinal()
        high = dt.date.fromisoformat(str(end or first)[:10]).toordinal()
        dates[mention] = (min(low, high), max(low, high), str(precision or "day"))
    return dates


def _overlaps(report: Report, sentence: str) -> list[tuple[int, str, str]]:
    """(characters shared, substring, incident) for each gold substring the sentence overlaps."""
    found = [(len(s), s, i) for s, i in report.gold if s in sentence]
    at = report.text.find(sentence) if sentence else -1
    if at >= 0:  # a sentence cut short by the parser still overlaps its gold substring
        end = at + len(sentence)
        for substring, incident in report.gold:
            begin = report.text.find(substring)
            shared = min(end, begin + len(substring)) - max(at, begin)
            if begin >= 0 and shared > 0:
                found.append((shared, substring, incident))
    return found


def score(
    reports: list[Report], events: list[dict[str, Any]],
    dates: dict[str, tuple[int, int, str]], split: str,
    places: dict[str, str | None] | None = None,
) -> FusionReport:  # fmt: skip
    """Pairwise scores of ``events`` against the gold of ``reports``. With ``places`` (mention id
    -> extracted place name), the errors are told apart by what extraction gave fusion: wrong
    pairs whose mentions came with one place and compatible dates, missed pairs whose mentions
    came with two places or incompatible dates."""
    places = places or {}

    def alike(a: str, b: str) -> bool:
        return (places.get(a) == places.get(b) and a in dates and b in dates
                and date_rule(dates[a], dates[b]))  # fmt: skip

    by_url = {r.url: r for r in reports}
    result = FusionReport(split=split, reports=len(reports), events=len(events))
    result.scenarios = len({r.scenario for r in reports})
    result.incidents = len({(r.scenario, i) for r in reports for _, i in r.gold})
    scored: list[ScoredMention] = []
    held: set[tuple[str, str]] = set()  # (report, substring) some mention's sentence overlaps
    for event in events:
        dated = [dates[m["mention"]] for m in event["mentions"] if m["mention"] in dates]
        if any(not date_rule(a, b) for a, b in combinations(dated, 2)):
            result.date_violations += 1
        for ref in event["mentions"]:
            result.mentions += 1
            report = by_url.get(ref.get("url") or "")
            if report is None:
                continue
            found = _overlaps(report, ref["sentence"])
            if not found:
                continue
            held.update((report.url, s) for _, s, _ in found)
            incident = max(found)[2]
            kind = dict(report.kinds).get(incident)
            of_type = event.get("modality") == "asserted" and event.get("event") == kind
            scored.append(ScoredMention(
                ref["mention"], f"{report.scenario}/{report.id}",
                f"{report.scenario}/{incident}", event["id"], of_type,
            ))  # fmt: skip
    result.missed_gold = sum(1 for r in reports for s, _ in r.gold if (r.url, s) not in held)
    wrong: Counter[tuple[str, ...]] = Counter()
    for name, members in (("incident_mentions", [m for m in scored if m.of_type]),
                          ("all_mentions", scored)):  # fmt: skip
        counts = result.scored[name] = PairCounts()
        result.sizes[name] = len(members)
        for a, b in combinations(members, 2):
            together, fused = a.incident == b.incident, a.event == b.event
            counts.together += together
            counts.fused += fused
            counts.right += together and fused
            if fused and not together:
                counts.wrong_alike += alike(a.mention, b.mention)
                if name == "incident_mentions":
                    wrong[tuple(sorted((a.incident, b.incident)))] += 1
            elif together and not fused:
                counts.missed_apart += not alike(a.mention, b.mention)
    result.wrong_merges = sorted(wrong)
    spread: dict[str, set[str]] = {}
    for m in scored:
        if m.of_type:
            spread.setdefault(m.incident, set()).add(m.event)
    result.missed_merges = sorted((i, len(e)) for i, e in spread.items() if len(e) > 1)
    return result


def evaluate_fusion(directory: Path, split: str = "check") -> dict[str, Any]:
    """Run the reports of ``split`` through ``tocsin run`` and score the fused Events."""
    reports = read_reports(directory, split)
    with tempfile.TemporaryDirectory(prefix="tocsin-fusion-eval-") as work:
        events, database = run_product(reports, Path(work))
        dates, places = _mention_dates(database), _mention_places(database)
    return score(reports, events, dates, split, places).to_dict(details=split == "fit")
