"""A mention's profile: the normalised facts that fusion compares (family, window, place, actors).

Profiles are computed once per mention so that comparing two mentions is cheap arithmetic: dates
become day ordinals with the tolerance of their precision, places get their distance limit, actors
their sector group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tocsin.fusion.fingerprint import Fingerprint, packed
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.rules import FusionRules
from tocsin.records import Actor, Place

ActorKey = tuple[str | None, str | None, str | None]  # country, sector group, group


@dataclass(slots=True)
class Profile:
    index: int  # position in canonical order
    id: str
    document: str
    modality: str
    family: str
    mode: str | None
    mode_group: int | None
    place_country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    place_key: str | None
    limit_km: float | None
    weak: bool  # country-level or no usable place
    start: int | None  # window widened by the tolerance, day ordinals; None: too vague to fuse
    end: int | None
    raw_start: int | None  # the stated span (a "published" date: the days before publication)
    raw_end: int | None
    date_tolerance: int  # days the gap to another span may reach (the larger of two decides)
    single_day: int | None
    actor1: ActorKey | None
    actor2: ActorKey | None
    sectors: tuple[str | None, str | None]  # actor1's and actor2's sectors as reported
    counts: tuple[tuple[str, int], ...]
    fingerprint: Fingerprint | None  # packed (``tocsin.fusion.fingerprint.packed``)
    block_countries: tuple[str, ...]

    def signature(self) -> tuple[object, ...]:
        """Everything that decides compatibility, so members with one signature are checked once."""
        return (
            self.modality, self.family, self.mode, self.place_country, self.admin1, self.lat,
            self.lon, self.precision, self.place_key, self.start, self.end, self.raw_start,
            self.raw_end, self.date_tolerance, self.single_day, self.actor1, self.actor2,
            self.counts,
        )  # fmt: skip


def canonical_key(item: MentionInput) -> tuple[int, str]:
    """Canonical order: earliest publication first (undated last), then mention id."""
    published = item.published.toordinal() if item.published else dt.date.max.toordinal()
    return (published, item.id)


def _actor_key(actor: Actor | None, rules: FusionRules, family: str) -> ActorKey | None:
    if actor is None:
        return None
    key = (actor.country, rules.sector_group(actor.sector, family), actor.group)
    return None if key == (None, None, None) else key


def _place_key(place: Place) -> str | None:
    if place.geonameid is not None:
        return f"g{place.geonameid}"
    name = place.name or place.text
    return f"n{(place.country or '')}:{name.casefold()}" if name else None


def _window(
    item: MentionInput, rules: FusionRules, family: str
) -> tuple[int | None, int | None, int | None, int | None, int, int | None]:
    """(start, end, raw_start, raw_end, tolerance, single_day) as day ordinals (the window
    ``start..end`` is the stated span widened by the tolerance); None when too vague."""
    date = item.mention.date
    published = item.published.toordinal() if item.published else None
    start = date.start.toordinal() if date and date.start else None
    end = date.end.toordinal() if date and date.end else None
    precision = date.precision if date else None
    if precision == "published" or (start is None and end is None):
        anchor = end if end is not None else start if start is not None else published
        if anchor is None:
            return None, None, None, None, 0, None
        raw = (anchor - rules.published_lookback_days, anchor)
        tolerance = rules.tolerance_days.get("published", 0)
        tolerance = max(tolerance, rules.family_tolerance_days.get(family, 0))
    else:
        start = start if start is not None else end
        end = end if end is not None else start
        assert start is not None and end is not None
        if end < start:
            start, end = end, start
        raw = (start, end)
        tolerance = rules.tolerance_days.get(precision or "", rules.tolerance_days.get("day", 1))
        tolerance = max(tolerance, rules.family_tolerance_days.get(family, 0))
    if raw[1] - raw[0] + 1 > rules.max_window_days:
        return None, None, raw[0], raw[1], tolerance, None
    single = raw[0] if raw[0] == raw[1] and precision in ("day", None) else None
    return raw[0] - tolerance, raw[1] + tolerance, raw[0], raw[1], tolerance, single


def build_profile(
    index: int, item: MentionInput, rules: FusionRules, shared: dict[Any, Any] | None = None
) -> Profile:
    """The profile of ``item`` at canonical position ``index``. With ``shared`` (one dict for
    a whole run), equal actor keys, figures, block countries and place keys are one object
    across profiles, which saves memory on large runs."""
    mention = item.mention
    family = rules.family(mention.event, mention.mode)
    place = mention.location
    if place is not None and place.metonym:
        place = None
    place_country = admin1 = precision = place_key = lat = lon = limit = None
    weak = True
    if place is not None:
        place_country, admin1, precision = place.country, place.admin1, place.precision
        lat, lon = place.lat, place.lon
        place_key = _place_key(place)
        limit = rules.distance_km.get(precision) if precision else None
        located = (lat is not None and lon is not None) or place_key is not None
        weak = not located or precision in rules.weak_precisions or limit is None
    start, end, raw_start, raw_end, tolerance, single = _window(item, rules, family)
    first, second = mention.actor1, mention.actor2
    actor1 = _actor_key(first, rules, family) if first is not None else None
    actor2 = _actor_key(second, rules, family) if second is not None else None
    sectors = (
        first.sector if first is not None else None,
        second.sector if second is not None else None,
    )
    block: tuple[str, ...]
    if place_country:
        block = (place_country,)
    else:
        actor_countries = {a[0] for a in (actor1, actor2) if a is not None and a[0]}
        block = tuple(sorted(actor_countries)) or ("?",)
    figures = mention.counts
    counts = tuple([
        (kind, value) for kind in rules.count_kinds
        if (value := getattr(figures, kind, None)) is not None
    ])  # fmt: skip
    if shared is not None:
        actor1, actor2 = shared.setdefault(actor1, actor1), shared.setdefault(actor2, actor2)
        counts, block = shared.setdefault(counts, counts), shared.setdefault(block, block)
        place_key = shared.setdefault(place_key, place_key)
        sectors = shared.setdefault(sectors, sectors)
    return Profile(
        index, item.id, item.document_id, mention.modality, family, mention.mode,
        rules.mode_group(family, mention.mode), place_country, admin1, lat, lon, precision,
        place_key, None if weak else limit, weak, start, end, raw_start, raw_end, tolerance,
        single, actor1, actor2, sectors, counts, packed(item.text_fingerprint), block,
    )  # fmt: skip
