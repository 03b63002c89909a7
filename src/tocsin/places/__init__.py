"""Places: toponym recognition and resolution against the gazetteer (see issue 3).

``find_places`` is the pipeline stage; ``find_places_in_text`` does the same for a bare text and
its parse; ``resolve_spans`` resolves given character spans (gold toponyms in evaluation, or
spans another stage found).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tocsin.records import Document, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.places.gazetteer import Gazetteer
    from tocsin.places.recognise import Mention
    from tocsin.places.resolve import Resolution, Resolver
    from tocsin.resources import Resources


def _to_places(
    parsed: Doc | None, resolutions: Sequence[Resolution], resolver: Resolver
) -> list[Place]:
    from tocsin.places.metonymy import is_metonym

    places = []
    for res in resolutions:
        m = res.mention
        place = Place(text=m.text, start=m.start, end=m.end, sentence=m.sentence)
        entry = res.entry
        if entry is not None:
            precision = resolver.precision(entry)
            place.name = entry.name
            place.geonameid = entry.geonameid if entry.geonameid > 0 else None
            place.country = entry.country3
            place.admin1 = entry.admin1_name
            place.lat, place.lon = entry.lat, entry.lon
            place.precision = precision
            place.score = round(res.confidence, 3)
            place.metonym = is_metonym(parsed, m, entry, precision)
        else:
            place.metonym = is_metonym(parsed, m, None, "")
        places.append(place)
    return places


def find_places_in_text(text: str, parsed: Doc, resources: Resources) -> list[Place]:
    """Every toponym of ``parsed`` (the spaCy parse of ``text``) with its resolution."""
    from tocsin.places.recognise import recognise
    from tocsin.places.resolve import resolver_for

    gazetteer = resources.gazetteer
    mentions = recognise(parsed, gazetteer, resources.nlp)
    resolver = resolver_for(gazetteer)
    return _to_places(parsed, resolver.resolve(text, mentions), resolver)


def find_places(
    document: Document,
    parsed: Doc,
    resources: Resources,
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[Place]:
    """Every toponym of ``parsed`` with its resolution; metonyms are kept and marked.

    With ``spans`` (character spans of toponyms known beforehand), those spans are resolved
    instead of the recognised ones (``resolve_spans``), one Place per span in text order."""
    if spans is not None:
        ordered = sorted(set(spans))
        return resolve_spans(document.text, ordered, resources, parsed)
    return find_places_in_text(document.text, parsed, resources)


def mentions_for_spans(
    text: str, spans: Sequence[tuple[int, int]], parsed: Doc | None, gazetteer: Gazetteer
) -> list[Mention]:
    """The Mentions the resolver takes for toponyms known by their character spans."""
    from tocsin.places.recognise import DEMONYM, NAME, Mention, sentence_index
    from tocsin.places.recognition_rules import recognition_rules

    token_of: dict[int, int] = {}
    sentences: list[int] = []
    if parsed is not None:
        sentences = sentence_index(parsed)
        for token in parsed:
            token_of[token.idx] = token.i
    adjectives = recognition_rules().place_adjectives
    mentions = []
    for start, end in spans:
        surface = text[start:end]
        tok_start = token_of.get(start, -1)
        tok_end = tok_start
        if parsed is not None and tok_start >= 0:
            while tok_end < len(parsed) and parsed[tok_end].idx < end:
                tok_end += 1
        sentence = sentences[tok_start] if tok_start >= 0 and sentences else 0
        country = gazetteer.demonym(surface)
        target = None if country else adjectives.get(surface)
        kind = NAME
        if (country or target) and not _major_place(gazetteer, surface):
            kind = DEMONYM  # "Canadian", "English": not the small towns of that name
        mentions.append(
            Mention(
                start,
                end,
                surface,
                max(tok_start, 0),
                max(tok_end, 0),
                sentence,
                kind,
                "gold",
                country if kind == DEMONYM else None,
                target if kind == DEMONYM else None,
            )
        )
    return mentions


def _major_place(gazetteer: Gazetteer, name: str) -> bool:
    """True when ``name`` names an admin area or a place of at least 100,000 people."""
    from tocsin.places.recognise import MAJOR_POPULATION

    return any(
        e.feature_class == "A" or e.population >= MAJOR_POPULATION
        for e in gazetteer.lookup(name)
    )


def resolve_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    resources: Resources,
    parsed: Doc | None = None,
) -> list[Place]:
    """Resolve the toponyms at the given character spans, one Place per span in that order.

    ``parsed`` (the spaCy parse of ``text``) is optional; with it, metonyms are marked.
    The spans are resolved together, as one document's places.
    """
    from tocsin.places.resolve import resolver_for

    gazetteer = resources.gazetteer
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    mentions = mentions_for_spans(text, [spans[i] for i in order], parsed, gazetteer)
    resolver = resolver_for(gazetteer)
    placed = _to_places(parsed, resolver.resolve(text, mentions), resolver)
    result: list[Place] = [placed[0]] * len(spans) if spans else []
    for position, i in enumerate(order):
        result[i] = placed[position]
    return result
