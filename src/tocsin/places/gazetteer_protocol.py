"""What event-mention stages ask of a gazetteer (``Gazetteer`` protocol) and of its entries
(``Entry``): ``tocsin.places.gazetteer.Gazetteer`` answers it, and so can a small stand-in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class Entry(Protocol):
    """One gazetteer entry, as the mention stages read it."""

    @property
    def geonameid(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def asciiname(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...
    @property
    def feature_class(self) -> str: ...
    @property
    def feature_code(self) -> str: ...
    @property
    def country2(self) -> str | None: ...
    @property
    def country3(self) -> str | None: ...
    @property
    def admin1_name(self) -> str | None: ...
    @property
    def admin2_name(self) -> str | None: ...
    @property
    def population(self) -> int: ...


class Gazetteer(Protocol):
    """The gazetteer look-ups of the mention stages."""

    path: Path

    def lookup(self, name: str) -> Sequence[Entry]:
        """Entries called ``name`` (normalised), most populous first."""

    def get(self, geonameid: int) -> Entry | None:
        """The entry with this GeoNames id."""

    def country(self, iso: str) -> Entry | None:
        """The country entry by ISO 3166-1 alpha-2 or alpha-3 code."""

    def country_names(self, country2: str) -> Sequence[tuple[str, int]]:
        """(normalised name, geonameid) of a country's populated places and admin areas."""

    def fully_imported_countries(self, min_features: int) -> frozenset[str]:
        """Countries (ISO3) whose whole GeoNames file was imported."""

    def demonym(self, word: str) -> str | None:
        """ISO3 of the country a demonym refers to."""
