"""`make test` on a machine without PostGIS or Chromium: those tests skip with one line naming the
Debian package, and fail instead under TOCSIN_REQUIRE_SYSTEM_TESTS=1 (as in CI). Checked by running
pytest in a subprocess on probe tests that use the real fixtures, with the PostgreSQL and Chromium
lookups pointed at an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"

PROBES = '''
from live_app import chromium


def test_postgres_once(postgres_url):
    assert postgres_url


def test_postgres_twice(postgres_url):
    assert postgres_url


def test_browser():
    with chromium() as browser:
        assert browser
'''


def run_probes(tmp_path: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    (tmp_path / "test_probes.py").write_text(PROBES, encoding="utf-8")
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"TOCSIN_TEST_POSTGRES_URL", "TOCSIN_REQUIRE_SYSTEM_TESTS", "PYTEST_ADDOPTS"}
    }
    env.update(
        PG_BIN=str(empty),
        TOCSIN_CHROMIUM=str(empty / "chromium"),
        PYTHONPATH=os.pathsep.join([str(TESTS), str(SRC), env.get("PYTHONPATH", "")]),
        **extra_env,
    )
    return subprocess.run(
        # tests/conftest.py loaded as a plugin: the probes get the suite's fixtures and summary
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
         "test_probes.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.mark.slow
def test_missing_packages_skip_with_one_line_each(tmp_path: Path) -> None:
    done = run_probes(tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "3 skipped" in output
    postgis = [line for line in output.splitlines() if "postgresql-15-postgis-3" in line]
    assert postgis == [
        "2 tests skipped, system package missing: postgresql-15-postgis-3 (PostgreSQL with "
        "PostGIS; Debian: apt-get install postgresql-15-postgis-3, or set $PG_BIN to its bin "
        "folder, or $TOCSIN_TEST_POSTGRES_URL to a running server)"
    ]
    browser = [line for line in output.splitlines() if "install chromium" in line]
    assert browser == [
        "1 test skipped, system package missing: chromium (Chromium; Debian: apt-get install "
        "chromium, or set $TOCSIN_CHROMIUM to its executable)"
    ]


@pytest.mark.slow
def test_ci_turns_the_skips_into_failures(tmp_path: Path) -> None:
    done = run_probes(tmp_path, TOCSIN_REQUIRE_SYSTEM_TESTS="1")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    # the fixture's failure is an error in each PostgreSQL test; the browser test fails
    assert "1 failed, 2 errors" in output and "skipped" not in output
    assert "TOCSIN_REQUIRE_SYSTEM_TESTS is set and system package missing: " \
        "postgresql-15-postgis-3" in output
    assert "system package missing: chromium" in output
