"""``tocsin eval``: score the pipeline against labelled data (tasks in tocsin.evaluation)."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Score Tocsin against labelled data (prints JSON metrics).", no_args_is_help=True
)


def geoparse(
    file: str = typer.Argument(..., help="GeoWebNews, LGL-format (LGL, TR-News) or GeoVirus XML."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    gazetteer: str | None = typer.Option(None, "--gazetteer", help="Gazetteer file to use."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score the first N articles."),
) -> None:
    """Geoparsing: acc161 and km errors given gold spans, recognition P/R/F1 end to end."""
    from tocsin.cli.geoparse_eval import run_geoparse_eval

    run_geoparse_eval(file, as_json=as_json, gazetteer=gazetteer, limit=limit)


app.command("geoparse")(geoparse)

from tocsin.evaluation import idetect  # noqa: E402

app.command("idetect")(idetect.command)

from tocsin.evaluation import example  # noqa: E402

app.command("example")(example.command)

from tocsin.evaluation import case2021  # noqa: E402

app.command("case2021")(case2021.command)

from tocsin.evaluation import acled  # noqa: E402

app.command("acled")(acled.command)

from tocsin.evaluation import event_location  # noqa: E402

app.command("event-location")(event_location.command)

from tocsin.evaluation import plover  # noqa: E402

app.command("plover")(plover.command)
