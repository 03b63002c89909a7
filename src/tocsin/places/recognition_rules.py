"""The recognition rules of ``data/places/recognition.toml``, read once per process."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as package_files

from tocsin.places.names import normalise_name


@dataclass(frozen=True)
class RecognitionRules:
    place_labels: frozenset[str]
    rescue_labels: frozenset[str]
    blocked_labels: frozenset[str]
    max_tokens: int
    min_single_word_chars: int
    min_caps_word_chars: int
    common_words: frozenset[str]
    line_markers: tuple[str, ...]
    caption_max_words: int
    place_adjectives: dict[str, str]
    place_names: dict[str, str]
    facility_words: frozenset[str] = frozenset()
    locative_words: frozenset[str] = frozenset()
    never_places: frozenset[str] = frozenset()
    thoroughfare_words: frozenset[str] = frozenset()
    head_area_words: frozenset[str] = frozenset()
    never_alone: frozenset[str] = frozenset()
    never_before: frozenset[str] = frozenset()
    part_words: frozenset[str] = frozenset()
    party_letters: frozenset[str] = frozenset()
    person_heads: frozenset[str] = frozenset()
    proximity_words: frozenset[str] = frozenset()
    relative_position_words: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def recognition_rules() -> RecognitionRules:
    text = (
        package_files.files("tocsin")
        .joinpath("data", "places", "recognition.toml")
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)
    ent, matcher, boiler = data["entities"], data["matcher"], data["boilerplate"]
    return RecognitionRules(
        place_labels=frozenset(ent["place_labels"]),
        rescue_labels=frozenset(ent["rescue_labels"]),
        blocked_labels=frozenset(ent["blocked_labels"]),
        max_tokens=int(matcher["max_tokens"]),
        min_single_word_chars=int(matcher["min_single_word_chars"]),
        min_caps_word_chars=int(matcher.get("min_caps_word_chars", 4)),
        common_words=frozenset(w.casefold() for w in matcher["common_words"]),
        line_markers=tuple(boiler["line_markers"]),
        caption_max_words=int(boiler["caption_max_words"]),
        place_adjectives=dict(data.get("place_adjectives", {})),
        place_names=dict(data.get("place_names", {})),
        facility_words=frozenset(w.casefold() for w in ent.get("facility_words", ())),
        locative_words=frozenset(w.casefold() for w in ent.get("locative_words", ())),
        thoroughfare_words=frozenset(w.casefold() for w in ent.get("thoroughfare_words", ())),
        never_places=frozenset(normalise_name(w) for w in matcher.get("never_places", ())),
        head_area_words=frozenset(data.get("qualifiers", {}).get("head_area_words", ())),
        never_alone=frozenset(w.casefold() for w in matcher.get("never_alone", ())),
        never_before=frozenset(w.casefold() for w in matcher.get("never_before", ())),
        part_words=frozenset(w.casefold() for w in ent.get("part_words", ())),
        party_letters=frozenset(ent.get("party_letters", ())),
        person_heads=frozenset(w.casefold() for w in ent.get("person_heads", ())),
        proximity_words=frozenset(w.casefold() for w in ent.get("proximity_words", ())),
        relative_position_words=frozenset(
            w.casefold() for w in ent.get("relative_position_words", ())
        ),
    )
