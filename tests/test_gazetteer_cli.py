"""``tocsin gazetteer add/import/status`` against fixture dumps and a local HTTP server."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.places.gazetteer import Gazetteer, describe
from tocsin.places.gazetteer_import import import_files

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"
runner = CliRunner()


def zip_bytes(source: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, source.name)
    return buffer.getvalue()


def serve_dump(http_server, *, country: bytes | None = None) -> str:  # noqa: ANN001
    http_server.add(
        "/dump/ZZ.zip", country if country is not None else zip_bytes(FIXTURES / "ZZ.txt")
    )
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt"):
        http_server.add(f"/dump/{name}", (FIXTURES / name).read_bytes())
    return http_server.url("/dump/")


@pytest.fixture()
def seeded(tmp_path: Path) -> Path:
    """A small existing gazetteer (so no test here builds the embedded default)."""
    path = tmp_path / "gaz.sqlite"
    import_files(path, [FIXTURES / "featureCodes_en.txt"])
    return path


def test_add_downloads_verifies_and_merges(http_server, seeded: Path) -> None:  # noqa: ANN001
    base = serve_dump(http_server)
    result = runner.invoke(
        app, ["gazetteer", "add", "zz", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code == 0, result.output
    assert "ZZ.zip" in result.output
    paths = [request[1] for request in http_server.requests]
    assert "/dump/ZZ.zip" in paths and "/dump/admin1CodesASCII.txt" in paths
    with Gazetteer(seeded) as gaz:
        [town] = gaz.lookup("Qasr Fakeh")
        assert town.admin1_name == "Northshire" and town.country3 == "ZZD"
    kinds = {s["kind"] for s in describe(seeded)["sources"]}
    assert {"places", "admin1", "admin2", "countries"} <= kinds


def test_add_with_missing_country_installs_nothing(http_server, seeded: Path) -> None:  # noqa: ANN001
    before = describe(seeded)
    base = serve_dump(http_server)
    result = runner.invoke(
        app, ["gazetteer", "add", "ZZ", "QQ", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code != 0
    assert "404" in result.output
    assert describe(seeded)["tables"] == before["tables"]


def test_add_with_corrupt_zip_installs_nothing(http_server, seeded: Path) -> None:  # noqa: ANN001
    before = describe(seeded)
    good = zip_bytes(FIXTURES / "ZZ.txt")
    corrupt = good[:30] + bytes(b ^ 0x5A for b in good[30:60]) + good[60:]
    base = serve_dump(http_server, country=corrupt)
    result = runner.invoke(
        app, ["gazetteer", "add", "ZZ", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code != 0
    assert "nothing installed" in result.output
    assert describe(seeded)["tables"] == before["tables"]


def test_add_with_garbage_code_table_installs_nothing(http_server, seeded: Path) -> None:  # noqa: ANN001
    before = describe(seeded)
    base = serve_dump(http_server)
    http_server.add("/dump/admin2Codes.txt", "<html>Service unavailable</html>\n")
    result = runner.invoke(
        app, ["gazetteer", "add", "ZZ", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code != 0
    assert describe(seeded)["tables"] == before["tables"]


def test_add_rejects_a_bad_country_code(seeded: Path) -> None:
    result = runner.invoke(app, ["gazetteer", "add", "Zedland", "--gazetteer", str(seeded)])
    assert result.exit_code != 0 and "country code" in result.output


def test_add_times_out_on_a_hanging_server(http_server, seeded: Path) -> None:  # noqa: ANN001
    base = serve_dump(http_server)
    http_server.add("/dump/ZZ.zip", zip_bytes(FIXTURES / "ZZ.txt"), delay=3.0)
    result = runner.invoke(
        app,
        [
            "gazetteer",
            "add",
            "ZZ",
            "--base-url",
            base,
            "--timeout",
            "0.5",
            "--gazetteer",
            str(seeded),
        ],
    )
    assert result.exit_code != 0 and "Timeout" in result.output


def test_import_and_status(seeded: Path, tmp_path: Path) -> None:
    files = [str(p) for p in sorted(FIXTURES.glob("*.txt"))]
    result = runner.invoke(app, ["gazetteer", "import", *files, "--gazetteer", str(seeded)])
    assert result.exit_code == 0, result.output
    status = runner.invoke(app, ["gazetteer", "status", "--gazetteer", str(seeded), "--json"])
    info = json.loads(status.output)
    assert info["exists"] and info["size_bytes"] > 0
    assert info["tables"]["hierarchy"] == 3 and info["tables"]["admin1"] == 2
    assert any(s["file"].endswith("ZZ.txt") for s in info["sources"])
    text = runner.invoke(app, ["gazetteer", "status", "--gazetteer", str(seeded)])
    assert "hierarchy: 3" in text.output
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n", encoding="utf-8")
    failed = runner.invoke(app, ["gazetteer", "import", str(bad), "--gazetteer", str(seeded)])
    assert failed.exit_code != 0 and "nothing imported" in failed.output


def test_status_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.sqlite"
    monkeypatch.setenv("TOCSIN_GAZETTEER", str(target))
    result = runner.invoke(app, ["gazetteer", "status", "--json"])
    assert json.loads(result.output) == {"path": str(target), "exists": False}


def test_build_refuses_to_overwrite_without_force(seeded: Path) -> None:
    result = runner.invoke(app, ["gazetteer", "build", "--gazetteer", str(seeded)])
    assert result.exit_code != 0 and "--force" in result.output


def test_add_accepts_iso3_codes(http_server, seeded: Path) -> None:  # noqa: ANN001
    """SYR and syr mean SY: the dump fetched is SY.zip (the fixture dump served under that name)."""
    base = serve_dump(http_server)
    http_server.add("/dump/SY.zip", zip_bytes(FIXTURES / "ZZ.txt"))
    result = runner.invoke(
        app, ["gazetteer", "add", "syr", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code == 0, result.output
    paths = [request[1] for request in http_server.requests]
    assert "/dump/SY.zip" in paths and "/dump/SYR.zip" not in paths
    assert "added SY (SYR) to" in result.stdout
    with Gazetteer(seeded) as gaz:
        assert gaz.lookup("Qasr Fakeh")


def test_add_names_an_unknown_iso3_code_and_fetches_nothing(http_server, seeded: Path) -> None:  # noqa: ANN001
    base = serve_dump(http_server)
    result = runner.invoke(
        app, ["gazetteer", "add", "SYR", "XQZ", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code != 0
    assert "XQZ" in result.stderr and "ISO 3166" in result.stderr
    assert http_server.requests == []


def test_country_codes_take_alpha2_and_alpha3_once_each() -> None:
    from tocsin.places.geonames_download import country_codes

    assert country_codes(["SYR", "sy", "irq", "TR", "allcountries"]) == ["SY", "IQ", "TR",
                                                                          "allCountries"]


def test_add_shows_download_and_merge_progress_on_stderr(http_server, seeded: Path) -> None:  # noqa: ANN001
    base = serve_dump(http_server)
    result = runner.invoke(
        app, ["gazetteer", "add", "ZZ", "--base-url", base, "--gazetteer", str(seeded)]
    )
    assert result.exit_code == 0, result.output
    for name in ("ZZ.zip", "admin1CodesASCII.txt", "countryInfo.txt"):
        assert name in result.stderr
    assert "merging 4 files" in result.stderr
    size = len(zip_bytes(FIXTURES / "ZZ.txt"))
    assert f"{size / 1000:.1f} kB" in result.stderr or f"{size} bytes" in result.stderr
    # stdout keeps only the report: one line per file and the summary
    assert "merging" not in result.stdout and result.stdout.splitlines()[-1].startswith("added ZZ")
