"""The system packages some tests need: PostgreSQL with PostGIS, and Chromium for the browser tests.

Where one is missing, the tests that need it are skipped, and the session's summary says so in one
line per package (``conftest.pytest_terminal_summary``) naming the Debian package to install. With
``TOCSIN_REQUIRE_SYSTEM_TESTS=1`` (``.ci/run`` sets it) they fail instead, so CI cannot skip them
silently.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

import pytest

REQUIRE = "TOCSIN_REQUIRE_SYSTEM_TESTS"
MARK = "system package missing: "


@dataclass(frozen=True)
class SystemPackage:
    debian: str  # the Debian package that brings it
    what: str
    settings: str  # how to point the tests at an installation elsewhere


POSTGIS = SystemPackage(
    "postgresql-15-postgis-3",
    "PostgreSQL with PostGIS",
    "$PG_BIN to its bin folder, or $TOCSIN_TEST_POSTGRES_URL to a running server",
)
CHROMIUM = SystemPackage("chromium", "Chromium", "$TOCSIN_CHROMIUM to its executable")


def required() -> bool:
    return os.environ.get(REQUIRE, "").strip().lower() not in {"", "0", "false", "no"}


def reason(package: SystemPackage) -> str:
    return (
        f"{MARK}{package.debian} ({package.what}; Debian: apt-get install {package.debian}, "
        f"or set {package.settings})"
    )


def missing(package: SystemPackage, detail: str) -> NoReturn:
    """Skip the current test because ``package`` is absent, or fail it when CI requires it."""
    if required():
        pytest.fail(f"{REQUIRE} is set and {reason(package)}: {detail}", pytrace=False)
    pytest.skip(reason(package))


def summary_lines(skip_reasons: Iterable[str]) -> list[str]:
    """One line per missing package, with how many tests it skipped."""
    counts = Counter(
        text[text.index(MARK) + len(MARK):] for text in skip_reasons if MARK in text
    )
    return [
        f"{count} test{'s' if count != 1 else ''} skipped, {MARK}{text}"
        for text, count in counts.items()
    ]
