"""Which Events ACLED would code: the checks of ``[codable]`` in ``data/acled_export.toml``.

An Event is codable when it has an ACLED event type, a known country (ACLED's event id begins with
its ISO alpha-3 code), coordinates and a date; the reasons an Event is not are the texts of the
failed checks.
"""

from __future__ import annotations

from collections.abc import Callable

from tocsin.exports.acled_rules import AcledExportRules, acled_rules
from tocsin.exports.countries import country_name
from tocsin.records import Event


def _has_event_type(event: Event) -> bool:
    return bool(event.acled and event.acled[0])


def _has_country(event: Event) -> bool:
    place = event.location
    return place is not None and country_name(place.country) is not None


def _has_coordinates(event: Event) -> bool:
    place = event.location
    return place is not None and place.lat is not None and place.lon is not None


def _has_date(event: Event) -> bool:
    return event.date is not None and (event.date.start or event.date.end) is not None


CHECKS: dict[str, Callable[[Event], bool]] = {
    "event_type": _has_event_type,
    "country": _has_country,
    "coordinates": _has_coordinates,
    "date": _has_date,
}


def uncodable_reasons(event: Event, rules: AcledExportRules | None = None) -> list[str]:
    """Why ACLED would not code ``event`` (empty when it would), in the order of the rules."""
    rules = rules or acled_rules()
    unknown = sorted(set(rules.codable) - set(CHECKS))
    if unknown:
        raise ValueError(f"data/acled_export.toml [codable]: unknown check(s) {', '.join(unknown)}")
    return [reason for check, reason in rules.codable.items() if not CHECKS[check](event)]
