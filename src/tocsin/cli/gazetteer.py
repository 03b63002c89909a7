"""``tocsin gazetteer``: build, import, download and inspect the place gazetteer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

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
    countries: Annotated[
        list[str], typer.Argument(help="ISO 3166-1 alpha-2 or alpha-3 codes: SY TR IRQ.")
    ],
    base_url: Annotated[str, typer.Option("--base-url", help="GeoNames dump folder.")] = (
        "https://download.geonames.org/export/dump/"
    ),
    gazetteer: GazetteerOption = None,
    feature_codes: Annotated[
        bool, typer.Option("--feature-codes", help="Also featureCodes_en.")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per network step.")] = 60.0,
) -> None:
    """Download GeoNames country dumps and code tables, verify them and merge them (progress on
    stderr)."""
    from tocsin.places.geonames_download import DownloadError, add_countries, country_codes
    from tocsin.places.geonames_files import DumpFormatError

    target = _path(gazetteer)
    try:
        codes = country_codes(countries)
    except ValueError as exc:
        _fail(str(exc))
        return
    try:
        with _download_progress() as shown:
            if not target.exists():
                task = shown.progress.add_task("building the default gazetteer", total=None,
                                               size="")
                _ensure_default(target)
                shown.progress.update(task, total=1, completed=1)
            report = add_countries(
                target, codes, base_url=base_url, feature_codes=feature_codes, timeout=timeout,
                progress=shown,
            )
            shown.done()
    except (DownloadError, DumpFormatError, ValueError, OSError) as exc:
        _fail(f"nothing installed: {exc}")
        return
    for name, kind, rows in report.files:
        typer.echo(f"{name}\t{kind}\t{rows}")
    typed = {country_codes([given])[0]: given.strip().upper() for given in countries}
    named = [code if typed[code] == code.upper() else f"{code} ({typed[code]})" for code in codes]
    typer.echo(f"added {', '.join(named)} to {target} in {report.seconds:.1f} s")


class _ShownDownload:
    """Draws ``add_countries``' progress: a bar per file with bytes and speed, then the merge."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self._tasks: dict[str, TaskID] = {}
        self._merge: TaskID | None = None

    def started(self, name: str, total_bytes: int | None) -> None:
        self._tasks[name] = self.progress.add_task(name, total=total_bytes, size="")

    def received(self, name: str, size: int) -> None:
        task = self._tasks[name]
        self.progress.advance(task, size)
        done = self.progress.tasks[task].completed
        total = self.progress.tasks[task].total
        shown = decimal(int(done)) + (f"/{decimal(int(total))}" if total else "")
        self.progress.update(task, size=shown)

    def merging(self, files: int) -> None:
        for task in self._tasks.values():
            self.progress.update(task, total=self.progress.tasks[task].completed)
        self._merge = self.progress.add_task(
            f"merging {files} files into the gazetteer", total=None, size=""
        )

    def done(self) -> None:
        if self._merge is not None:
            self.progress.update(self._merge, total=1, completed=1)


@contextmanager
def _download_progress() -> Iterator[_ShownDownload]:
    columns = (
        SpinnerColumn(finished_text="[green]✓"),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[size]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield _ShownDownload(progress)


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
