"""``tocsin eval plover`` on a small PLOVER-format file written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tocsin.evaluation.plover import gold_countries, gold_sectors, mapping, read_records

FIXTURE = Path(__file__).parent / "fixtures" / "plover"


def test_v05_categories_map_to_the_current_ontology() -> None:
    import tomllib
    from importlib import resources

    categories = tomllib.loads(resources.files("tocsin.data.events").joinpath(
        "categories.toml").read_text(encoding="utf-8"))
    table = mapping().categories
    assert table["DEMAND"] == "REQUEST"
    assert table["DISAPPROVE"] == table["INVESTIGATE"] == "ACCUSE"
    assert table["FIGHT"] == "ASSAULT"
    assert set(table.values()) <= set(categories)


def test_gold_actor_codes_and_sectors() -> None:
    assert gold_countries([{"code": "JAP"}, {"code": "IGO"}]) == {"JPN"}
    assert gold_sectors([{"code": "IGO"}]) == {"IGO"}
    assert gold_sectors([{"code": "USA", "sector": "CVLalb"}]) == {"CVL"}
    assert gold_sectors([{"code": "USA", "sector": "COP"}]) == {"POL"}
    assert gold_sectors("") == set() and gold_countries(None) == set()


def test_reader_skips_the_document_header() -> None:
    records = read_records(FIXTURE)
    assert [r["id"] for r in records] == ["TEST-FIGHT-1", "TEST-DEMAND-1", "TEST-DISAPPROVE-1"]


def test_cli_prints_one_json_object() -> None:
    from tocsin.cli import app

    result = CliRunner().invoke(app, ["eval", "plover", str(FIXTURE), "--json",
                                      "--split", "all"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["records"] == report["units"] == 3 and report["split"] == "all"
    assert report["source_country_rows"] == 2  # USA and FRA; IGO is a sector, not a country
    assert report["source_sector_rows"] == 3
    assert report["target_sector_rows"] == 1
    assert 0.0 <= report["category_accuracy"] <= 1.0
    assert report["per_category"]["ASSAULT"]["records"] == 1
    assert report["per_category"]["REQUEST"]["records"] == 1


def test_cli_reports_a_missing_file(tmp_path: Path) -> None:
    from tocsin.cli import app

    result = CliRunner().invoke(app, ["eval", "plover", str(tmp_path)])
    assert result.exit_code == 2
