"""Country names and ISO 3166 numeric codes from alpha-3 codes (pycountry, with ACLED's names)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from tocsin.exports.acled_rules import acled_rules


@lru_cache(maxsize=512)
def _lookup(alpha3: str) -> tuple[str, int | None] | None:
    overrides = acled_rules().country_names
    country = pycountry.countries.get(alpha_3=alpha3.upper())
    if country is None:
        return (overrides[alpha3], None) if alpha3 in overrides else None
    name = overrides.get(alpha3) or getattr(country, "common_name", None) or country.name
    numeric = getattr(country, "numeric", None)
    return name, int(numeric) if numeric else None


def country_name(alpha3: str | None) -> str | None:
    """The common English name of a country ("Syria" for SYR), or None when unknown."""
    found = _lookup(alpha3) if alpha3 else None
    return found[0] if found else None


def country_numeric(alpha3: str | None) -> int | None:
    """The ISO 3166-1 numeric code (760 for SYR), or None when unknown."""
    found = _lookup(alpha3) if alpha3 else None
    return found[1] if found else None
