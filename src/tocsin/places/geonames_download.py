"""``tocsin gazetteer add CC…``: download GeoNames country dumps and code tables, verify, merge.

For each country code it fetches ``{base_url}/{CC}.zip``, plus ``admin1CodesASCII.txt``,
``admin2Codes.txt`` and ``countryInfo.txt`` (and ``featureCodes_en.txt`` when asked) from the same
base URL, into a temporary folder, with a connect/read timeout and a size cap. GeoNames publishes
no checksums, so every file is verified by structure before anything is written: the zip opens and
its CRCs match, every line has the column count of its kind, and no file is empty. Only then are
the files merged with ``gazetteer_import.import_files``, in one transaction: a failed or garbage
download leaves the installed gazetteer as it was. Each file's sha256 is recorded in ``sources``.
Countries are given by ISO 3166-1 alpha-2 or alpha-3 code (SY or SYR); a ``DownloadProgress``
hears of each file's bytes and of the merge (the CLI draws it).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import httpx

from tocsin.places.gazetteer_import import ImportReport, import_files
from tocsin.places.geonames_files import DumpFormatError, detect_kind, open_lines

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"
CODE_TABLES = ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt")
FEATURE_CODES = "featureCodes_en.txt"
MAX_BYTES = 2 * 1024**3


class DownloadError(RuntimeError):
    """A file could not be fetched (HTTP error, timeout, too large)."""


class DownloadProgress(Protocol):
    """What ``add_countries`` reports while it works."""

    def started(self, name: str, total_bytes: int | None) -> None: ...

    def received(self, name: str, size: int) -> None: ...

    def merging(self, files: int) -> None: ...


def country_codes(codes: Iterable[str]) -> list[str]:
    """The GeoNames dump names (ISO 3166-1 alpha-2, once each, in order) of ISO 3166-1 alpha-2 or
    alpha-3 codes in any case; ``allCountries`` is accepted too. Raises ``ValueError``."""
    checked: list[str] = []
    for code in codes:
        value = code.strip()
        if value.lower() == "allcountries":
            found = "allCountries"
        elif re.fullmatch(r"[A-Za-z]{2}", value):
            found = value.upper()
        elif re.fullmatch(r"[A-Za-z]{3}", value):
            import pycountry

            country = pycountry.countries.get(alpha_3=value.upper())
            if country is None:
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
            found = str(country.alpha_2)
        else:
            raise ValueError(
                f"not a country code (ISO 3166-1 alpha-2 or alpha-3, e.g. SY or SYR): {code!r}"
            )
        if found not in checked:
            checked.append(found)
    return checked


def fetch(
    client: httpx.Client,
    url: str,
    target: Path,
    max_bytes: int = MAX_BYTES,
    progress: DownloadProgress | None = None,
) -> Path:
    """Stream ``url`` to ``target``; raise ``DownloadError`` on any failure."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DownloadError(f"{url}: HTTP {response.status_code}")
            if progress is not None:
                length = response.headers.get("content-length", "")
                progress.started(target.name, int(length) if length.isdigit() else None)
            size = 0
            with target.open("wb") as handle:
                for block in response.iter_bytes(1 << 16):
                    size += len(block)
                    if size > max_bytes:
                        raise DownloadError(f"{url}: larger than {max_bytes} bytes")
                    handle.write(block)
                    if progress is not None:
                        progress.received(target.name, len(block))
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
    if size == 0:
        raise DownloadError(f"{url}: empty response")
    return target


def verify(path: Path) -> int:
    """Check a downloaded dump's structure end to end; returns its data line count."""
    kind = detect_kind(path)
    from tocsin.places.geonames_files import COLUMNS

    low, high = COLUMNS[kind]
    count = 0
    for number, line in enumerate(open_lines(path), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.count("\t") + 1
        if not low <= columns <= high:
            raise DumpFormatError(f"{path.name}:{number}: {columns} columns, expected {low}-{high}")
        count += 1
    if count == 0:
        raise DumpFormatError(f"{path.name}: no data lines")
    return count


def add_countries(
    gazetteer_path: Path | str,
    codes: Iterable[str],
    *,
    base_url: str = DEFAULT_BASE_URL,
    feature_codes: bool = False,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    progress: DownloadProgress | None = None,
) -> ImportReport:
    """Download the dumps of ``codes`` (alpha-2 or alpha-3) and the code tables from ``base_url``
    and merge them."""
    countries = country_codes(codes)
    if not countries:
        raise ValueError("no country code given")
    base = base_url if base_url.endswith("/") else base_url + "/"
    names = [f"{cc}.zip" for cc in countries] + list(CODE_TABLES)
    if feature_codes:
        names.append(FEATURE_CODES)
    own_client = client is None
    http = client or httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 20.0)), follow_redirects=True
    )
    try:
        with tempfile.TemporaryDirectory(prefix="tocsin-geonames-") as folder:
            paths = []
            for name in names:
                path = fetch(http, base + name, Path(folder) / name, progress=progress)
                verify(path)
                paths.append(path)
            if progress is not None:
                progress.merging(len(paths))
            return import_files(gazetteer_path, paths)
    finally:
        if own_client:
            http.close()
