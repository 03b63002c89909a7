"""UCDP GED rows (CSV, as the Humanitarian Data Exchange exports them) as detector input.

The export's second row holds HXL hashtags and is skipped. A row becomes one Observation:
its admin1 (``adm_1`` without the trailing "province"), admin2 (``adm_2``) when given, the
concern of its ``type_of_violence`` (rules' ``[ucdp]`` table), its start day and its best
fatality estimate as people killed. Rows without an admin1 are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from tocsin.alerts.config import AlertRules, default_rules
from tocsin.alerts.observations import Area, Observation

_PROVINCE = re.compile(r"\s+(province|governorate)\s*$", re.IGNORECASE)


def admin1_name(raw: str) -> str:
    """UCDP's admin1 without the "province" suffix and surplus spaces."""
    return _PROVINCE.sub("", " ".join(raw.split()))


def _int(value: str | None) -> int:
    try:
        return max(0, int(float(value or 0)))
    except ValueError:
        return 0


def read_ucdp(path: str | Path, rules: AlertRules | None = None) -> Iterator[Observation]:
    """Observations of every usable row of a UCDP GED CSV file."""
    rules = rules or default_rules()
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        required = {"adm_1", "date_start", "type_of_violence"}
        if reader.fieldnames is None or not required <= set(reader.fieldnames):
            raise ValueError(f"{path}: not a UCDP GED export (needs columns {sorted(required)})")
        for number, row in enumerate(reader, start=2):
            if row["date_start"].startswith("#") or row.get("adm_1", "").startswith("#"):
                continue  # the HXL hashtag row
            admin1 = admin1_name(row.get("adm_1") or "")
            concern = rules.ucdp_concerns.get(_int(row.get("type_of_violence")))
            if not admin1 or concern is None:
                continue
            try:
                start = dt.date.fromisoformat(row["date_start"][:10])
                end = dt.date.fromisoformat((row.get("date_end") or row["date_start"])[:10])
            except ValueError as error:
                raise ValueError(f"{path}, row {number}: bad date ({error})") from None
            if (end - start).days > rules.max_span_days:
                continue
            admin2 = " ".join((row.get("adm_2") or "").split()) or None
            yield Observation(
                area=Area(row.get("iso3") or "", admin1, admin2),
                concern=concern,
                day=start,
                killed=_int(row.get("best")),
                event_id=f"ucdp-{row.get('id') or number}",
            )
