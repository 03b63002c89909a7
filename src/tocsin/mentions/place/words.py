"""The words behind the event-place rules: ``PlaceWords``, the word lists, weights and switches
of ``tocsin/data/events/event_place.toml``, parsed once by ``PlaceWords.load()``; and
``PlaceLexicon``, what the place rules read (these words, the actor tables, the note-place words
``NoteWords``, the spaCy model's adjectives), built once in ``Lexicons.load()`` and passed to
every place function."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tocsin.mentions.actors.normalise import ActorLexicon
    from tocsin.mentions.place.note.words import NoteWords


@dataclass(frozen=True)
class PlaceWords:
    locative: frozenset[str]
    origin: frozenset[str]
    destination: frozenset[str]
    place_nouns: frozenset[str]
    landmark: frozenset[str]
    speech: frozenset[str]
    facility: frozenset[str]
    clause_deps: frozenset[str]
    target: frozenset[str]
    source_words: frozenset[str]
    about_categories: frozenset[str]
    inherit_categories: frozenset[str]
    main_place_categories: frozenset[str]
    weights: dict[str, float]
    event_weights: dict[str, float]
    directions: frozenset[str]
    part_nouns: frozenset[str]
    candidate_nouns: frozenset[str] = frozenset()
    border_nouns: frozenset[str] = frozenset()
    article_prefixes: tuple[str, ...] = ()
    spot_verbs: frozenset[str] = frozenset()
    background_nouns: frozenset[str] = frozenset()
    org_check: bool = True
    from_noun_check: bool = True
    locative_head: bool = True
    agent_check: bool = True
    subject_conj: bool = True

    @classmethod
    def load(cls) -> PlaceWords:
        """The event-place word lists (event_place.toml), parsed once per call."""
        return _read_place_words()


@dataclass(frozen=True)
class PlaceLexicon:
    """What the event-place rules read: the event-place words, the actor tables (demonyms,
    organisations), the words of the rules that place a coder's note (``notes``) and the
    adjectives the spaCy model knows (no mistagged names)."""

    words: PlaceWords
    actors: ActorLexicon
    notes: NoteWords
    adjectives: frozenset[str] = frozenset()


def _read_place_words() -> PlaceWords:
    path = resources.files("tocsin").joinpath("data/events/event_place.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lists = {key: frozenset(w if key.endswith("categories") else w.lower() for w in data[key])
             for key, spec in PlaceWords.__dataclass_fields__.items()
             if spec.type == "frozenset[str]" and key in data}
    weights = {k: float(v) for k, v in data["weights"].items()}
    event = data.get("sentence_rules", {})
    event_weights = {**weights, **{k: float(v) for k, v in event.get("weights", {}).items()}}
    checks = {k: bool(v) for k, v in data.get("checks", {}).items()}
    fields: dict[str, Any] = {**lists, **checks}
    return PlaceWords(**fields, weights=weights, event_weights=event_weights,
                      directions=frozenset(w.lower() for w in event.get("directions", [])),
                      part_nouns=frozenset(w.lower() for w in event.get("part_nouns", [])),
                      candidate_nouns=frozenset(
                          w.lower() for w in event.get("candidate_nouns", [])),
                      article_prefixes=tuple(event.get("article_prefixes", [])),
                      spot_verbs=frozenset(w.lower() for w in event.get("spot_verbs", [])),
                      background_nouns=frozenset(
                          w.lower() for w in event.get("background_nouns", [])))
