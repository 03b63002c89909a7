"""The analysis stages after reading: parse, places, events — batch in, batch out.

``analyse`` runs one spaCy pass per batch (``nlp.pipe``) and then the place and event stages on
each parsed document. It knows nothing about where documents come from or where results go, so
the same function runs in the single-process runner, in ``tocsin extract`` and in Dask tasks.

``with_paragraph_breaks`` adds the one rule Tocsin imposes on the parser's sentences: a sentence
never runs across a blank line (a title and its first paragraph, two paragraphs, a caption).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from spacy.language import Language

from tocsin.mentions import find_events
from tocsin.places import find_places
from tocsin.records import (
    STATUS_OK,
    Document,
    DocumentResult,
    Entity,
    Failure,
    Sentence,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.resources import Resources

PARAGRAPH_BREAKS = "tocsin_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def _paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser sets the other boundaries."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


def with_paragraph_breaks(nlp: Language) -> Language:
    """``nlp`` with the paragraph-break rule before its parser (idempotent; returns ``nlp``)."""
    if PARAGRAPH_BREAKS in nlp.pipe_names:
        return nlp
    for name in ("parser", "senter", "sentencizer"):
        if name in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPH_BREAKS, before=name)
            return nlp
    nlp.add_pipe(PARAGRAPH_BREAKS, first=True)
    return nlp


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
    except Exception as error:
        raise StageError("events", error) from error
    return DocumentResult(document, sentences, entities, places, events)


def _sentence_of(starts: list[int], char: int) -> int:
    from bisect import bisect_right

    return max(bisect_right(starts, char) - 1, 0)


def analyse(
    documents: Sequence[Document], resources: Resources
) -> Iterator[DocumentResult | Failure]:
    """Analyse a batch; yields one result or one failure per input document, in order."""
    parseable = [d for d in documents if d.status == STATUS_OK and d.text.strip()]
    parsed_docs: dict[str, Doc] = {}
    if parseable:
        nlp = with_paragraph_breaks(resources.nlp)
        try:
            texts = [d.text for d in parseable]
            for document, parsed in zip(
                parseable, nlp.pipe(texts, batch_size=resources.settings.batch_size), strict=True
            ):
                parsed_docs[document.id] = parsed
        except Exception:  # one bad text must not sink the batch: parse one by one
            parsed_docs.clear()
            for document in parseable:
                try:
                    parsed_docs[document.id] = nlp(document.text)
                except Exception as error:  # noqa: BLE001 - reported as a failure
                    parsed_docs[document.id] = error  # type: ignore[assignment]
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
