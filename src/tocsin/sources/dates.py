"""Publication dates from the many shapes sources give them in (ISO, RFC 2822, epoch, structs),
and from the dateline of a scraped text ("Posted on 21 November 2015 by ...")."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_published(value: object) -> dt.date | None:
    """The calendar date of ``value``, or None when it cannot be read as a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    match = _ISO_DAY.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _from_epoch(seconds: float) -> dt.date | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_SHAPES = (
    re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}"),
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
    re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})"),
    re.compile(r"(?P<day>\d{1,2})[./](?P<mnum>\d{1,2})[./](?P<year>(?:19|20)\d{2})"),
)
# A dateline: an optional "Posted on" / "Published:" / "Updated" lead, a full date, and at most
# a short tail ("by Hatay Notes", "| 10:42", "- Staff reporter").
_DATELINE_LEAD = re.compile(
    r"(?:(?:posted|published|updated|filed|written|dated?)(?:\s+on)?\s*:?\s*)?", re.IGNORECASE
)
_DATELINE_TAIL = re.compile(r"(?:$|(?:by|at)\b|[|,(–—-])", re.IGNORECASE)
_DATELINE_MAX_WORDS = 12


def _full_date(parts: dict[str, str | None]) -> dt.date | None:
    month_name = parts.get("month")
    month = int(parts["mnum"] or 0) if parts.get("mnum") else \
        _MONTHS.get((month_name or "").lower())
    if not month:
        return None
    try:
        return dt.date(int(parts["year"] or 0), month, int(parts["day"] or 0))
    except ValueError:
        return None


def date_in_words(text: str) -> dt.date | None:
    """The full calendar date ``text`` consists of ("21 November 2015", "Nov. 21, 2015",
    "2015-11-21", "21.11.2015"), or None."""
    text = text.strip()
    for shape in _DATE_SHAPES:
        match = shape.fullmatch(text)
        if match is not None and (date := _full_date(match.groupdict())) is not None:
            return date
    return None


def dateline_date(line: str) -> dt.date | None:
    """The date of a dateline ("Posted on 21 November 2015 by Hatay Notes"), or None when
    ``line`` is not one: a short line that starts with a full date, after an optional lead."""
    line = line.strip()
    if not line or len(line.split()) > _DATELINE_MAX_WORDS:
        return None
    lead = _DATELINE_LEAD.match(line)
    rest = line[lead.end() if lead else 0 :]
    for shape in _DATE_SHAPES:
        match = shape.match(rest)
        if match is None or not _DATELINE_TAIL.match(rest[match.end() :].strip()):
            continue
        if (date := _full_date(match.groupdict())) is not None:
            return date
    return None
