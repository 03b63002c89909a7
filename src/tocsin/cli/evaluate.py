"""``tocsin eval``: score Tocsin against labelled data; every task runs ``tocsin.extract``.

The commands only read options, call the plain functions of ``tocsin.evaluation`` and print
their reports. Every command takes ``--split fit|check|all`` (default ``check``).
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from tocsin.evaluation.splits import SPLITS

app = typer.Typer(
    help="Score Tocsin against labelled data (prints JSON metrics).", no_args_is_help=True
)

SPLIT_HELP = "Which units to score: fit, check (default) or all (see evaluation/splits.py)."


def _split(value: str) -> str:
    if value not in SPLITS:
        raise typer.BadParameter(f"choose one of {', '.join(SPLITS)}")
    return value


SplitOption = typer.Option("check", "--split", callback=_split, help=SPLIT_HELP)
LimitOption = typer.Option(None, "--limit", min=1, help="Score the first N units of the split.")
JsonOption = typer.Option(False, "--json", help="Print one JSON object.")


def _print(report: dict[str, Any], as_json: bool) -> None:
    typer.echo(json.dumps(report, default=str) if as_json else
               json.dumps(report, indent=2, default=str))


def _need_file(file: Path) -> None:
    """Exit with status 2 and a one-line error unless ``file`` is a file."""
    if not file.is_file():
        typer.echo(f"error: {file} is not a file", err=True)
        raise typer.Exit(2)


def _resources(model: Path | None = None, gazetteer: Path | None = None) -> Any:
    from tocsin.evaluation.common import resources_for

    if model is not None:
        _check_model(model)
    return resources_for(model, gazetteer)


def _check_model(model: Path) -> None:
    """Refuse a file that is not a model from ``tocsin train`` before any text is analysed."""
    import joblib

    try:
        joblib.load(model)
    except Exception as error:  # noqa: BLE001 - any unreadable file is a user error here
        typer.echo(f"error: {model}: not a trained model ({error})", err=True)
        raise typer.Exit(2) from None


@app.command("geoparse")
def geoparse(
    file: str = typer.Argument(..., help="GeoWebNews, LGL-format (LGL, TR-News) or GeoVirus XML."),
    as_json: bool = JsonOption,
    gazetteer: str | None = typer.Option(None, "--gazetteer", help="Gazetteer file to use."),
    limit: int | None = LimitOption,
    split: str = SplitOption,
) -> None:
    """Geoparsing: acc161 and km errors given gold spans, recognition P/R/F1 end to end."""
    from tocsin.cli.geoparse_eval import run_geoparse_eval

    run_geoparse_eval(file, as_json=as_json, gazetteer=gazetteer, limit=limit, split=split)


@app.command("transliteration")
def transliteration(
    file: Path = typer.Argument(
        ..., help="TSV of spellings (tests/fixtures/transliterations.tsv)."
    ),
    as_json: bool = JsonOption,
    gazetteer: str | None = typer.Option(None, "--gazetteer", help="Gazetteer file to use."),
    limit: int | None = LimitOption,
    split: str = SplitOption,
) -> None:
    """Romanised town names: share of news spellings resolved within 30 km of their town."""
    from tocsin.evaluation.transliteration import evaluate_transliteration

    _need_file(file)
    resources = _resources(gazetteer=Path(gazetteer) if gazetteer else None)
    _print(evaluate_transliteration(file, resources, split=split, limit=limit), as_json)


@app.command("dates")
def dates(
    file: Path = typer.Argument(..., help="TSV of dated events (tests/fixtures/event_dates.tsv)."),
    as_json: bool = JsonOption,
    limit: int | None = LimitOption,
    split: str = SplitOption,
) -> None:
    """Event dates: share of events whose start date extract gets exactly right."""
    from tocsin.evaluation.event_dates import evaluate

    _need_file(file)
    _print(evaluate(file, _resources(), split=split, limit=limit), as_json)


@app.command("idetect")
def idetect(
    file: Path = typer.Argument(..., help="IDETECT CSV (excerpt, Quantity, Term, Unit)."),
    as_json: bool = JsonOption,
    exclude_ids: str = typer.Option("1,4,50,222", "--exclude-ids",
                                    help="Comma-separated excerpt ids to leave out."),
    limit: int | None = LimitOption,
    split: str = SplitOption,
) -> None:
    """Displacement figures: quantity and unit accuracy."""
    from tocsin.evaluation.idetect import evaluate

    _need_file(file)
    excluded = {x.strip() for x in exclude_ids.split(",") if x.strip()}
    try:
        result = evaluate(file, _resources(), split=split, limit=limit, excluded=excluded)
    except (ValueError, KeyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        typer.echo(f"{key}: {value}")


@app.command("example")
def example(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold annotation JSON."),
    text: Path = typer.Option(..., "--text", exists=True, dir_okay=False, help="The text file."),
    model: Path | None = typer.Option(None, "--model", help="A trained event model to use."),
    as_json: bool = JsonOption,
    split: str = typer.Option("check", "--split", callback=_split,
                              help="Accepted for uniformity: the worked example is an "
                                   "acceptance case, in every split."),
) -> None:
    """Worked example: check every rule of a gold file against ``tocsin.extract``."""
    from tocsin.evaluation.example import run_example

    if model is not None:
        _check_model(model)
    report = run_example(gold, text, model)
    result = {**report.to_dict(), "split": split, "units": 1}
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key in ("events_expected", "events_found", "qualified_ok", "places_ok", "boilerplate_ok"):
        typer.echo(f"{key}: {result[key]}")
    for failure in report.failures:
        typer.echo(f"FAIL {failure}")


@app.command("case2021")
def case2021(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CASE 2021 task-2 TSV."),
    model: Path | None = typer.Option(None, "--model", help="A model from `tocsin train`."),
    as_json: bool = JsonOption,
    limit: int | None = LimitOption,
    split: str = SplitOption,
) -> None:
    """Event sub-types of news snippets (CASE 2021 task 2): weighted/macro F1, accuracy."""
    from tocsin.evaluation.case2021 import evaluate

    report: dict[str, Any] = {}
    if model is not None:
        report["trained"] = evaluate(file, _resources(model), split=split, limit=limit)
    report["default"] = evaluate(file, _resources(), split=split, limit=limit)
    primary = report.get("trained", report["default"])
    out = {"weighted_f1": primary["weighted_f1"], "macro_f1": primary["macro_f1"],
           "accuracy": primary["accuracy"], "split": split, "units": primary["units"],
           "model": "trained" if model else "default", **report}
    _print(out, as_json)


@app.command("acled")
def acled(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="ACLED export CSV."),
    model: Path | None = typer.Option(None, "--model", help="A model from `tocsin train`."),
    types_only: bool = typer.Option(False, "--types-only", help="Print the type figures only."),
    limit: int | None = LimitOption,
    as_json: bool = JsonOption,
    split: str = SplitOption,
    rows_out: Path | None = typer.Option(None, "--rows-out",
                                         help="Write each row's answer as JSON lines."),
) -> None:
    """ACLED notes through extract(kind=note): type/sub-type F1, place, date, fatalities, actor1."""
    from tocsin.evaluation.acled import evaluate, read_rows
    from tocsin.evaluation.common import write_rows

    if not read_rows(file):
        typer.echo(f"error: {file} has no rows with notes", err=True)
        raise typer.Exit(2)
    report, answers = evaluate(file, _resources(model), split=split, limit=limit)
    write_rows(rows_out, answers)
    if types_only:
        report = {k: v for k, v in report.items()
                  if k in ("split", "unit", "units", "rows", "no_event_rows")
                  or k.startswith(("event_type", "sub_event_type"))}
    _print({**report, "model": "trained" if model else "default"}, as_json)


@app.command("event-location")
def event_location(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Event-location JSONL."),
    limit: int | None = LimitOption,
    skip: int = typer.Option(0, "--skip", min=0, help="Leave out the first N units of the split."),
    detect: bool = typer.Option(True, "--detect/--no-detect",
                                help="Also check whether extract finds each gold verb itself."),
    as_json: bool = JsonOption,
    split: str = SplitOption,
    rows_out: Path | None = typer.Option(None, "--rows-out",
                                         help="Write each record's answer as JSON lines."),
) -> None:
    """Event-place linking: the place extract gives the gold verb's event (or none)."""
    from tocsin.evaluation.common import write_rows
    from tocsin.evaluation.event_location import evaluate

    report, answers = evaluate(file, _resources(), split=split,
                               limit=(limit + skip) if limit else None, detect=detect,
                               skip=skip)
    write_rows(rows_out, answers)
    _print(report, as_json)


@app.command("plover")
def plover(
    path: Path = typer.Argument(..., exists=True, help="PLOVER gold folder (or its JSON file)."),
    limit: int | None = LimitOption,
    as_json: bool = JsonOption,
    split: str = SplitOption,
) -> None:
    """PLOVER gold records: event category, source/target country and sector accuracy."""
    from tocsin.evaluation.plover import evaluate, gold_file

    if not gold_file(path).is_file():
        typer.echo(f"error: {gold_file(path)} not found", err=True)
        raise typer.Exit(2)
    _print(evaluate(path, _resources(), split=split, limit=limit), as_json)


@app.command("glocon")
def glocon(
    path: Path = typer.Argument(..., exists=True,
                                help="GLOCON folder (glocon-protest/) or its document JSONL."),
    sentences: bool = typer.Option(False, "--sentences",
                                   help="Score the sentence-level labels instead of documents."),
    limit: int | None = LimitOption,
    as_json: bool = JsonOption,
    split: str = SplitOption,
) -> None:
    """GLOCON: protest detection (an asserted PROTEST mention), P/R/F1, per document or, with
    --sentences, per sentence (an asserted PROTEST mention or ACLED riot)."""
    from tocsin.evaluation.glocon import evaluate, evaluate_sentences

    score = evaluate_sentences if sentences else evaluate
    try:
        report = score(path, _resources(), split=split, limit=limit)
    except FileNotFoundError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    _print(report, as_json)


@app.command("news")
def news(
    data: Path = typer.Argument(..., exists=True, file_okay=False,
                                help="The data folder the annotated articles point into "
                                     "(../shared/data)."),
    annotations: Path | None = typer.Option(
        None, "--annotations", exists=True, file_okay=False,
        help="Folder of annotation files (default: the set shipped in tocsin/data)."),
    limit: int | None = LimitOption,
    as_json: bool = JsonOption,
    split: str = SplitOption,
) -> None:
    """Hand-annotated news: incident recall, precision of asserted mentions, non-events
    asserted, modality accuracy."""
    from tocsin.evaluation.news import evaluate as evaluate_news
    from tocsin.evaluation.news_annotations import AnnotationError

    try:
        report = evaluate_news(data, _resources(), split=split, annotations=annotations,
                               limit=limit)
    except (FileNotFoundError, AnnotationError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    _print(report, as_json)


@app.command("fusion")
def fusion(
    path: Path = typer.Argument(..., exists=True, file_okay=False,
                                help="Multi-incident folder (tests/fixtures/multi_incident)."),
    as_json: bool = JsonOption,
    split: str = SplitOption,
) -> None:
    """Multi-incident reports through ``tocsin run``: pairwise fusion precision and recall."""
    from tocsin.evaluation.fusion_pairs import evaluate_fusion

    try:
        report = evaluate_fusion(path, split=split)
    except (FileNotFoundError, ValueError, RuntimeError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    _print(report, as_json)


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


@app.command("all")
def run_all(
    data: Path = typer.Option(..., "--data", exists=True, file_okay=False,
                              help="The evaluation data folder (e.g. ../shared/data)."),
    split: str = SplitOption,
    out: Path | None = typer.Option(None, "--out", help="Write the table here "
                                    "(e.g. docs/quality.md); default: print it."),
    limit: int | None = LimitOption,
    only: list[str] | None = typer.Option(None, "--only",
                                          help="Run only these data sets (repeatable)."),
    reports_out: Path | None = typer.Option(None, "--reports-out",
                                            help="Also write every full report as JSON."),
    model: Path | None = typer.Option(
        None, "--model", help="A model from `tocsin train`: ACLED and CASE 2021 are scored "
        "again with it, as '<data set> (trained)' rows."),
) -> None:
    """Every evaluation on one split; one markdown table, one row per figure (docs/quality.md)."""
    from tocsin.evaluation.quality import figures, render
    from tocsin.evaluation.quality import run_all as run_every

    trained = _resources(model) if model is not None else None
    reports = run_every(data, _resources(), split=split, limit=limit, only=only,
                        progress=lambda name: typer.echo(f"running {name}", err=True),
                        trained=trained)
    command = "tocsin eval all " + " ".join(shlex.quote(a) for a in sys.argv[3:]) \
        if sys.argv[1:3] == ["eval", "all"] else \
        f"tocsin eval all --data {data} --split {split}" + (f" --limit {limit}" if limit else "")
    table = render(figures(reports), split=split, commit=_commit(),
                   date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                   command=command.strip(), limit=limit)
    if reports_out is not None:
        reports_out.write_text(json.dumps(reports, indent=2, default=str) + "\n",
                               encoding="utf-8")
    if out is None:
        typer.echo(table, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)
