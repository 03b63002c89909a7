"""Tocsin's own one-line summary of an Event (the ``notes`` of the ACLED export).

The line is generated from the Event's normalised fields (type, country and sector of the actors,
place, date, figures, number of sources), never from a source's wording, so no sentence of a
report is copied into an export.
"""

from __future__ import annotations

from tocsin.exports.acled_rules import AcledExportRules, acled_rules
from tocsin.exports.countries import country_name
from tocsin.records import Actor, Event

_COUNT_WORDS = (
    ("killed", "killed"),
    ("injured", "injured"),
    ("displaced", "displaced"),
    ("arrested", "arrested"),
    ("abducted", "abducted"),
)


def describe_actor(actor: Actor | None, rules: AcledExportRules) -> str | None:
    """ "military forces of Russia", "Turkmen civilians of Syria", or None when nothing is known."""
    if actor is None:
        return None
    sector = rules.sector_words.get(actor.sector or "")
    country = country_name(actor.country)
    if sector is None and country is None and actor.group is None:
        return None
    words = " ".join(w for w in (actor.group, sector or "people") if w)
    return f"{words} of {country}" if country else words


def _what(event: Event) -> str:
    if event.acled and len(event.acled) > 1:
        return event.acled[1]
    kind = event.event.capitalize()
    return f"{kind} ({event.mode})" if event.mode else kind


def _where(event: Event) -> str | None:
    place = event.location
    if place is None:
        return None
    parts = [p for p in (place.name or place.text, place.admin1) if p]
    country = country_name(place.country)
    if country and country not in parts:
        parts.append(country)
    unique = list(dict.fromkeys(parts))
    if len(unique) == 1:
        return unique[0]
    return f"{unique[0]} ({', '.join(unique[1:])})"


def _when(event: Event) -> str | None:
    date = event.date
    if date is None or (date.start is None and date.end is None):
        return None
    start, end = date.start or date.end, date.end or date.start
    if date.precision == "published":
        return f"reported {end.isoformat()}" if end else None
    assert start is not None and end is not None
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def _figures(event: Event) -> str | None:
    parts = []
    for kind, word in _COUNT_WORDS:
        value = getattr(event.counts, kind)
        if value is not None:
            parts.append(f"{value:,} {word}")
    if not parts:
        return None
    qualifier = event.counts.qualifier
    text = ", ".join(parts)
    text = f"{qualifier} {text}" if qualifier else text
    if event.counts.unit and event.counts.unit != "people":
        text += f" ({event.counts.unit})"
    return text + (" (sources disagree)" if event.conflicting_counts else "")


def summarize(event: Event, rules: AcledExportRules | None = None) -> str:
    """One line such as "2015-11-20: Air/drone strike by military forces of Russia against ..."."""
    rules = rules or acled_rules()
    line = _what(event)
    by, on = describe_actor(event.actor1, rules), describe_actor(event.actor2, rules)
    if by:
        line += f" by {by}"
    if on:
        line += f" against {on}"
    where = _where(event)
    if where:
        line += f" at {where}"
    when = _when(event)
    if when:
        line = f"{when}: {line}"
    figures = _figures(event)
    if figures:
        line += f"; {figures}"
    reports = len(event.mentions)
    plural = "s" if reports != 1 else ""
    sources = f"{event.sources} independent source{'s' if event.sources != 1 else ''}"
    if event.modality != "asserted":
        line += f"; {event.modality}"
    return f"{line}; {reports} report{plural} from {sources}."
