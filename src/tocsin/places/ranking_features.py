"""The features the place ranker scores a gazetteer candidate by, in its document.

Every feature is a number computed from properties of the candidate (its kind of place,
population, how its name matched) and of the document (the countries and first-order areas the
other places point to, qualifiers written next to the name, nearness to the other places). None
holds text, so a model over them holds no text of the corpora it was trained on.
The kinds of place are grouped in ``data/places/feature_groups.toml``.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from importlib import resources as package_files
from typing import Any

from tocsin.places.names import normalise_name

# Place kinds, in the order of their one-hot features.
GROUPS = (
    "country", "region", "admin1", "admin2", "admin3", "historical", "capital", "seat1",
    "seat2", "town", "section", "sea", "water", "terrain", "area", "site", "other",
)
# Numeric features after the kind one-hots.
SIGNALS = (
    "code_prior",  # the feature code's prominence in data/places/resolution.toml
    "town_of_area",  # a town that shares its name with an admin area it lies in ("Lagos")
    "log_population",  # log10(population + 1), else the feature code's stand-in
    "no_population",  # GeoNames has no population for it
    "population_gap",  # log_population minus the largest among the mention's candidates
    "loose_match",  # found only by a folded name or a transliteration variant
    "main_name",  # the gazetteer's main name is the text as written (``same_name``)
    "document_country",  # the other places' weight on its country (capped)
    "document_admin1",  # the other places' weight on its first-order area (capped)
    "abroad",  # the document points to countries, none of them its own
    "qualifier",  # qualifiers written next to the name that contain it ("Salma, Latakia")
    "near",  # within near_km of another place the document resolved
    "kind_cue",  # the word after the name ("X region", "X village") says its kind: +1 agrees
    "list_kind",  # agreement of its kind with the names listed with it ("Ohio, Oregon and X")
)
_AREA_KINDS = frozenset({"country", "region", "admin1", "admin2", "admin3"})
_SETTLEMENT_KINDS = frozenset({"capital", "seat1", "seat2", "town", "section"})
FEATURES = tuple(f"kind_{g}" for g in GROUPS) + SIGNALS


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    path = package_files.files("tocsin").joinpath("data", "places", "feature_groups.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, str], dict[str, str]]:
    data = _data()
    by_code = {code: group for group, codes in data["codes"].items() for code in codes}
    by_class = {str(k): str(v) for k, v in data["classes"].items()}
    unknown = (set(by_code.values()) | set(by_class.values())) - set(GROUPS)
    if unknown:
        raise ValueError(f"feature_groups.toml names unknown groups: {sorted(unknown)}")
    return by_code, by_class


def kind_of(entry: Any) -> str:
    """The place kind (one of ``GROUPS``) of a gazetteer entry."""
    by_code, by_class = _groups()
    return by_code.get(entry.feature_code) or by_class.get(entry.feature_class, "other")


def log_population(entry: Any) -> float:
    """log10(population + 1); for a place without one, its feature code's stand-in."""
    if entry.population and entry.population > 0:
        return math.log10(entry.population + 1)
    return float(_data()["stand_in_log_population"].get(entry.feature_code, 0.0))


def kind_cue(entry: Any, cue: str) -> float:
    """+1 when ``cue`` (the word after the name) names the candidate's kind of place, -1 when it
    names the other kind (an area word before a town, a settlement word before an area), else 0."""
    words = _data()["cue_words"]
    kind = kind_of(entry)
    if cue in words["area"]:
        return 1.0 if kind in _AREA_KINDS else -1.0 if kind in _SETTLEMENT_KINDS else 0.0
    if cue in words["settlement"]:
        return 1.0 if kind in _SETTLEMENT_KINDS else -1.0 if kind in _AREA_KINDS else 0.0
    return 0.0


def kind_class(entry: Any) -> str:
    """The coarse kind that names of one list share: "country", "area", "settlement" or ""."""
    kind = kind_of(entry)
    if kind == "country":
        return "country"
    if kind in _AREA_KINDS:
        return "area"
    return "settlement" if kind in _SETTLEMENT_KINDS else ""


def name_kind(entries: list[Any]) -> str:
    """The coarse kind a name has whatever it names: that of all its candidates when they share
    one ("Pennsylvania", "Dallas"), else "" (a name of a state and a town: "Washington")."""
    kinds = {kind_class(e) for e in entries}
    return kinds.pop() if len(kinds) == 1 else ""


def list_kind(entry: Any, listed: list[str]) -> float:
    """How far the candidate's coarse kind agrees with the kinds (``name_kind``) of the names
    written in one list with it ("Washington, Pennsylvania and Georgia": states; "Los Angeles,
    Miami and New York": towns): (agreeing - disagreeing) / listed names of a known kind, 0
    without any. The listed names count by what they can name, not by how they were resolved,
    so that two names of a list do not pull each other to a wrong kind."""
    own = kind_class(entry)
    kinds = [k for k in listed if k]
    if not own or not kinds:
        return 0.0
    agree = sum(1 for k in kinds if k == own)
    return (2 * agree - len(kinds)) / len(kinds)


def same_name(text: str, name: str) -> bool:
    """Whether ``text`` writes ``name``: alike but for case, diacritics, punctuation and the
    abbreviated words of place names ("St. Petersburg" / "Saint Petersburg", "PARIS", "Cancun" /
    "Cancún"; ``feature_groups.toml [abbreviations]``)."""
    return text == name or _written_key(text) == _written_key(name)


@lru_cache(maxsize=65536)
def _written_key(text: str) -> str:
    """The lookup key with the abbreviated words spelled out (cached: a name is compared with the
    same candidates in every pass over its document)."""
    words = _data()["abbreviations"]
    return " ".join(words.get(w, w) for w in normalise_name(text).split(" "))


def candidate_features(
    entry: Any,
    *,
    text: str,
    code_prior: float,
    town_of_area: bool,
    loose: bool,
    largest_log_population: float,
    document_country: float,
    document_admin1: float,
    abroad: bool,
    qualifiers: int,
    near: bool,
    cue: str = "",
    listed: list[str] | None = None,
) -> list[float]:
    """The feature vector (in ``FEATURES`` order) of one candidate."""
    kind = kind_of(entry)
    row = [1.0 if g == kind else 0.0 for g in GROUPS]
    pop = log_population(entry)
    row += [
        code_prior,
        1.0 if town_of_area else 0.0,
        pop,
        1.0 if not entry.population else 0.0,
        pop - largest_log_population,
        1.0 if loose else 0.0,
        1.0 if same_name(text, entry.name) else 0.0,
        document_country,
        document_admin1,
        1.0 if abroad else 0.0,
        float(qualifiers),
        1.0 if near else 0.0,
        kind_cue(entry, cue),
        list_kind(entry, listed or []),
    ]
    return row
