"""The word lists and thresholds of the event-mention stages, read from the package's data files
once per process and passed in (``Resources.lexicons``), never cached at module level.

``Lexicons.load()`` parses each data file once; each stage gets the part it reads: the date rules
(``dates.toml``), the modality cues (``modality.toml``), the counts lexicon (``counts.toml``),
the event ontology (``categories.toml``, ``acled_types.tsv``), the trigger lexicon
(``triggers.tsv``, ``support_verbs.tsv``, ``mode_cues.tsv``) and the typing model's data
(``typing_model.toml``, ``typing_examples.tsv``, ``typing_slots.toml``, ``subtype_cues.tsv``)
with the classifiers built on it; the learned incident detector (``incident_detector.toml``,
read on first use); the actor tables and context rules (``data/actors``); the
event-place words (``event_place.toml``), the note-place words (``note_location.toml``,
with the spelling index of the gazetteer's names) and the adjectives of the
spaCy model the documents are parsed with (``PlaceLexicon``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tocsin.mentions.actors.normalise import ActorLexicon
from tocsin.mentions.counts import CountRules
from tocsin.mentions.dates import DateReader
from tocsin.mentions.detection.incident_detector import DetectorSlot
from tocsin.mentions.modality import ModalityRules
from tocsin.mentions.place.note.words import NoteWords
from tocsin.mentions.place.words import PlaceLexicon, PlaceWords
from tocsin.mentions.typing.classifier import Classifiers, DefaultClassifier
from tocsin.mentions.typing.default_model import TypingModel
from tocsin.mentions.typing.ontology import Ontology
from tocsin.mentions.typing.subtypes import SubtypeCues
from tocsin.mentions.typing.triggers import TriggerLexicon

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class Lexicons:
    dates: DateReader
    modality: ModalityRules
    counts: CountRules
    ontology: Ontology
    triggers: TriggerLexicon
    typing: TypingModel
    classifiers: Classifiers
    actors: ActorLexicon
    places: PlaceLexicon
    detector: DetectorSlot = field(default_factory=DetectorSlot)

    @classmethod
    def load(cls, nlp: Language | None = None) -> Lexicons:
        """Every lexicon, parsed once; ``nlp`` is the spaCy pipeline the documents are parsed
        with, whose adjectives are no mistagged place names (none without it)."""
        from tocsin.places.recognise import english_words

        dates = DateReader.load()
        ontology = Ontology.load()
        typing = TypingModel.load(SubtypeCues.load(ontology))
        actors = ActorLexicon.load()
        adjectives = english_words(nlp, ("adj",))
        place_words = PlaceWords.load()
        return cls(dates=dates, modality=ModalityRules.load(dates), counts=CountRules.load(),
                   ontology=ontology, triggers=TriggerLexicon.load(), typing=typing,
                   classifiers=Classifiers(DefaultClassifier(typing)), actors=actors,
                   places=PlaceLexicon(place_words, actors, NoteWords.load(place_words.place_nouns),
                                       adjectives))
