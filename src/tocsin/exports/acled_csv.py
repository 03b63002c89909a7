"""ACLED-compatible CSV: ACLED's column names, an HXL hashtag row, one row per Event.

Columns Tocsin knows are filled from the Event (type, actors and their ACLED inter codes, place,
date and their precisions, fatalities, sources); those it cannot know (associated actors, admin2,
admin3, source scale) stay empty. ``notes`` is Tocsin's generated summary (``summarize``), never a
source's sentence. Events that ACLED does not code (displacement, diplomacy, aid) are written with
empty ACLED types unless ``acled_only`` is set; their Tocsin category is in ``tags``.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tocsin.exports.acled_rules import AcledExportRules, acled_rules
from tocsin.exports.countries import country_name, country_numeric
from tocsin.exports.summary import describe_actor, summarize
from tocsin.records import Actor, Event

Cell = str | int | float | None


def acled_columns() -> tuple[str, ...]:
    """The export's column names, in order (ACLED's)."""
    return acled_rules().columns


def hxl_row() -> tuple[str, ...]:
    """The HXL hashtag of each column, in order."""
    return acled_rules().hxl


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
    inter1 = inter_code(event.actor1, event, rules)
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
        "actor1": _actor_name(event.actor1, rules),
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": _actor_name(event.actor2, rules),
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": civilian,
        "iso": country_numeric(iso3),
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


@contextmanager
def _text_sink(target: str | Path | IO[str]) -> Iterator[IO[str]]:
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            yield handle
    else:
        yield target


def to_acled_csv(
    events: Iterable[Event],
    target: str | Path | IO[str],
    *,
    timestamp: int | None = None,
    acled_only: bool = False,
) -> int:
    """Write the ACLED CSV (header, HXL row, events) to a path or text file; return rows written.

    ``timestamp`` (Unix seconds, ACLED's last-modified column) defaults to now.
    """
    rules = acled_rules()
    stamp = int(time.time()) if timestamp is None else timestamp
    written = 0
    with _text_sink(target) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rules.columns)
        writer.writerow(rules.hxl)
        for event in events:
            if acled_only and not event.acled:
                continue
            row = acled_row(event, stamp, rules)
            writer.writerow(["" if cell is None else cell for cell in row])
            written += 1
    return written


def acled_csv_text(events: Iterable[Event], **options: int | bool | None) -> str:
    """The ACLED CSV as a string."""
    buffer = io.StringIO()
    to_acled_csv(events, buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()
