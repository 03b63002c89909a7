"""Importing GeoNames dump files into a gazetteer, and the lookup API over the result."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from tocsin.places.gazetteer import Gazetteer, describe, precision
from tocsin.places.gazetteer_import import import_files
from tocsin.places.geonames_files import DumpFormatError, DumpKind, detect_kind

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"
ALL = sorted(p for p in FIXTURES.glob("*.txt"))


def zipped(source: Path, folder: Path) -> Path:
    target = folder / f"{source.stem}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, source.name)
        archive.writestr("readme.txt", "not data")
    return target


@pytest.fixture()
def imported(tmp_path: Path) -> Path:
    path = tmp_path / "gaz.sqlite"
    import_files(path, ALL)
    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ZZ.txt", DumpKind.PLACES),
        ("admin1CodesASCII.txt", DumpKind.ADMIN1),
        ("admin2Codes.txt", DumpKind.ADMIN2),
        ("countryInfo.txt", DumpKind.COUNTRIES),
        ("hierarchy.txt", DumpKind.HIERARCHY),
        ("featureCodes_en.txt", DumpKind.FEATURE_CODES),
    ],
)
def test_kind_detected_from_name_and_from_content(
    tmp_path: Path, name: str, kind: DumpKind
) -> None:
    assert detect_kind(FIXTURES / name) is kind
    anonymous = tmp_path / "download.txt"
    anonymous.write_bytes((FIXTURES / name).read_bytes())
    assert detect_kind(anonymous) is kind


def test_import_fills_every_table(imported: Path) -> None:
    tables = describe(imported)["tables"]
    assert tables["places"] >= 7
    assert tables["admin1"] == 2 and tables["admin2"] == 2
    assert tables["countries"] == 1 and tables["hierarchy"] == 3 and tables["feature_codes"] == 3
    assert tables["sources"] == len(ALL)
    sources = describe(imported)["sources"]
    assert {s["kind"] for s in sources} == {k.value for k in DumpKind} - {"alternate_names"}
    assert all(len(s["sha256"]) == 64 and s["rows"] > 0 for s in sources)


def test_lookup_by_name_ascii_and_alternate(imported: Path) -> None:
    with Gazetteer(imported) as gaz:
        for spelling in ("Qasr Fakeh", "qasr fakih", "Kasr Fakeh", "Qaṣr Fākih"):
            [entry] = gaz.lookup(spelling)
            assert entry.geonameid == 9000003
        assert entry.country2 == "ZZ" and entry.country3 == "ZZD"
        assert entry.admin1_name == "Northshire" and entry.admin2_name == "Riverdale District"
        assert entry.feature_code == "PPLA" and entry.population == 85000
        assert gaz.lookup("Sarkikoy Yeni")[0].name == "Şarkıköy Yeni"
        assert gaz.lookup("nowhere at all") == []


def test_admin_area_without_its_own_row_is_placed_at_its_towns(imported: Path) -> None:
    with Gazetteer(imported) as gaz:
        south = gaz.admin1("ZZ", "02")
        assert south is not None and south.geonameid == 9000010 and south.name == "Southmarch"
        assert south.lat == pytest.approx((9.8 + 9.9) / 2) and south.lon == pytest.approx(21.3)
        assert precision(south) == "admin1"
        assert gaz.lookup("Southmarch")[0].geonameid == 9000010
        north = gaz.admin1("ZZ", "01")
        assert north is not None and north.geonameid == 9000002 and north.lat == 11.2
        # an admin2 code with no member place gets no entry (nowhere to put it)
        assert gaz.get(9000021) is None


def test_country_by_iso2_and_iso3(imported: Path) -> None:
    with Gazetteer(imported) as gaz:
        assert gaz.country("ZZ") == gaz.country("zzd") == gaz.get(9000001)
        assert gaz.country("ZZ").feature_code == "PCLI"
        assert precision(gaz.country("ZZ")) == "country"
        assert gaz.country("QQ") is None


def test_lookup_many_matches_lookup(imported: Path) -> None:
    with Gazetteer(imported) as gaz:
        many = gaz.lookup_many(["Tal Baydar", "Tell Beydar", "Jebel Ghazal", "missing"])
        assert [e.geonameid for e in many["Tell Beydar"]] == [9000004]
        assert many["Jebel Ghazal"] == gaz.lookup("Ghazal Mountain")
        assert many["missing"] == []


def test_all_names_filters_by_population(imported: Path) -> None:
    with Gazetteer(imported) as gaz:
        every = set(gaz.all_names())
        big = set(gaz.all_names(min_population=10_000))
    assert {"qasr fakeh", "tal baydar", "jabal ghazal", "southmarch"} <= every
    assert "qasr fakeh" in big and "southmarch" in big  # admin areas always included
    assert "tal baydar" not in big and "jabal ghazal" not in big


def test_zip_files_import_like_text(tmp_path: Path) -> None:
    zips = [zipped(p, tmp_path) for p in ALL]
    path = tmp_path / "z.sqlite"
    report = import_files(path, zips)
    assert report.rows == sum(r for _, _, r in import_files(tmp_path / "t.sqlite", ALL).files)
    with Gazetteer(path) as gaz:
        assert gaz.lookup("Qasr Fakeh")[0].admin1_name == "Northshire"


def test_reimport_upserts_instead_of_duplicating(imported: Path) -> None:
    before = describe(imported)["tables"]
    import_files(imported, [FIXTURES / "ZZ.txt", FIXTURES / "admin1CodesASCII.txt"])
    after = describe(imported)["tables"]
    assert after["places"] == before["places"] and after["names"] == before["names"]
    with Gazetteer(imported) as gaz:
        assert len(gaz.lookup("Qasr Fakeh")) == 1


def test_bad_file_changes_nothing(imported: Path, tmp_path: Path) -> None:
    before = describe(imported)
    garbage = tmp_path / "YY.txt"
    garbage.write_text("1\tonly\tthree columns\n", encoding="utf-8")
    with pytest.raises(DumpFormatError):
        import_files(imported, [FIXTURES / "hierarchy.txt", garbage])
    corrupt = tmp_path / "XX.zip"
    corrupt.write_bytes(zipped(FIXTURES / "ZZ.txt", tmp_path).read_bytes()[:120])
    with pytest.raises(DumpFormatError):
        import_files(imported, [corrupt])
    after = describe(imported)
    assert after["tables"] == before["tables"] and after["sources"] == before["sources"]


def test_truncated_row_is_reported_with_its_line(tmp_path: Path) -> None:
    lines = (FIXTURES / "ZZ.txt").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "ZZ.txt"
    broken.write_text("\n".join([lines[0], lines[1][:40]]) + "\n", encoding="utf-8")
    with pytest.raises(DumpFormatError, match="ZZ.txt:2"):
        import_files(tmp_path / "g.sqlite", [broken])


def test_readers_can_share_an_open_gazetteer_across_threads(imported: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Gazetteer(imported) as gaz, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: len(gaz.lookup(n)), ["Qasr Fakeh", "Tal Baydar"] * 50))
    assert set(results) == {1}


def test_gazetteer_connection_is_read_only(imported: Path) -> None:
    with Gazetteer(imported) as gaz, pytest.raises(sqlite3.OperationalError):
        gaz._conn.execute("DELETE FROM places")


SHARED_GAZETTEER = Path(__file__).resolve().parents[1].parent / "shared" / "gazetteer"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_GAZETTEER / "KE.txt").is_file(), reason="no ../shared/gazetteer")
def test_import_shared_geonames_files(tmp_path: Path) -> None:
    """The stand-in GeoNames files import (read in place, never copied) and resolve."""
    path = tmp_path / "shared.sqlite"
    files = sorted(SHARED_GAZETTEER.glob("*.txt"))
    report = import_files(path, files)
    kinds = {kind for _, kind, _ in report.files}
    assert kinds == {"places", "admin1", "admin2", "countries", "hierarchy", "feature_codes"}
    with Gazetteer(path) as gaz:
        nairobi = [e for e in gaz.lookup("Nairobi") if e.feature_code == "PPLC"]
        assert nairobi and nairobi[0].country3 == "KEN"
        assert nairobi[0].lat == pytest.approx(-1.28, abs=0.1)
        assert gaz.country("CMR") is not None
        assert gaz.admin1("KE", "05") is not None


def test_whole_country_questions(imported: Path) -> None:
    with Gazetteer(imported) as gazetteer:
        assert [e.name for e in gazetteer.province_seats("Northshire")] == ["Qasr Fakeh"]
        assert gazetteer.province_seats("Southmarch") == []
        names = gazetteer.country_names("ZZ")
        assert ("qasr fakeh", 9000003) in names
        assert all(gid != 9000005 for _, gid in names)  # a mountain is no place or area
        assert gazetteer.capital("ZZD") is None  # the file has no PPLC
        # one feature besides places and areas (the mountain): the whole file at threshold 1
        assert gazetteer.fully_imported_countries(1) == {"ZZD"}
        assert gazetteer.fully_imported_countries(5) == frozenset()
