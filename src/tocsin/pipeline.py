"""The analysis stages after reading: parse, places, events — batch in, batch out.

``analyse`` runs one spaCy pass per batch (``nlp.pipe``) and then the place and event stages on
each parsed document. It knows nothing about where documents come from or where results go, so
the same function runs in the single-process runner, in ``tocsin extract`` and in Dask tasks.
The paragraph-break rule of the parser's sentences lives in ``tocsin.paragraphs``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from tocsin.mentions import find_events
from tocsin.paragraphs import with_paragraph_breaks
from tocsin.places import find_places, resolve_spans
from tocsin.records import (
    STATUS_OK,
    Document,
    DocumentResult,
    Entity,
    EventMention,
    Failure,
    Place,
    Sentence,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.resources import Resources

class StageError(Exception):
    """A stage failed on one document; carries the stage's name."""

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(_one_line(error))
        self.stage = stage


def _one_line(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


def describe(
    parsed: Doc,
    document: Document,
    resources: Resources,
    *,
    toponyms: Sequence[tuple[int, int]] | None = None,
    verbs: Sequence[tuple[int, int]] | None = None,
) -> DocumentResult:
    """Every stage after the parse, for one document.

    ``toponyms`` (character spans) replaces toponym recognition: those spans are resolved, as
    the places of the document. ``verbs`` (character spans of event words) replaces trigger
    finding: one event mention per span, with everything else found as usual. Both serve
    evaluations given gold input, and users who know where the names or events are.
    """
    sentences = [
        Sentence(index=i, start=s.start_char, end=s.end_char, text=s.text)
        for i, s in enumerate(parsed.sents)
    ]
    starts = [s.start for s in sentences]
    entities = []
    for ent in parsed.ents:
        entities.append(
            Entity(
                text=ent.text,
                label=ent.label_,
                start=ent.start_char,
                end=ent.end_char,
                sentence=_sentence_of(starts, ent.start_char),
            )
        )
    try:
        places = find_places(document, parsed, resources, spans=toponyms)
    except Exception as error:
        raise StageError("places", error) from error
    try:
        events = find_events(document, parsed, places, resources, verbs=verbs)
        if toponyms is None:
            resolve_event_places(document, parsed, places, events, resources)
    except Exception as error:
        raise StageError("events", error) from error
    return DocumentResult(document, sentences, entities, places, events)


# The resolver's confidence in a name it could only guess from the document's most mentioned
# place: such a guess is no place for an event.
DOCUMENT_GUESS = 0.05


def resolve_event_places(document: Document, parsed: Doc, places: list[Place],
                         events: list[EventMention], resources: Resources) -> None:
    """Give coordinates to the event places the geoparser did not resolve.

    An event's place may be a name the geoparser left unresolved or a name only the syntax
    marks as a place ("shelled the village of X", "in the Y district"). Such names are resolved
    here with the geoparser's own resolver, together with the document's toponyms so that
    their context (country, province, nearby places) counts as it does for every toponym. A
    name that resolves to nothing, or only to the document's most mentioned place (a guess),
    keeps its text without coordinates.
    """
    unresolved = {(e.location.start, e.location.end) for e in events
                  if e.location is not None and e.location.lat is None and e.location.end > 0}
    if not unresolved:
        return
    known = {(p.start, p.end) for p in places}
    spans = sorted(known | unresolved)
    answers = dict(zip(spans, resolve_spans(document.text, spans, resources, parsed),
                       strict=True))
    for event in events:
        where = event.location
        if where is None or where.lat is not None:
            continue
        answer = answers.get((where.start, where.end))
        if answer is not None and answer.lat is not None and \
                (answer.score or 0.0) > DOCUMENT_GUESS:
            answer.sentence = where.sentence
            event.location = answer


def _sentence_of(starts: list[int], char: int) -> int:
    from bisect import bisect_right

    return max(bisect_right(starts, char) - 1, 0)


def analyse(
    documents: Sequence[Document], resources: Resources
) -> Iterator[DocumentResult | Failure]:
    """Analyse a batch; yields one result or one failure per input document, in order."""
    parseable = [d for d in documents if d.status == STATUS_OK and d.text.strip()]
    parsed_docs: dict[str, Doc | BaseException] = {}
    if parseable:
        nlp = with_paragraph_breaks(resources.nlp)
        try:
            texts = [d.text for d in parseable]
            for document, doc in zip(
                parseable, nlp.pipe(texts, batch_size=resources.settings.batch_size), strict=True
            ):
                parsed_docs[document.id] = doc
        except Exception:  # one bad text must not sink the batch: parse one by one
            parsed_docs.clear()
            for document in parseable:
                try:
                    parsed_docs[document.id] = nlp(document.text)
                except Exception as error:  # noqa: BLE001 - reported as a failure
                    parsed_docs[document.id] = error
    for document in documents:
        parsed = parsed_docs.get(document.id)
        if parsed is None:
            yield DocumentResult(document)
            continue
        if isinstance(parsed, BaseException):
            yield Failure(document.locator, "parse", _one_line(parsed))
            continue
        try:
            yield describe(parsed, document, resources)
        except StageError as error:
            yield Failure(document.locator, error.stage, str(error))
