"""The date of an event: absolute and relative expressions, anchored on the publication date.

"On 12 March 2015", "March 12", "12/03/2015", "on Friday", "yesterday", "last week", "earlier
this month", "in the last 3 days", "overnight", "on Sunday night", "in March" are read by
patterns in ``tocsin/data/events/dates.toml`` and resolved against the publication date into a
``DateSpan`` with a precision: day, range, week, month or year. A sentence without a date gets
the publication date with precision "published" (or an empty span when that is unknown too).

Numeric dates are read day first (12/03/2015 is 12 March) unless the data file says "mdy" or
the numbers allow only one reading. A month or day without a year is the nearest one on or
before the publication date. spaCy DATE entities that no pattern reads are tried with
dateparser, accepted only when they give a full day, month and year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

from tocsin.records import DateSpan

if TYPE_CHECKING:
    from spacy.tokens import Span

_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30,
}


def _alternatives(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _fills(data: dict[str, Any]) -> dict[str, str]:
    months = _alternatives(list(data["months"]))
    return {
        "day": r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?",
        "day2": r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?",
        "month": rf"(?P<month>{months})",
        "month2": rf"(?P<month2>{months})",
        "year": r"(?P<year>(?:19|20)\d\d)",
        "weekday": rf"(?P<weekday>{_alternatives(list(data['weekdays']))})",
        "weekday2": rf"(?P<weekday2>{_alternatives(list(data['weekdays']))})",
        "num": rf"(?P<num>\d+|(?i:{_alternatives(list(_NUM_WORDS))}))",
        "part": rf"(?P<part>{_alternatives(data['parts_of_day']['words'])})",
    }


def filled(regex: str, data: dict[str, Any]) -> str:
    """``regex`` with its placeholders ({day}, {month}, {num}, ...) filled from the tables."""
    for name, fill in _fills(data).items():
        regex = regex.replace("{" + name + "}", fill)
    return regex


def _compiled(data: dict[str, Any]) -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for pattern in data["patterns"]:
        flags = re.IGNORECASE if pattern.get("ignore_case") else 0
        compiled.append((pattern["rule"], re.compile(filled(pattern["regex"], data), flags)))
    return compiled


@dataclass
class DateMatch:
    """A date expression found in a text, and the span it resolves to (None if it cannot be)."""

    start: int
    end: int
    text: str
    rule: str
    span: DateSpan | None



# --------------------------------------------------------------------------- resolution


def _day(start: dt.date, end: dt.date | None = None, precision: str = "day") -> DateSpan:
    return DateSpan(start, end or start, precision)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_past(month: int, day: int | None, published: dt.date | None,
                  future: bool = False) -> dt.date | None:
    """The given month (and day) in the publication year, or the year before if still ahead
    (with ``future``: the year after if already past)."""
    if published is None:
        return None
    year = published.year
    if future:
        if (month, day or 31) < (published.month, published.day):
            year += 1
    elif (month, day or 1) > (published.month, published.day):
        year -= 1
    return _safe_date(year, month, day or 1)


def _month_span(year: int, month: int, published: dt.date | None = None) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    end = dt.date(year, month, last)
    if published is not None and published.year == year and published.month == month:
        end = published
    return DateSpan(dt.date(year, month, 1), end, "month")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUM_WORDS[text.lower()]


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _last_n(g: dict[str, str], published: dt.date) -> DateSpan:
    unit = g["unit"]
    hours = re.match(r"(\d+) hours", unit)
    if hours:
        days = max(1, int(hours.group(1)) // 24)
    else:
        days = _number(g["num"]) * _UNIT_DAYS[unit.rstrip("s")] if g.get("num") else _UNIT_DAYS[
            unit.rstrip("s")
        ]
    return DateSpan(published - dt.timedelta(days=days), published, "range")


def _n_ago(g: dict[str, str], published: dt.date) -> DateSpan:
    unit = g["unit"].rstrip("s")
    n = _number(g["num"])
    if unit == "day":
        return _day(published - dt.timedelta(days=n))
    if unit == "week":
        start = published - dt.timedelta(weeks=n)
        monday = start - dt.timedelta(days=start.weekday())
        return DateSpan(monday, monday + dt.timedelta(days=6), "week")
    if unit == "month":
        year, month = published.year, published.month - n
        while month < 1:
            year, month = year - 1, month + 12
        return _month_span(year, month)
    year = published.year - n
    return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


class DateReader:
    """The date rules of dates.toml, compiled once: finds the date expressions of a text and
    resolves them against the publication date."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.rules = rules
        self.patterns = _compiled(rules)

    @classmethod
    def load(cls) -> DateReader:
        path = resources.files("tocsin").joinpath("data/events/dates.toml")
        return cls(tomllib.loads(path.read_text(encoding="utf-8")))

    def find_dates(self, text: str, published: dt.date | None, *, anchor: DateSpan | None = None,
                   future: bool = False) -> list[DateMatch]:
        """Every date expression of ``text``, first in the text first (longest at one position).

        ``anchor`` is the date the text last stated, for "the day before" (else the publication
        date); with ``future``, a day or month without a year and a weekday are the next ones
        on or after publication."""
        found: list[DateMatch] = []
        for rule, regex in self.patterns:
            for match in regex.finditer(text):
                span = self._resolve(rule, match, published, anchor, future)
                if span is not None:
                    span = replace(span, text=match.group(0))
                found.append(DateMatch(match.start(), match.end(), match.group(0), rule, span))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[DateMatch] = []
        for candidate in found:
            if kept and candidate.start < kept[-1].end:
                continue  # inside a longer expression already kept
            kept.append(candidate)
        return kept

    def parse_date_expression(self, text: str, published: dt.date | None) -> DateSpan | None:
        """The date span of a plain string ("on 12 March 2015", "last week"), or None."""
        for match in self.find_dates(text, published):
            if match.span is not None:
                return match.span
        return self._dateparser_absolute(text)

    def resolve_date(self, sentence: Span, published: dt.date | None) -> DateSpan:
        """The date a sentence gives its event, else the publication date (precision
        "published")."""
        matches = [m for m in self.find_dates(sentence.text, published) if m.span is not None]
        if matches:
            return matches[0].span  # type: ignore[return-value]
        for ent in sentence.ents:
            if ent.label_ == "DATE":
                span = self._dateparser_absolute(ent.text)
                if span is not None:
                    return span
        if published is None:
            return DateSpan()
        return DateSpan(published, published, "published")

    def _month(self, name: str) -> int:
        return int(self.rules["months"][name])

    def _resolve(self, rule: str, m: re.Match[str], published: dt.date | None,
                 anchor: DateSpan | None = None, future: bool = False) -> DateSpan | None:
        g = m.groupdict()
        if rule == "day_month_year":
            date = _safe_date(int(g["year"]), self._month(g["month"]), int(g["day"]))
            return _day(date) if date else None
        if rule == "iso":
            date = _safe_date(int(g["year"]), int(g["month_num"]), int(g["day"]))
            return _day(date) if date else None
        if rule in ("numeric", "numeric_no_year"):
            return self._numeric(g, published, future)
        if rule in ("day_range_month_year", "day_range_month"):
            return self._day_range(g, published)
        if rule == "day_month":
            date = _nearest_past(self._month(g["month"]), int(g["day"]), published, future)
            return _day(date) if date else None
        if rule == "month_year":
            return _month_span(int(g["year"]), self._month(g["month"]), published)
        if rule == "month":
            first = _nearest_past(self._month(g["month"]), None, published, future)
            return _month_span(first.year, first.month, published) if first else None
        if rule == "year":
            year = int(g["year"])
            end = dt.date(year, 12, 31)
            if published is not None and published.year == year:
                end = published
            return DateSpan(dt.date(year, 1, 1), end, "year")
        if published is None:
            return None
        if rule == "weekday":
            return self._weekday(g, published, future)
        if rule == "weekday_range":
            night = self._weekday(g, published, future).start
            if night is None:
                return None
            later = (int(self.rules["weekdays"][g["weekday2"]]) - night.weekday()) % 7
            return DateSpan(night, night + dt.timedelta(days=later), "range")
        if rule in ("anchored", "anchored_count", "anchored_since"):
            return self._anchored(rule, m, published, anchor)
        if rule == "relative":
            return self._relative(m.group(0).lower(), published)
        if rule == "last_n":
            return _last_n(g, published)
        if rule == "n_ago":
            return _n_ago(g, published)
        return None

    def _numeric(self, g: dict[str, str], published: dt.date | None,
                 future: bool = False) -> DateSpan | None:
        a, b = int(g["a"]), int(g["b"])
        order = self.rules.get("numeric_order", "dmy")
        day, month = (a, b) if order == "dmy" else (b, a)
        if month > 12 and day <= 12:
            day, month = month, day
        year_text = g.get("year")
        if year_text:
            year = int(year_text)
            if year < 100:
                year += 2000
            date = _safe_date(year, month, day)
        elif month <= 12:
            date = _nearest_past(month, day, published, future)
        else:
            date = None
        return _day(date) if date else None

    def _day_range(self, g: dict[str, str], published: dt.date | None) -> DateSpan | None:
        month = self._month(g["month"])
        first_month = self._month(g["month2"]) if g.get("month2") else month
        if g.get("year"):
            end = _safe_date(int(g["year"]), month, int(g["day2"]))
        else:
            end = _nearest_past(month, int(g["day2"]), published)
        if end is None:
            return None
        year = end.year - (1 if first_month > month else 0)
        start = _safe_date(year, first_month, int(g["day"]))
        if start is None or start > end:
            return None
        return DateSpan(start, end, "range")

    def _weekday(self, g: dict[str, str], published: dt.date, future: bool = False) -> DateSpan:
        target = int(self.rules["weekdays"][g["weekday"]])
        which = (g.get("which") or "").lower()
        if future and which not in ("last", "past", "next"):
            return _day(published + dt.timedelta(days=(target - published.weekday()) % 7))
        if which == "next":
            delta = (target - published.weekday()) % 7 or 7
            return _day(published + dt.timedelta(days=delta))
        back = (published.weekday() - target) % 7
        if back == 0 and (which in ("last", "past") or not self.rules["weekday_same_day_allowed"]):
            back = 7
        return _day(published - dt.timedelta(days=back))

    def _anchored(self, rule: str, m: re.Match[str], published: dt.date,
                  anchor: DateSpan | None) -> DateSpan | None:
        """"The day before", "two days later", "since then": counted from ``anchor`` (the date
        the text last stated), else from the publication date."""
        base = anchor.start if anchor is not None and anchor.start is not None else published
        if rule == "anchored_since":
            return DateSpan(base, published, "range")
        if rule == "anchored":
            days = int(self.rules["anchored"][" ".join(m.group(0).lower().split())])
            return _day(base + dt.timedelta(days=days))
        g = m.groupdict()
        weeks = g["unit"].startswith("week")
        days = _number(g["num"]) * (7 if weeks else 1)
        date = base + dt.timedelta(days=days if g["dir"].lower() == "later" else -days)
        return DateSpan(date, date, "week" if weeks else "day")

    def _relative(self, phrase: str, published: dt.date) -> DateSpan | None:
        entry = self.rules["relative"].get(phrase)
        if entry is None:
            return None
        kind, precision = entry["kind"], entry["precision"]
        if kind == "days":
            start = published + dt.timedelta(days=entry["start_days"])
            end = published + dt.timedelta(days=entry["end_days"])
            return DateSpan(start, end, precision)
        if kind == "week":
            monday = published - dt.timedelta(days=published.weekday())
            start = monday + dt.timedelta(weeks=entry["offset"])
            end = published if entry["offset"] == 0 else start + dt.timedelta(days=6)
            return DateSpan(start, end, precision)
        if kind == "month":
            year, month = published.year, published.month + entry["offset"]
            while month < 1:
                year, month = year - 1, month + 12
            return _month_span(year, month, published)
        if kind == "year":
            year = published.year + entry["offset"]
            end = published if entry["offset"] == 0 else dt.date(year, 12, 31)
            return DateSpan(dt.date(year, 1, 1), end, precision)
        if kind == "weekend":
            sunday = published - dt.timedelta(days=(published.weekday() - 6) % 7)
            return DateSpan(sunday - dt.timedelta(days=1), sunday, precision)
        return None

    def _dateparser_absolute(self, text: str) -> DateSpan | None:
        """A full absolute date by dateparser (only when it states day, month and year)."""
        if not re.search(r"\d{4}", text):
            return None
        import dateparser

        order = "DMY" if self.rules.get("numeric_order", "dmy") == "dmy" else "MDY"
        parsed = dateparser.parse(
            text,
            languages=["en"],
            settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
                      "DATE_ORDER": order, "PREFER_DATES_FROM": "past"},
        )
        return _day(parsed.date()) if parsed else None
