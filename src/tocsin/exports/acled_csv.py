"""ACLED-compatible CSV: ACLED's column names, one row per Event that ACLED would code.

Columns Tocsin knows are filled from the Event (type, actors and their ACLED inter codes, place,
date and their precisions, fatalities, sources); those it cannot know (associated actors, admin2,
admin3, source scale) stay empty; ``iso3`` follows ACLED's columns. ``notes`` is Tocsin's
generated summary (``summarize``), never a source's sentence.

Only Events ACLED would code are written (``acled_codable``: an ACLED event type, a known country,
coordinates, a date); the others are counted by reason in the returned ``AcledExport``, or written
too with ``all_rows=True``, with empty ACLED types and their Tocsin category in ``tags``. The HXL
hashtag row is written only with ``hxl=True``: tools that are not HXL-aware (pandas, GDAL, QGIS)
would read it as data and type every column as text. Written to a path without the HXL row, the
file gets a GDAL ``.csvt`` sidecar giving each column's type.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tocsin.exports.acled_codable import uncodable_reasons
from tocsin.exports.acled_rules import AcledExportRules, acled_rules
from tocsin.exports.countries import country_name, country_numeric
from tocsin.exports.summary import describe_actor, summarize
from tocsin.exports.typed_csv import csv_cell, text_sink, write_csvt
from tocsin.records import Actor, Event

Cell = str | int | float | None


def acled_columns() -> tuple[str, ...]:
    """The export's column names, in order (ACLED's, then ``iso3``)."""
    return acled_rules().columns


def hxl_row() -> tuple[str, ...]:
    """The HXL hashtag of each column, in order (the optional second row)."""
    return acled_rules().hxl


def acled_column_types() -> tuple[str, ...]:
    """The type of each column, in order (``string``, ``integer``, ``date``, ...)."""
    return acled_rules().types


def inter_code(
    actor: Actor | None, event: Event, rules: AcledExportRules, acting: bool = True
) -> int | None:
    """ACLED's actor type code (1-8) of an actor of ``event``, None when the actor is unknown.

    ``acting`` is true for actor1 (a crowd acting in a protest is protesters, not civilians).
    """
    if actor is None:
        return None
    inter = rules.inter
    code = inter["sectors"].get(actor.sector or "")
    acled_type = event.acled[0] if event.acled else None
    crowd = inter["crowd_event_types"].get(acled_type or "")
    if acting and crowd is not None and code in (None, 3, 7):
        return int(crowd)
    if actor.sector in inter["identity_militia_sectors"] and actor.group:
        return int(inter["identity_militia"])
    place_country = event.location.country if event.location else None
    if (
        actor.sector in inter["state_sectors"]
        and actor.country
        and place_country
        and actor.country != place_country
    ):
        return int(inter["foreign_state"])
    return int(code) if code is not None else None


@dataclass(frozen=True)
class UnnamedActor:
    """ACLED's acting side of an event whose report names none."""

    name: str  # "Unidentified Armed Group (Mexico)"; empty when the country is unknown
    country: str | None  # ISO 3166 alpha-3 code: the event's country
    inter: int  # ACLED's actor type code


def unnamed_actor1(
    acled_type: str | None, place_country: str | None, rules: AcledExportRules | None = None
) -> UnnamedActor | None:
    """The actor1 ACLED codes for an event of ``acled_type`` in ``place_country`` (alpha-3)
    whose report names no acting side: the unidentified armed group, rioters or protesters of
    the event's country (``[inter.unnamed_actor1]``), or None for types that take no such
    actor. The ACLED export writes it; ``tocsin eval acled`` scores its country."""
    rules = rules or acled_rules()
    kind = rules.inter.get("unnamed_actor1", {}).get(acled_type or "")
    if kind is None:
        return None
    country = country_name(place_country)
    return UnnamedActor(f"{kind['name']} ({country})" if country else "",
                        place_country if country else None, int(kind["inter"]))


def _interaction(first: int | None, second: int | None) -> int | None:
    if first is None and second is None:
        return None
    if first is None or second is None:
        return (first or second or 0) * 10
    low, high = sorted((first, second))
    return low * 10 + high


def _time_precision(event: Event, rules: AcledExportRules) -> int:
    date = event.date
    if date is None or (date.start is None and date.end is None):
        return 3
    table = rules.time_precision
    code = int(table.get(date.precision or "", 2))
    if date.precision == "range" and date.start and date.end:
        if (date.end - date.start).days + 1 > int(table["range_week_days"]):
            return 3
    return code


def _actor_name(actor: Actor | None, rules: AcledExportRules) -> str:
    """A normalised name ("Military forces of Russia"), else the report's wording."""
    if actor is None:
        return ""
    described = describe_actor(actor, rules)
    if described and (actor.country or actor.group):
        return described[0].upper() + described[1:]
    return actor.text


def acled_row(event: Event, timestamp: int, rules: AcledExportRules | None = None) -> list[Cell]:
    """One Event as the cells of an ACLED row, in column order."""
    rules = rules or acled_rules()
    place = event.location
    iso3 = place.country if place else None
    acled_type = event.acled[0] if event.acled else ""
    sub_type = event.acled[1] if event.acled and len(event.acled) > 1 else ""
    disorder = rules.disorder["sub_event_types"].get(sub_type) or rules.disorder["event_types"].get(
        acled_type, ""
    )
    unnamed = unnamed_actor1(acled_type, iso3, rules) if event.actor1 is None else None
    inter1 = unnamed.inter if unnamed else inter_code(event.actor1, event, rules)
    inter2 = inter_code(event.actor2, event, rules, acting=False)
    civilian = (
        rules.disorder["civilian_targeting"]
        if inter2 == 7 and disorder.startswith("Political violence")
        else ""
    )
    start = event.date.start or event.date.end if event.date else None
    outlets = sorted({r.source for r in event.mentions if r.source})
    tags = [f"tocsin_event={event.event}"]
    if event.mode:
        tags.append(f"tocsin_mode={event.mode}")
    tags += [
        f"modality={event.modality}",
        f"confidence={event.confidence:.2f}",
        f"reports={len(event.mentions)}",
        f"independent_sources={event.sources}",
    ]
    if event.conflicting_counts:
        tags.append("conflicting_counts")
    values: dict[str, Cell] = {
        "event_id_cnty": f"{iso3 or 'XXX'}{event.id}",
        "event_date": start.isoformat() if start else "",
        "year": start.year if start else "",
        "time_precision": _time_precision(event, rules),
        "disorder_type": disorder,
        "event_type": acled_type,
        "sub_event_type": sub_type,
        "actor1": unnamed.name if unnamed else _actor_name(event.actor1, rules),
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": _actor_name(event.actor2, rules),
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": civilian,
        "iso": country_numeric(iso3),
        "iso3": iso3 if country_name(iso3) else "",
        "region": rules.region_of.get(iso3 or "", ""),
        "country": country_name(iso3) or "",
        "admin1": place.admin1 if place and place.admin1 else "",
        "admin2": "",
        "admin3": "",
        "location": (place.name or place.text) if place else "",
        "latitude": round(place.lat, 4) if place and place.lat is not None else "",
        "longitude": round(place.lon, 4) if place and place.lon is not None else "",
        "geo_precision": rules.geo_precision.get(place.precision or "", 3) if place else "",
        "source": "; ".join(outlets),
        "source_scale": "",
        "notes": summarize(event, rules),
        "fatalities": event.counts.killed or 0,
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }
    return [values[column] for column in rules.columns]


@dataclass(frozen=True)
class AcledExport:
    """What an ACLED export wrote: rows written, Events left out and how many for each reason.

    An Event left out for several reasons counts once in ``left_out`` and once under each reason.
    """

    written: int
    left_out: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def describe(self, where: str | None = None) -> str:
        """One line for a person: "ACLED: 4 rows written to x.csv, 1 left out as ...".

        ``where`` names the file written, when there is one.
        """
        line = f"ACLED: {self.written} row{'s' if self.written != 1 else ''} written"
        if where:
            line += f" to {where}"
        if not self.left_out:
            return line + ", none left out"
        why = ", ".join(f"{count} {reason}" for reason, count in self.reasons.items())
        return (
            f"{line}, {self.left_out} left out as ACLED would not code them ({why}); "
            "--all-rows keeps them"
        )


def to_acled_csv(
    events: Iterable[Event],
    target: str | Path | IO[str],
    *,
    timestamp: int | None = None,
    all_rows: bool = False,
    hxl: bool = False,
    csvt: bool = True,
) -> AcledExport:
    """Write the ACLED CSV (header, HXL row if ``hxl``, codable Events) to a path or text file.

    ``timestamp`` (Unix seconds, ACLED's last-modified column) defaults to now. ``all_rows`` writes
    every Event, codable or not. ``csvt`` writes the GDAL sidecar when ``target`` is a path and
    there is no HXL row.
    """
    rules = acled_rules()
    stamp = int(time.time()) if timestamp is None else timestamp
    written, left_out = 0, 0
    reasons: Counter[str] = Counter()
    with text_sink(target) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rules.columns)
        if hxl:
            writer.writerow(rules.hxl)
        for event in events:
            why = [] if all_rows else uncodable_reasons(event, rules)
            if why:
                left_out += 1
                reasons.update(why)
                continue
            writer.writerow([csv_cell(cell) for cell in acled_row(event, stamp, rules)])
            written += 1
    if csvt and not hxl and isinstance(target, (str, Path)):
        write_csvt(target, rules.types)
    ordered = {reason: reasons[reason] for reason in rules.codable.values() if reasons[reason]}
    return AcledExport(written, left_out, ordered)


def acled_csv_text(
    events: Iterable[Event],
    *,
    timestamp: int | None = None,
    all_rows: bool = False,
    hxl: bool = False,
) -> str:
    """The ACLED CSV as a string."""
    buffer = io.StringIO()
    to_acled_csv(events, buffer, timestamp=timestamp, all_rows=all_rows, hxl=hxl)
    return buffer.getvalue()
