"""Folded name keys for romanised spellings (tocsin.places.folded_names), their table in the
gazetteer, and the transliteration list measured through ``tocsin eval transliteration``."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.places.folded_names import fold_name, romanised_countries
from tocsin.places.gazetteer import Gazetteer
from tocsin.places.gazetteer_import import import_files

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Tell Hamdan al-Sharqi", "Tall Hamdan ash Sharqi"),  # article forms, doubled letters
        ("Kfar Zeita", "Kafr Zayta"),  # vowels, y inside a word
        ("Dhahr al-Jabal", "Thahr Jabal"),  # dh/th, a dropped article
        ("Al-Mazra'ah", "Mazraa"),  # ayn mark, the -ah ending
        ("Qasr Ibrahim", "Kasr Ibraheem"),  # q/k, ee/i
        ("Jubb Ramlah", "Gubb Ramla"),  # j/g, the -ah ending
        ("Umm Hosh", "Um Housh"),  # ou/o/u, doubled letters
        ("Ayn Issa", "Ain Eesa"),  # initial vowel kept as one mark
    ],
)
def test_spellings_of_one_name_fold_to_one_key(one: str, other: str) -> None:
    assert fold_name(one) and fold_name(one) == fold_name(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Obama", "Bam"),  # a vowel-initial name does not meet a consonant-initial one
        ("Hama", "Homs"),
        ("Tartus", "Tadmur"),
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert fold_name(one) != fold_name(other)


def test_short_names_get_no_key() -> None:
    assert fold_name("Hit") == "" and fold_name("Ibb") == ""


def test_import_fills_the_folded_table_and_lookup_keeps_to_romanised_countries(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gazetteer.sqlite"
    folder = FIXTURES / "geonames"
    import_files(path, [folder / "ZZ.txt", folder / "countryInfo.txt",
                        folder / "admin1CodesASCII.txt"])
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT geonameid FROM folded_names WHERE key = ?",
                            (fold_name("Qasr al-Faqeeh"),)).fetchall()
    assert rows == [(9000003,)]
    with Gazetteer(path) as gaz:
        assert gaz.lookup("Qasr al-Faqeeh") == []  # no exact key
        # ZZ is no country whose names are romanised from another script: no folded answer
        assert "ZZ" not in romanised_countries()
        assert gaz.lookup_folded("Qasr al-Faqeeh") == []


def test_folded_lookup_finds_romanised_spellings_but_not_english_look_alikes() -> None:
    with Gazetteer.open() as gaz:  # the embedded default, as the product opens it
        found = gaz.lookup_folded("Maarat al-Numan")
        assert found and found[0].country2 == "SY"
        assert all(e.country2 in romanised_countries() for e in gaz.lookup_folded("Harwinton"))
        assert not any(e.country2 == "US" for e in gaz.lookup_folded("Harwinton"))


def test_transliteration_list_check_part_resolves_within_30_km() -> None:
    result = CliRunner().invoke(
        app,
        ["eval", "transliteration", str(FIXTURES / "transliterations.tsv"), "--split", "check",
         "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["split"] == "check" and report["spellings"] >= 75
    assert report["share"] >= 0.95, report["misses"]
