"""The embedded default gazetteer, built once per session from the installed packages."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from tocsin.places.gazetteer import Gazetteer, GazetteerEntry, precision

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def default_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gazetteer]:
    path = tmp_path_factory.mktemp("default") / "gazetteer.sqlite"
    assert not path.exists()
    gaz = Gazetteer.open(path)  # builds it: the file is missing
    yield gaz
    gaz.close()


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def best(gaz: Gazetteer, name: str, country3: str) -> GazetteerEntry:
    """The entry of that country the resolver ranks first on priors alone (a town before the
    admin area named after it: "Latakia" the city, not the governorate)."""
    from tocsin.places.resolve import Resolver

    entries = [c.entry for c in Resolver(gaz).candidates(name) if c.entry.country3 == country3]
    assert entries, f"{name} not found in {country3}"
    return entries[0]


@pytest.mark.parametrize(
    ("name", "country3", "point", "tolerance_km"),
    [
        ("Latakia", "SYR", (35.52, 35.79), 10),
        ("Istanbul", "TUR", (41.01, 28.96), 20),
        ("Yayladağ", "TUR", (35.90, 36.06), 10),
        ("Yayladağı", "TUR", (35.90, 36.06), 10),
        ("Aleppo", "SYR", (36.20, 37.16), 10),
        ("Jarablus", "SYR", (36.82, 38.01), 10),
        ("Azaz", "SYR", (36.59, 37.05), 10),
        ("A'zaz", "SYR", (36.59, 37.05), 10),
        ("Bayır-Bucak", "SYR", (35.85, 36.00), 25),
        ("Bayirbucak", "SYR", (35.85, 36.00), 25),
        ("Turkmen Mountain", "SYR", (35.85, 36.00), 25),
        ("Jabal al-Akrad", "SYR", (35.75, 36.17), 25),
        ("Eastern Ghouta", "SYR", (33.55, 36.40), 25),
        ("Darfur", "SDN", (13.5, 24.0), 300),
        ("Syria", "SYR", (35.0, 38.0), 100),
        ("Turkey", "TUR", (39.0, 35.0), 150),
        ("West Virginia", "USA", (38.6, -80.6), 100),
    ],
)
def test_worked_example_places_resolve(
    default_gazetteer: Gazetteer,
    name: str,
    country3: str,
    point: tuple[float, float],
    tolerance_km: float,
) -> None:
    entry = best(default_gazetteer, name, country3)
    assert km((entry.lat, entry.lon), point) <= tolerance_km


def test_admin_areas_have_entries_names_and_codes(default_gazetteer: Gazetteer) -> None:
    town = best(default_gazetteer, "Yayladağı", "TUR")
    assert town.admin1_name == "Hatay" and town.feature_class == "P"
    area = default_gazetteer.admin1(town.country2 or "", town.admin1_code or "")
    assert area is not None and area.feature_code == "ADM1" and precision(area) == "admin1"
    assert km((area.lat, area.lon), (36.4, 36.2)) < 100
    governorate = [
        e for e in default_gazetteer.lookup("Latakia Governorate") if e.feature_code == "ADM1"
    ]
    assert governorate and governorate[0].country3 == "SYR"
    assert best(default_gazetteer, "Al Lādhiqīyah", "SYR")  # ISO 3166-2 spelling


def test_countries_by_code_and_curated_words(default_gazetteer: Gazetteer) -> None:
    gaz = default_gazetteer
    assert gaz.country("SYR") == gaz.country("SY") and gaz.country("SY").name == "Syria"
    assert precision(gaz.country("TR")) == "country"
    assert gaz.demonym("Russian") == "RUS" and gaz.demonym("Syrians") == "SYR"
    assert gaz.demonym("Turkmen") is None and gaz.group_word("Turkmen")
    assert gaz.group_word("Kurdish") and not gaz.group_word("Latakia")
    assert gaz.alias("U.S.") == "United States" and gaz.alias("W.Va.") == "West Virginia"
    assert gaz.alias_country("W.Va.") == "US"
    assert gaz.alias("us") is None  # the pronoun is no abbreviation
    for text in ("U.S.", "UK", "Britain", "DRC", "UAE", "W.Va.", "Calif.", "N.Y.", "Mass."):
        target = gaz.alias(text)
        assert target and gaz.lookup(target), text


def test_all_names_for_a_phrase_matcher(default_gazetteer: Gazetteer) -> None:
    names = set(default_gazetteer.all_names(min_population=100_000))
    assert {"aleppo", "istanbul", "bayir bucak", "syria"} <= names
    assert "yayladagi" not in names  # a town of 8,000


def test_admin_areas_carry_the_population_of_their_towns(default_gazetteer: Gazetteer) -> None:
    florida = [e for e in default_gazetteer.lookup("Florida") if e.feature_code == "ADM1"]
    assert florida and florida[0].country2 == "US" and florida[0].population > 5_000_000
    assert default_gazetteer.lookup("Florida")[0].feature_code == "ADM1"


@pytest.mark.parametrize(
    ("name", "point", "tolerance_km"),
    [
        ("Indian Ocean", (-10.0, 70.0), 500),
        ("Persian Gulf", (27.0, 51.0), 300),
        ("Mediterranean Sea", (35.0, 20.0), 500),
        ("Horn of Africa", (9.0, 45.0), 500),
        ("Balkans", (43.0, 21.0), 400),
        ("Sahel", (15.0, 2.0), 800),
        ("European Union", (48.7, 9.1), 800),
    ],
)
def test_world_regions_and_seas_are_present(
    default_gazetteer: Gazetteer, name: str, point: tuple[float, float], tolerance_km: float
) -> None:
    target = default_gazetteer.alias(name) or name
    entries = [
        e for e in default_gazetteer.lookup(target) if e.feature_class in ("H", "L")
    ]
    assert entries, name
    assert km((entries[0].lat, entries[0].lon), point) <= tolerance_km


def test_canada_sits_where_geonames_puts_it(default_gazetteer: Gazetteer) -> None:
    canada = default_gazetteer.country("CA")
    assert canada is not None
    assert km((canada.lat, canada.lon), (60.1, -113.6)) < 50


@pytest.mark.parametrize(
    ("name", "middle"),
    [("Ontario", (49.5, -85.0)), ("British Columbia", (54.0, -125.0)),
     ("Queensland", (-22.0, 144.0)), ("Western Australia", (-26.0, 122.0))],
)
def test_a_large_province_is_placed_in_its_middle_not_where_its_people_live(
    default_gazetteer: Gazetteer, name: str, middle: tuple[float, float]
) -> None:
    # the median of Ontario's towns lies near Toronto, Western Australia's at Perth
    areas = [e for e in default_gazetteer.lookup(name) if e.feature_code == "ADM1"]
    assert len(areas) == 1
    assert km((areas[0].lat, areas[0].lon), middle) < 120


def _set_meta(path: object, **values: str) -> None:
    import sqlite3

    with sqlite3.connect(str(path)) as conn:
        for key, value in values.items():
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def test_a_default_built_from_other_place_data_is_rebuilt_on_open(
    default_gazetteer: Gazetteer, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    import sqlite3
    from pathlib import Path

    import tocsin.places.gazetteer as gazetteer_module
    from tocsin.places.gazetteer import default_is_stale, describe
    from tocsin.places.gazetteer_build import build_digest

    copy = Path(str(tmp_path)) / "gazetteer.sqlite"
    shutil.copy(default_gazetteer.path, copy)
    assert describe(copy)["meta"]["build_digest"] == build_digest()
    assert not default_is_stale(copy) and not describe(copy)["outdated"]

    _set_meta(copy, build_digest="from-an-older-tocsin")
    assert default_is_stale(copy) and describe(copy)["outdated"]
    rebuilt: list[Path] = []

    def fake_build(path: Path, *, force: bool = False) -> None:
        rebuilt.append(Path(path))
        assert force  # replaces the stale file
        shutil.copy(default_gazetteer.path, path)

    monkeypatch.setattr(gazetteer_module, "build_default", fake_build)
    Gazetteer.open(copy).close()
    assert rebuilt == [copy]
    assert not default_is_stale(copy)

    # Files imported into a stale default are not thrown away: it is only reported.
    _set_meta(copy, build_digest="from-an-older-tocsin")
    with sqlite3.connect(str(copy)) as conn:
        conn.execute("INSERT INTO sources(file, kind, rows, sha256, imported_at) "
                     "VALUES ('SY.txt', 'geonames-places', 10, 'abc', '2026-01-01')")
    assert not default_is_stale(copy) and describe(copy)["outdated"]
    Gazetteer.open(copy).close()
    assert rebuilt == [copy]
