"""Counts across sources: keep every figure, choose one by the documented rule, flag conflicts.

The rule (``[counts]`` in data/fusion.toml, after ACLED's "most conservative estimate"):

1. every figure of every mention is kept as a ``CountReport``;
2. the figures of one independent source (one outlet, or copies of one wire story) are that
   source's own updates: its figure is their maximum (``within_source``);
3. the Event's figure is the minimum over independent sources (``across_sources``);
4. household figures are used only when no source gives a figure in the preferred unit (people);
5. the counts conflict when the sources' figures differ by more than ``conflict_ratio`` of the
   largest and by at least ``conflict_min_difference``;
6. an unconfirmed upper claim ("as many as 60", ``Counts.upper``) is never the figure: the
   Event keeps the highest claim above its chosen figure beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tocsin.fusion.rules import FusionRules
from tocsin.records import CountReport, Counts, EventMention


@dataclass
class CountInput:
    mention_id: str
    mention: EventMention
    source_group: int
    outlet: str | None


@dataclass
class CountOutcome:
    counts: Counts
    reports: list[CountReport]
    conflicting: bool


def _pick(values: list[int], how: str) -> int:
    return max(values) if how == "max" else min(values)


def fuse_counts(inputs: Sequence[CountInput], rules: FusionRules) -> CountOutcome:
    """Combine the counts of an event's mentions (``inputs`` in canonical order)."""
    reports: list[CountReport] = []
    counts = Counts()
    conflicting = False
    units: set[str] = set()
    qualifier: str | None = None
    figures = [item.mention.counts for item in inputs]
    for kind in rules.count_kinds:
        given = [getattr(f, kind, None) for f in figures]
        if given.count(None) == len(given):
            continue
        entries = []
        for item, f, value in zip(inputs, figures, given, strict=True):
            if value is None:
                continue
            reports.append(
                CountReport(
                    kind=kind,
                    value=value,
                    qualifier=f.qualifier,
                    mention=item.mention_id,
                    source=item.outlet,
                )
            )
            entries.append((item.source_group, value, f.qualifier, f.unit or rules.preferred_unit))
        preferred = [e for e in entries if e[3] == rules.preferred_unit]
        usable = preferred or entries
        by_source: dict[int, list[tuple[int, str | None]]] = {}
        for group, value, qual, _unit in usable:
            by_source.setdefault(group, []).append((value, qual))
        source_figures: list[tuple[int, str | None]] = []
        for group in sorted(by_source):
            figure = _pick([v for v, _ in by_source[group]], rules.within_source)
            qual = next(q for v, q in by_source[group] if v == figure)
            source_figures.append((figure, qual))
        chosen = _pick([v for v, _ in source_figures], rules.across_sources)
        chosen_qualifier = next(q for v, q in source_figures if v == chosen)
        setattr(counts, kind, chosen)
        units.add(usable[0][3])
        if qualifier is None:
            qualifier = chosen_qualifier
        values = [v for v, _ in source_figures]
        low, high = min(values), max(values)
        if high - low >= rules.conflict_min_difference and high - low > rules.conflict_ratio * high:
            conflicting = True
    counts.qualifier = qualifier
    for f in figures:  # the highest unconfirmed claim above the chosen figure
        for kind, claim in f.upper.items():
            if claim > max(getattr(counts, kind, None) or 0, counts.upper.get(kind, 0)):
                counts.upper[kind] = claim
    if units:
        counts.unit = rules.preferred_unit if rules.preferred_unit in units else sorted(units)[0]
    return CountOutcome(counts=counts, reports=reports, conflicting=conflicting)
