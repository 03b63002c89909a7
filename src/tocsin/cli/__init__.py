"""The ``tocsin`` command: one Typer app whose sub-commands live in sibling modules."""

from __future__ import annotations

import typer

from tocsin import __version__
from tocsin.cli import demo, evaluate, extract, gazetteer, run, stats

app = typer.Typer(
    name="tocsin",
    help="Conflict and crisis events from news: extract, geolocate, fuse, alert.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("run")(run.command)
app.command("extract")(extract.command)
app.command("stats")(stats.command)
app.command("demo")(demo.command)
from tocsin.cli import train  # noqa: E402

app.command("train")(train.command)
from tocsin.cli import train_places  # noqa: E402

app.command("train-places")(train_places.command)
from tocsin.cli import train_detector  # noqa: E402

app.command("train-detector")(train_detector.command)
from tocsin.cli import train_event_places  # noqa: E402

app.command("train-event-places")(train_event_places.command)
from tocsin.cli import events as events_cli  # noqa: E402

app.command("events")(events_cli.events_command)
app.command("event")(events_cli.event_command)
app.command("fuse")(events_cli.fuse_command)
app.command("split-event")(events_cli.split_command)
app.command("merge-events")(events_cli.merge_command)
from tocsin.cli import totals as totals_cli  # noqa: E402

app.command("totals")(totals_cli.command)
app.add_typer(gazetteer.app, name="gazetteer")
app.add_typer(evaluate.app, name="eval")
from tocsin.cli import apikey, serve  # noqa: E402

app.command("serve")(serve.command)
app.add_typer(apikey.app, name="apikey")
from tocsin.cli import alerts as alerts_cli  # noqa: E402

app.add_typer(alerts_cli.app, name="alerts")
from tocsin.cli import watch as watch_cli  # noqa: E402

app.command("watch")(watch_cli.command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tocsin {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Tocsin reads reports of armed conflict and crises and keeps a record of events."""


def main() -> None:
    app()
