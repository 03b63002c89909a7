"""The word lists and thresholds of the event-mention stages, read from the package's data files
once per process and passed in (``Resources.lexicons``), never cached at module level.

``Lexicons.load()`` parses each data file once; each stage gets the part it reads: the date rules
(``dates.toml``), the modality cues (``modality.toml``) and the counts lexicon (``counts.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tocsin.mentions.counts import CountRules
from tocsin.mentions.dates import DateReader
from tocsin.mentions.modality import ModalityRules


@dataclass(frozen=True)
class Lexicons:
    dates: DateReader
    modality: ModalityRules
    counts: CountRules

    @classmethod
    def load(cls) -> Lexicons:
        dates = DateReader.load()
        return cls(dates=dates, modality=ModalityRules.load(dates), counts=CountRules.load())
