"""A mistyped database path is an error, not a new empty database (issue 14, item 9): only
``run``, ``watch`` and ``serve --create`` create one; the Python API raises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tocsin
from tocsin.cli import app
from tocsin.store import DatabaseMissing, open_database

runner = CliRunner()

COMMANDS = [
    ["stats"],
    ["events"],
    ["event", "ev-1"],
    ["fuse"],
    ["split-event", "ev-1", "m-1"],
    ["merge-events", "ev-1", "ev-2"],
    ["alerts", "list"],
    ["alerts", "check"],
    ["alerts", "watch", "--times", "1"],
    ["alerts", "deliveries"],
    ["alerts", "retry"],
    ["alerts", "subscribe", "--country", "SYR", "--email", "a@b.c"],
    ["apikey", "create", "--name", "desk"],
    ["apikey", "list"],
    ["apikey", "revoke", "k1"],
    ["watch", "--status"],
    ["serve"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("where", ["nope.sqlite", "no/such/dir/x.sqlite"])
def test_a_command_on_a_missing_database_exits_2_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], where: str
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_kw: None)  # never serve for real
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, [*command, "--db", where])
    assert done.exit_code == 2, done.output
    assert done.stderr.strip() == f"error: no database at {where} (tocsin run creates one)"
    assert list(tmp_path.iterdir()) == []


def test_a_sqlite_url_names_the_file_it_looked_for(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    done = runner.invoke(app, ["stats", "--db", f"sqlite:///{missing}"])
    assert done.exit_code == 2
    assert f"no database at {missing}" in done.stderr
    assert not missing.exists()


def test_the_default_database_is_not_created_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOCSIN_DB", raising=False)
    done = runner.invoke(app, ["stats"])
    assert done.exit_code == 2
    assert "no database at tocsin.sqlite" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_run_creates_the_database_and_its_folder(tmp_path: Path) -> None:
    empty = tmp_path / "inputs"
    empty.mkdir()
    db = tmp_path / "new" / "dir" / "x.sqlite"
    done = runner.invoke(app, ["run", str(empty), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert db.exists()
    stats = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert stats.exit_code == 0, stats.output


def test_serve_create_makes_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kw: served.append(app))
    db = tmp_path / "served.sqlite"
    done = runner.invoke(app, ["serve", "--create", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert db.exists() and len(served) == 1


def test_an_existing_database_still_opens(tmp_path: Path) -> None:
    db = str(tmp_path / "there.sqlite")
    open_database(db).close()
    done = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize(
    "call",
    [
        lambda db: tocsin.events(db),
        lambda db: tocsin.event(db, "ev-1"),
        lambda db: tocsin.split_event(db, "ev-1", ["m-1"]),
        lambda db: tocsin.merge_events(db, "ev-1", "ev-2"),
    ],
    ids=["events", "event", "split_event", "merge_events"],
)
def test_the_python_api_raises_on_a_missing_database(
    tmp_path: Path, call: Callable[[str], object]
) -> None:
    missing = tmp_path / "typo.sqlite"
    with pytest.raises(FileNotFoundError, match="no database at .*typo.sqlite") as raised:
        call(str(missing))
    assert isinstance(raised.value, DatabaseMissing)
    assert not missing.exists()


def test_open_database_creates_unless_told_not_to(tmp_path: Path) -> None:
    missing = tmp_path / "a" / "b.sqlite"
    with pytest.raises(DatabaseMissing):
        open_database(str(missing), create=False)
    assert not (tmp_path / "a").exists()
    open_database(str(missing)).close()
    open_database(str(missing), create=False).close()
    open_database(":memory:", create=False).close()
