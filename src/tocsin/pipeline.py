"""The analysis stages after reading: parse, places, events — batch in, batch out.

``analyse`` runs one spaCy pass per batch (``nlp.pipe``) and then the place and event stages on
each parsed document. It knows nothing about where documents come from or where results go, so
the same function runs in the single-process runner, in ``tocsin extract`` and in Dask tasks.
The paragraph-break rule of the parser's sentences lives in ``tocsin.paragraphs``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from tocsin.mentions import find_events
from tocsin.mentions.actors.local import localise_actors
from tocsin.mentions.total_finder import find_totals
from tocsin.paragraphs import with_paragraph_breaks
from tocsin.places import find_places, resolve_spans
from tocsin.places.resolve import DOCUMENT_GUESS
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
    from spacy.language import Language
    from spacy.tokens import Doc

    from tocsin.resources import Resources

# Texts longer than this many characters are parsed in pieces (spaCy refuses texts over
# nlp.max_length, a million characters, and needs about 1 GB per 100,000 of them at once).
PARSE_CHUNK_CHARS = 100_000

def parse_chunk_chars() -> int:
    """The piece size for parsing long texts: ``TOCSIN_PARSE_CHUNK_CHARS``, else 100,000."""
    value = os.environ.get("TOCSIN_PARSE_CHUNK_CHARS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else PARSE_CHUNK_CHARS


def split_for_parsing(text: str, limit: int) -> list[str]:
    """``text`` cut into consecutive pieces of at most about ``limit`` characters.

    Cuts fall after a paragraph break (a blank line) when the piece holds one, else after a
    line break, a sentence end (". "), any whitespace, or at the limit; the whitespace at a
    cut stays with the piece before it, so the pieces joined are ``text`` exactly.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, end: int) -> int:
    """Where the piece that starts at ``start`` ends, at most about ``end``."""
    for separator in ("\n\n", "\n", ". "):
        found = text.rfind(separator, start, end)
        if found > start:
            return _after_space(text, found + len(separator))
    for position in range(end - 1, start, -1):
        if text[position].isspace():
            return _after_space(text, position)
    return end


def _after_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def parse_texts(
    nlp: Language, texts: Iterable[str], *, batch_size: int, chunk_chars: int | None = None
) -> Iterator[Doc]:
    """One parsed Doc per text (``nlp.pipe``), long texts parsed in pieces and joined.

    A text over ``chunk_chars`` (default ``parse_chunk_chars()``) is split by
    ``split_for_parsing``; its pieces are parsed one at a time (a batch of them would hold the
    parser's memory for all at once: 3.5 GB for a million characters) and their Docs joined
    with ``Doc.from_docs`` without added whitespace, so the Doc's text is the text itself and
    every token, sentence and entity offset is an offset into the whole text. A sentence or
    entity never spans a cut. Shorter texts go through ``nlp.pipe`` in batches, in order.
    """
    from spacy.tokens import Doc

    limit = max(1, min(chunk_chars or parse_chunk_chars(), nlp.max_length))
    short: list[str] = []
    for text in texts:
        if len(text) <= limit:
            short.append(text)
            if len(short) >= batch_size:
                yield from nlp.pipe(short, batch_size=batch_size)
                short = []
            continue
        if short:
            yield from nlp.pipe(short, batch_size=batch_size)
            short = []
        parts = [nlp(part) for part in split_for_parsing(text, limit)]
        yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
    if short:
        yield from nlp.pipe(short, batch_size=batch_size)


def parse_text(nlp: Language, text: str, chunk_chars: int | None = None) -> Doc:
    """``text`` parsed as by ``parse_texts`` (in pieces when it is long)."""
    (doc,) = parse_texts(nlp, [text], batch_size=1, chunk_chars=chunk_chars)
    return doc


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
        totals = find_totals(document, parsed, places, resources.lexicons)
        events = find_events(document, parsed, places, resources, verbs=verbs, totals=totals)
        if toponyms is None:
            resolve_event_places(document, parsed, places, events, resources)
        localise_actors(events, resources.lexicons.actors)
    except Exception as error:
        raise StageError("events", error) from error
    return DocumentResult(document, sentences, entities, places, events,
                          [statement.total for statement in totals])


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
            batch_size = resources.settings.batch_size
            for document, doc in zip(
                parseable, parse_texts(nlp, texts, batch_size=batch_size), strict=True
            ):
                parsed_docs[document.id] = doc
        except Exception:  # one bad text must not sink the batch: parse one by one
            parsed_docs.clear()
            for document in parseable:
                try:
                    parsed_docs[document.id] = parse_text(nlp, document.text)
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
