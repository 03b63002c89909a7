"""The place a coder's note names right after its event place as the area that contains it
("the <X> intersection in <town>", "<X> town in <province> countryside", "<X>
district, <province>"): it says which country and province the event place is in, and stands in
for it when the gazetteer does not know the name there.

``inside_container`` re-resolves a picked place within its container; ``looked_up`` gives the
sentence's untagged names the gazetteer knows, as possible containers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tocsin.mentions.place.note.lookup import (
    AREA_CODES,
    as_place,
    lookup,
    qualifier_matches,
)
from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Span

    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.places.gazetteer_protocol import Gazetteer

# How far after a place (characters) the place that contains it may be named ("the <X>
# intersection in <town>", "<X> area, north of <Y> district").
_CONTAINER_REACH = 45
# How far (km) from its container a same-named place of the container's country may lie.
_CONTAINER_KM = 100.0
# What goes on after "X, Y" when the two are items of a list ("<A>, <B>, and <C>").
_LIST_GO_ON = re.compile(r"\s*(?:,|and\b|or\b|&)")
# What may stand between a place and its container: no verb, no conjunction ("X and Y in Z").
_GAP_POS = {"NOUN", "PROPN", "ADJ", "ADP", "DET", "NUM", "PUNCT", "PART", "X"}
# The words a place's container phrase ends with, after the place: "in", "of", "near", ",".
_CONTAINER_GAP = re.compile(r"^[^.;:()\[\]\"]*?(?:\b(?:in|of|near|outside)|,)\s+(?:the\s+)?$")


def container(sentence: Span, pick: Place, places: list[Place]) -> Place | None:
    """The place named right after ``pick`` as the area it lies in or by ("X area in Y city",
    "X industrial zone in Y", "X area, north of Y district"), if the gazetteer placed it: only
    nouns, adjectives and prepositions between them, the last "in", "of", "near" or a comma."""
    text = sentence.doc.text
    after = [p for p in places if pick.end < p.start <= min(pick.end + _CONTAINER_REACH,
                                                           sentence.end_char)
             and p.lat is not None and p.country and p.precision != "country"
             and not p.metonym]
    if not after:
        return None
    nearest = min(after, key=lambda p: p.start)
    gap = text[pick.end : nearest.start]
    if gap.strip() == "," and _LIST_GO_ON.match(text, nearest.end):
        return None  # "in <A>, <B>, and <C>": a list, not a place and its area
    between = [t for t in sentence if pick.end <= t.idx < nearest.start]
    if not _CONTAINER_GAP.match(gap) or any(t.pos_ not in _GAP_POS for t in between):
        return None
    return nearest


def looked_up(lex: PlaceLexicon, candidates: list[Place], places: list[Place],
              gazetteer: Gazetteer) -> list[Place]:
    """The sentence's untagged name candidates at their most populous gazetteer town or area
    ("shelled Bara in Idleb": Idleb), as possible containers of the place before them."""

    tagged = {(p.start, p.end) for p in places}
    found = []
    for candidate in candidates:
        if candidate.lat is not None or (candidate.start, candidate.end) in tagged:
            continue
        entries = [e for e in lookup(lex, gazetteer, candidate.text)
                   if getattr(e, "feature_class", "P") in {"P", "A"} and e.country3]
        if entries:
            found.append(as_place(candidate, max(entries, key=lambda e: e.population)))
    return found


def _within(lat: float, lon: float, place: Place, km: float) -> bool:
    """The point lies within ``km`` of ``place`` (never, when the place has no coordinates)."""
    from tocsin.geodesy import distance_km

    return place.lat is not None and place.lon is not None and \
        distance_km(lat, lon, place.lat, place.lon) <= km


def inside_container(sentence: Span, pick: Place, places: list[Place], gazetteer: Gazetteer,
                     depth: int = 3, *, lex: PlaceLexicon) -> Place:
    """A place resolved in another country than the place the note puts it in ("the <X>
    intersection in <town>" read as a homonym abroad), or in the same country but neither in
    its province nor near it, is that name inside the container, else the container itself:
    a coder codes an unknown spot at the place it lies in."""
    if pick.precision == "country":
        return pick
    outer = container(sentence, pick, places)
    if outer is None or depth < 1:
        return pick
    # "<X> road near <Y> town in <province>": the container has its own container
    outer = inside_container(sentence, outer, places, gazetteer, depth - 1, lex=lex)
    area = [n for n in (outer.admin1, outer.name) if n]
    if outer.country == pick.country:
        entry = gazetteer.get(pick.geonameid) if pick.geonameid is not None else None
        if entry is None or pick.lat is None or pick.lon is None or \
                qualifier_matches(entry, area) > 0 or \
                _within(pick.lat, pick.lon, outer, _CONTAINER_KM):
            return pick
    entries = [e for e in lookup(lex, gazetteer, pick.text) if e.country3 == outer.country
               and (qualifier_matches(e, area) > 0 or _within(e.lat, e.lon, outer,
                                                              _CONTAINER_KM))]
    if entries:
        best = max(entries, key=lambda e: (qualifier_matches(e, area),
                                           e.feature_code not in AREA_CODES, e.population))
        return as_place(pick, best)
    return outer
