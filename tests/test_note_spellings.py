"""Spelling variants of a note's place names, and the countries a gazetteer covers in full.

The gazetteer here is a small SQLite file holding only the tables and columns these functions
read, opened by the real ``Gazetteer`` (its whole-country questions run on it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from tocsin.mentions.place.note.words import NoteWords
from tocsin.mentions.place.words import PlaceWords
from tocsin.places.gazetteer import Gazetteer

# the index of one Lexicons (Resources.lexicons.places.notes.spellings)
_SPELLINGS = NoteWords.load(PlaceWords.load().place_nouns).spellings
spelling_key = _SPELLINGS.key

_COUNTRIES = {"ZZA": "ZA", "ZZB": "ZB"}


class _SmallGazetteer(Gazetteer):
    """``Gazetteer`` over the small tables, with ``country`` and ``get`` read from them."""

    def country(self, iso: str) -> SimpleNamespace | None:
        two = _COUNTRIES.get(iso)
        return SimpleNamespace(country2=two, country3=iso) if two else None

    def get(self, geonameid: int) -> SimpleNamespace | None:
        with sqlite3.connect(self.path) as conn:
            row = conn.execute("SELECT name, country2, lat, lon, feature_class FROM places"
                               " WHERE geonameid = ?", (geonameid,)).fetchone()
        if row is None:
            return None
        iso3 = {v: k for k, v in _COUNTRIES.items()}[row[1]]
        return SimpleNamespace(geonameid=geonameid, name=row[0], country3=iso3, lat=row[2],
                               lon=row[3], feature_class=row[4])


def _gazetteer(path: Path, streams: int) -> _SmallGazetteer:
    """Villages of two countries; ``streams`` stream features in the first one only."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE places (geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,"
        " feature_class TEXT, country2 TEXT, origin TEXT);"
        "CREATE TABLE names (name TEXT, geonameid INTEGER, kind INTEGER);"
        "CREATE TABLE countries (iso2 TEXT, iso3 TEXT);")
    villages = [(1, "Tavérou", 12.0, -1.0, "P", "ZA"), (2, "Ra's al 'Idrah", 13.0, -2.0, "P", "ZA"),
                (3, "Taverou", 40.0, 20.0, "P", "ZB"), (4, "Mop", 12.5, -1.5, "P", "ZA")]
    for gid, name, lat, lon, cls, country in villages:
        conn.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, 'geonames')",
                     (gid, name, lat, lon, cls, country))
        conn.execute("INSERT INTO names VALUES (?, ?, 0)", (name.lower(), gid))
    conn.executemany("INSERT INTO places VALUES (?, ?, 12.0, -1.0, 'H', 'ZA', 'geonames')",
                     [(100 + n, f"Stream {n}") for n in range(streams)])
    conn.executemany("INSERT INTO countries VALUES (?, ?)",
                     [(two, three) for three, two in _COUNTRIES.items()])
    conn.commit()
    conn.close()
    return _SmallGazetteer(path)


def test_transliterations_of_one_name_share_a_key() -> None:
    assert spelling_key("Koulerou") == spelling_key("Kolérou")
    assert spelling_key("Ras al Ain") == spelling_key("Ra’s al ‘Ayn")
    assert spelling_key("Ash Shaddādah") == spelling_key("Shadadah")
    assert spelling_key("Gasseliki") == spelling_key("Gassiliki")


def test_different_names_keep_different_keys() -> None:
    assert spelling_key("Koulerou") != spelling_key("Kalara")
    assert spelling_key("Idleb") != spelling_key("Hama")


def test_a_variant_is_found_only_in_the_countries_asked(tmp_path: Path) -> None:
    gazetteer = _gazetteer(tmp_path / "g.sqlite", streams=0)
    found = _SPELLINGS.variant_entries(gazetteer, "Taverrou", {"ZZA"})
    assert [e.geonameid for e in found] == [1]
    both = _SPELLINGS.variant_entries(gazetteer, "Taverrou", {"ZZA", "ZZB"})
    assert sorted(e.geonameid for e in both) == [1, 3]
    assert _SPELLINGS.variant_entries(gazetteer, "Taverrou", set()) == []


def test_an_article_and_a_glottal_mark_do_not_hide_a_variant(tmp_path: Path) -> None:
    gazetteer = _gazetteer(tmp_path / "g.sqlite", streams=0)
    found = _SPELLINGS.variant_entries(gazetteer, "Ras el Idra", {"ZZA"})
    assert [e.geonameid for e in found] == [2]


def test_a_short_name_has_no_variants(tmp_path: Path) -> None:
    gazetteer = _gazetteer(tmp_path / "g.sqlite", streams=0)
    assert _SPELLINGS.variant_entries(gazetteer, "Moop", {"ZZA"}) == []


@pytest.mark.parametrize(("streams", "expected"), [(600, {"ZZA"}), (10, set())])
def test_a_country_with_its_whole_file_imported_is_covered(
        tmp_path: Path, streams: int, expected: set[str]) -> None:
    gazetteer = _gazetteer(tmp_path / f"g{streams}.sqlite", streams=streams)
    assert _SPELLINGS.covered_countries(gazetteer) == expected
