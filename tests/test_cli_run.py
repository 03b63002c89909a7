"""The run / stats / extract / demo commands through the real CLI, and the Python API."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin import __version__
from tocsin.cli import app

runner = CliRunner()

REPORT_A = (
    "Heavy shelling hit the market town of Kafr Nabl in Idlib province on Tuesday, "
    "local medics said. At least four people were killed and nine were wounded."
)
REPORT_B = (
    "Police in Nairobi arrested twelve demonstrators on Monday after a march against food prices "
    "turned violent near the parliament building."
)


def tocsin(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it."""
    exe = Path(sys.executable).with_name("tocsin")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT_B, encoding="utf-8")
    # The same report again, with different spacing and quotes: stored once.
    (folder / "c.txt").write_text("  " + REPORT_A.replace(" ", "  ") + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def stats(db: str) -> dict[str, int]:
    result = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_run_reports_stored_documents_and_failures_and_resumes(
    corpus: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'run.sqlite'}"
    first = runner.invoke(app, ["run", str(corpus), "--db", db])
    assert first.exit_code == 1, first.output  # the empty file failed, the rest stored
    assert "processed 2" in first.stdout
    assert "1 already stored" in first.stdout  # c.txt: a.txt's text again
    assert "empty.txt" in first.stderr and "empty.txt" not in first.stdout
    counts = stats(db)
    assert counts["documents"] == 2
    assert counts["failures"] == 1
    assert set(counts) == {"documents", "failures", "places", "mentions", "events"}

    again = runner.invoke(app, ["run", str(corpus), "--db", db])
    assert "processed 0" in again.stdout
    assert "3 already stored" in again.stdout
    assert stats(db)["documents"] == 2


def test_run_exit_zero_when_nothing_failed(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text(REPORT_B, encoding="utf-8")
    result = runner.invoke(app, ["run", str(path), "--db", str(tmp_path / "ok.sqlite")])
    assert result.exit_code == 0, result.output
    assert "processed 1" in result.stdout


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names must be Unicode")
def test_file_name_that_is_not_utf8_is_one_failure(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(REPORT_B, encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"bad\xff.txt")
    with open(bad, "wb") as stream:
        stream.write(REPORT_A.encode("utf-8"))
    db = str(tmp_path / "names.sqlite")
    result = runner.invoke(app, ["run", str(folder), "--db", db])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "processed 1" in result.stdout
    counts = stats(db)
    assert counts["documents"] == 1
    assert counts["failures"] == 1
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT locator, reason FROM failures").fetchall()
    assert len(rows) == 1
    locator, reason = rows[0]
    assert locator.endswith("bad\\xff.txt")
    assert "not valid UTF-8" in reason


@pytest.mark.parametrize(
    "args",
    [["run"], ["run", "x.txt", "--published", "21/11/2015"], ["stats", "--bogus"]],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2


def test_run_on_postgresql(corpus: Path, postgres_url: str) -> None:
    from postgres_server import fresh_schema

    with fresh_schema(postgres_url) as url:
        result = runner.invoke(app, ["run", str(corpus), "--db", url])
        assert result.exit_code == 1, result.output
        counts = stats(url)
        assert counts["documents"] == 2
        assert counts["failures"] == 1


def test_extract_json_matches_python_api(
    tmp_path: Path, example_text: str, example_gold: dict
) -> None:
    path = tmp_path / "example.txt"
    path.write_text(example_text, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "2015-11-21", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    text = record["document"]["text"]
    assert record["document"]["published"] == "2015-11-21"
    for junk in example_gold["boilerplate"]["must_not_remain"]:
        assert junk not in text
    for caption in example_gold["boilerplate"]["captions"]:
        assert caption not in text
    assert "Russian aircraft are pounding villages" in text
    assert len(record["sentences"]) > 15
    for sentence in record["sentences"]:
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    for key in ("places", "events", "entities"):
        assert isinstance(record[key], list)

    import tocsin

    from_api = tocsin.extract(example_text, published="2015-11-21")
    assert from_api["document"].pop("locator") == "<text>"
    record["document"].pop("locator")
    assert from_api == record


def test_extract_bad_input_one_line_reason(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    result = runner.invoke(app, ["extract", str(junk), "--json"])
    assert result.exit_code != 0
    assert "junk.bin" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_shows_documents(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Documents" in result.stdout
    counts = stats(str(db))
    assert counts["documents"] >= 10
    summary = next(line for line in result.stdout.splitlines() if line.startswith("processed"))
    assert " 0 already stored" not in summary  # the corpus holds one report twice
    assert "(of which 0 in an unsupported" not in summary  # and one non-English report


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, without bookkeeping columns that record when or how often."""
    connection = sqlite3.connect(path)
    tables = [
        r[0]
        for r in connection.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
            " and name != 'alembic_version'"
        )
    ]
    dump: dict[str, list[tuple]] = {}
    for table in tables:
        columns = [
            r[1]
            for r in connection.execute(f"pragma table_info({table})")
            if r[1] not in ("created_at", "updated_at", "attempts")
        ]
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = connection.execute(f"select {quoted} from {table}").fetchall()
        dump[table] = sorted(rows, key=repr)
    connection.close()
    return dump


def test_sigkill_midrun_then_rerun_gives_same_database(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(120):
        (folder / f"r{i:03d}.txt").write_text(
            f"Report number {i}. " + (REPORT_A if i % 2 else REPORT_B) * 3, encoding="utf-8"
        )
    (folder / "broken.jsonl").write_text('{"text": "Fine line about Aleppo."}\n{broken\n')
    env = {**os.environ, "TOCSIN_BATCH_SIZE": "2"}
    exe = str(Path(sys.executable).with_name("tocsin"))

    killed_db = tmp_path / "killed.sqlite"
    process = subprocess.Popen(
        [exe, "run", str(folder), "--db", str(killed_db)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    stored = 0
    deadline = time.time() + 240
    while time.time() < deadline and process.poll() is None:
        if killed_db.exists():
            try:
                with sqlite3.connect(killed_db, timeout=0.1) as connection:
                    stored = connection.execute("select count(*) from documents").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 10:
                break
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be killed"
    process.kill()  # SIGKILL
    process.wait()
    assert 10 <= stored < 121

    resumed = subprocess.run(
        [exe, "run", str(folder), "--db", str(killed_db)], env=env, capture_output=True, text=True
    )
    assert resumed.returncode == 1  # the broken JSON line
    clean_db = tmp_path / "clean.sqlite"
    clean = subprocess.run(
        [exe, "run", str(folder), "--db", str(clean_db)], env=env, capture_output=True, text=True
    )
    assert clean.returncode == 1
    assert "processed 121" in clean.stdout
    assert _dump(killed_db) == _dump(clean_db)


def test_python_dash_m_tocsin_runs_the_cli(tmp_path: Path) -> None:
    """Issue 14, item 15: ``python -m tocsin`` works like the ``tocsin`` command."""
    done = subprocess.run([sys.executable, "-m", "tocsin", "--help"], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "python -m tocsin" in done.stdout and "stats" in done.stdout
    version = subprocess.run([sys.executable, "-m", "tocsin", "--version"],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout
