"""The words behind the note-place rules: ``NoteWords``, read from
``tocsin/data/events/note_location.toml`` by ``NoteWords.load()``
once per ``Lexicons`` and passed in as ``PlaceLexicon.notes`` (no module-level caches).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from tocsin.mentions.place.note.spellings import SpellingIndex


@dataclass(frozen=True)
class NoteWords:
    """What the note-place rules read.

    - ``name_suffixes``: words that type a place name ("city", "district"), note_location.toml's
      and the event-place place nouns;
    - ``connectors``: articles and particles inside names ("Ar-Raqqa"), lower case, without the
      hyphen; ``name_connectors``: the same as written in the data file ("ad-"), for joining
      name runs;
    - ``area_words``, ``never_alone``, ``actor_heads``, ``feature_classes``, ``fineness``: the
      candidate words of ``[candidates]``;
    - ``currency_words``, ``backer_words``: words after which a demonym is no frame ("the US
      dollar", "Saudi-led");
    - ``spellings``: the spelling-variant rules with their per-gazetteer name index.
    """

    name_suffixes: frozenset[str]
    connectors: frozenset[str]
    name_connectors: frozenset[str]
    area_words: frozenset[str]
    never_alone: frozenset[str]
    actor_heads: frozenset[str]
    feature_classes: frozenset[str]
    fineness: dict[str, int]
    currency_words: frozenset[str]
    backer_words: frozenset[str]
    spellings: SpellingIndex

    @classmethod
    def load(cls, place_nouns: frozenset[str]) -> NoteWords:
        """The note words, each data file parsed once per call; ``place_nouns`` are the
        event-place words' place nouns (``PlaceWords.place_nouns``, already read), which type
        names too."""
        data = _read("note_location.toml")
        candidates: dict[str, Any] = data["candidates"]
        return cls(
            name_suffixes=frozenset(w.lower() for w in data["name_suffixes"])
            | place_nouns,
            connectors=frozenset(w.lower().strip("-") for w in candidates["connectors"]),
            name_connectors=frozenset(candidates["connectors"]),
            area_words=frozenset(w.lower() for w in candidates["area_words"]),
            never_alone=frozenset(candidates["never_alone"]),
            actor_heads=frozenset(candidates["actor_heads"]),
            feature_classes=frozenset(candidates["feature_classes"]),
            fineness={k: int(v) for k, v in candidates["fineness"].items()},
            currency_words=frozenset(w.lower() for w in data["currency_words"]),
            backer_words=frozenset(w.lower() for w in data["backer_words"]),
            spellings=SpellingIndex(data["spellings"]),
        )


def _read(name: str) -> dict[str, Any]:
    path = resources.files("tocsin").joinpath(f"data/events/{name}")
    return tomllib.loads(path.read_text(encoding="utf-8"))
