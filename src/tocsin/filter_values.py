"""What a user may type for the ``country`` and ``type`` filters, and what it means.

A country is an ISO 3166-1 alpha-3 code (``SYR``), an alpha-2 code (``SY``) or a name
(``Syria``, ``syrian arab republic``, ``Iran``) that names one country only; it becomes the
alpha-3 code the store holds. A type is one of the ontology's categories (PLOVER's 16 and
DISPLACEMENT), in any case. Anything else is an ``UnknownValue`` naming close matches.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache

# Codes the store can hold that ISO 3166 does not assign (GeoNames' Kosovo).
_EXTRA_COUNTRIES = (("XK", "XKX", "Kosovo"),)


class UnknownValue(ValueError):
    """A filter value that names no country or category; the message lists close matches."""


@dataclass(frozen=True)
class Country:
    alpha_3: str
    alpha_2: str
    name: str

    def label(self) -> str:
        """``Syria (SYR)``: what a user is told was understood."""
        return f"{self.name} ({self.alpha_3})"


def _fold(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces squeezed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = "".join(ch if ch.isalnum() else " " for ch in plain.casefold())
    return " ".join(kept.split())


@cache
def _countries() -> tuple[tuple[Country, tuple[str, ...]], ...]:
    """Every country with its folded names (common, short and official)."""
    import pycountry

    found: list[tuple[Country, tuple[str, ...]]] = []
    for record in pycountry.countries:
        names = [getattr(record, attr, None) for attr in ("common_name", "name", "official_name")]
        shown = next(n for n in names if n)
        found.append(
            (Country(record.alpha_3, record.alpha_2, shown),
             tuple(dict.fromkeys(_fold(n) for n in names if n)))
        )
    for alpha_2, alpha_3, name in _EXTRA_COUNTRIES:
        found.append((Country(alpha_3, alpha_2, name), (_fold(name),)))
    return tuple(found)


def _country_suggestions(text: str) -> list[str]:
    folded = _fold(text)
    by_key: dict[str, Country] = {}
    for country, names in _countries():
        by_key.setdefault(country.alpha_3.casefold(), country)
        by_key.setdefault(country.alpha_2.casefold(), country)
        for name in names:
            by_key.setdefault(name, country)
    close = difflib.get_close_matches(folded, list(by_key), n=8, cutoff=0.6)
    labels = [by_key[key].label() for key in close]
    return list(dict.fromkeys(labels))[:5]


def resolve_country(text: str) -> Country:
    """The country ``text`` names; ``UnknownValue`` when it names none, or several."""
    value = text.strip()
    folded = _fold(value)
    if not folded:
        raise UnknownValue("country: empty (expected an ISO 3166 code or a country name)")
    countries = _countries()
    code = value.upper()
    if len(code) == 3 and code.isalpha():
        for country, _names in countries:
            if country.alpha_3 == code:
                return country
    if len(code) == 2 and code.isalpha():
        for country, _names in countries:
            if country.alpha_2 == code:
                return country
    exact = [country for country, names in countries if folded in names]
    if len(exact) == 1:
        return exact[0]
    starting = exact or [
        country for country, names in countries
        if any(name.startswith(folded) for name in names)
    ]
    if len(starting) == 1 and len(folded) >= 4:
        return starting[0]
    if len(starting) > 1:
        choices = ", ".join(c.label() for c in starting[:8])
        raise UnknownValue(f"country: {text!r} is ambiguous: {choices}")
    suggestions = _country_suggestions(value)
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise UnknownValue(
        f"country: unknown {text!r} (expected an ISO 3166 code or name, e.g. SYR, SY or "
        f"Syria){hint}"
    )


@cache
def event_types() -> tuple[str, ...]:
    """The ontology's categories, PLOVER's 16 then DISPLACEMENT."""
    from tocsin.mentions.typing.ontology import Ontology

    return tuple(Ontology.load().categories)


def resolve_event_type(text: str) -> str:
    """The category ``text`` names (case and separators ignored), or ``UnknownValue``."""
    wanted = "_".join(_fold(text).upper().split())
    known = event_types()
    if wanted in known:
        return wanted
    close = difflib.get_close_matches(wanted, known, n=4, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UnknownValue(f"type: unknown {text!r} ({hint}known: {', '.join(known)})")
