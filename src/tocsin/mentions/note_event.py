"""The one event of a coder's note (``Document.kind == "note"``, e.g. an ACLED note).

A note describes one event, written to a coding convention ("On <date>, <actors> <did> in
<place> (<admin2>, <admin1>). [size=...] Fatalities coded as N."), so its main record is read
from the whole note rather than from one sentence:

- the main record is the first asserted mention with an ACLED type, else the first mention;
  a mention the coder hedges as alleged ("were allegedly shot by police") counts as asserted:
  the note codes the event on its sources' word, which is what "allegedly" says there;
  a note in which no trigger is found still gets one, from its first sentence, when the typing
  classifier gives the note an ACLED type (its category is the one that type maps to);
- its place is the note's place (``place.note.location.note_location``), when it has one;
- its counts are the counts module's figures under ACLED conventions ("coded as N"), merged
  over the note's sentences (a restated toll is not added up);
- its date is the first date the note states, when it states one;
- its ACLED type and sub-type (and so its category and mode) are the whole-note classifier's
  (the trained model at ``settings.event_model_path`` when there is one, else the shipped
  default).

The main record comes first in the returned list, so it is the document's top asserted
mention. The other mentions are left as ``find_events`` made them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.mentions.counts import merge_counts
from tocsin.mentions.evidence import evidence_of
from tocsin.mentions.place.note.location import note_location
from tocsin.records import Document, EventMention, Place

if TYPE_CHECKING:
    from collections.abc import Collection

    from spacy.tokens import Doc

    from tocsin.resources import Resources


_CODED = ("asserted", "alleged")  # modalities of the event a coder's note codes


def _main_index(mentions: list[EventMention]) -> int:
    return next((i for i, m in enumerate(mentions) if m.modality in _CODED and m.acled), 0)


def note_events(document: Document, parsed: Doc, places: list[Place],
                mentions: list[EventMention], resources: Resources,
                total_tokens: Collection[int] = ()) -> list[EventMention]:
    """``mentions`` of the note with its main record completed from the whole note, first.
    The figures of cumulative totals (``total_tokens``, their words) are not the event's."""
    sentences = list(parsed.sents)
    if not sentences:
        return mentions
    lexicons = resources.lexicons
    dates, counts = lexicons.dates, lexicons.counts
    classifier = lexicons.classifiers.for_pipeline(resources.settings.event_model_path)
    event_type, sub_type = classifier.predict([document.text])[0]
    typed = lexicons.ontology.category_for_sub_type(sub_type) if sub_type else None
    if mentions:
        main = mentions[_main_index(mentions)]
        if main.modality == "alleged":
            main.modality = "asserted"
    elif typed is not None:
        main = EventMention(event=typed[0], evidence=evidence_of(document, sentences[0]),
                            mode=typed[1], modality="asserted",
                            date=dates.resolve_date(sentences[0], document.published))
    else:
        return mentions
    place = note_location(parsed, places, mentions, resources.gazetteer, lexicons=lexicons)
    if place is not None:
        main.location = place
    main.counts = merge_counts(
        counts.counts_of([m for m in counts.find_counts(sentence, None, acled_conventions=True)
                          if m.token not in total_tokens])
        for sentence in sentences)
    stated = next((m.span for m in dates.find_dates(document.text, document.published)
                   if m.span is not None and m.span.start is not None), None)
    if stated is not None:
        main.date = stated
    if typed is not None:
        main.event, main.mode = typed
        main.acled = [event_type, sub_type]
    # the note's one event is its top mention: no side mention ("... demanding its
    # resignation") may outrank it
    main.confidence = max([main.confidence, *(m.confidence for m in mentions)])
    return [main, *(m for m in mentions if m is not main)]
