"""Country cues: words that put a text in one country without naming a place.

"Houthi forces" places a note in Yemen, "upazila" in Bangladesh. The cues are facts kept in
``data/places/country_cues.tsv``; resolution adds the countries found to the document's
country weights, as if the text had named the country once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tocsin.places.gazetteer_build import data_rows


@lru_cache(maxsize=1)
def _cue_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {row["cue"]: row["iso2"].upper() for row in data_rows("country_cues.tsv")}
    words = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return pattern, table


def cue_countries(text: str) -> set[str]:
    """The ISO2 countries whose cues occur in ``text``."""
    pattern, table = _cue_pattern()
    return {table[m.group(1)] for m in pattern.finditer(text)}
