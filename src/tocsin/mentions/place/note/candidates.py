"""Further place candidates for a coder's note: capitalised names of the note that the gazetteer
knows although the geoparser did not tag them ("the house of the Mayor of <town>", "shelled <town>
in <province>"), kept only inside the countries the note itself names or implies.

``named_candidates`` lists them; ``better_place`` decides whether one of them should replace
(or stand in for) the place ``location`` found. The words used (name connectors, feature
classes, feature codes by fineness) are ``PlaceLexicon.notes`` (data/events/note_location.toml).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tocsin.geodesy import distance_km
from tocsin.mentions.place.note.lookup import admin_key, qualifier_matches
from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer

# Longest run of name words tried as one name (names of three or four words joined by particles).
_MAX_WORDS = 4
# How far after a place (characters) the admin areas that qualify it are named ("<town>,
# <province>", "<town> (<district>, <province>)").
_AREA_REACH = 60
# A place this near (km) a named district's centre counts as inside it (the gazetteer often
# lacks a town's district).
_NEAR_KM = 40.0
# How far (km) a candidate may lie from a coarse place it refines (a province's extent).
_REFINE_KM = 250.0


@dataclass(frozen=True)
class Named:
    """A capitalised name of the note and the gazetteer entries it may be."""

    text: str
    start: int
    end: int
    sentence: int
    entries: tuple[Entry, ...]
    qualifier: bool = False  # in parentheses: "(Tuban, Lahij)" qualifies another place
    variant: bool = False  # known only in another spelling (a vowel or doubled letter apart)


def _fineness(lex: PlaceLexicon, entry: Entry) -> int:
    """Higher for finer features: a village above its district above its province."""
    ranks = lex.notes.fineness
    return ranks.get(entry.feature_code, ranks.get(entry.feature_class, 4))  # points: fine


def _name_word(tok: Token) -> bool:
    """A word of a place name: a capitalised proper noun, not an acronym ("ODM", "SMM")."""
    return tok.text[:1].isupper() and tok.pos_ == "PROPN" and not (
        len(tok.text) > 1 and tok.text.isupper())


def _runs(lex: PlaceLexicon, parsed: Doc) -> list[list[Token]]:
    """Runs of capitalised proper-noun tokens, joined through connectors ("<X> e <Y>",
    "<X> al <Y>")."""
    connectors = lex.notes.name_connectors
    runs: list[list[Token]] = []
    current: list[Token] = []
    for tok in parsed:
        if _name_word(tok) or (current and tok.text.lower() in connectors and tok.i + 1 < len(
                parsed) and _name_word(parsed[tok.i + 1]) and tok.sent == current[0].sent):
            current.append(tok)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _qualifying(parsed: Doc, first: Token) -> bool:
    """The name qualifies another place: it stands in parentheses."""
    before = parsed.text[: first.idx]
    return before.rfind("(") > before.rfind(")")


def _known(gazetteer: Gazetteer, text: str, classes: set[str]) -> tuple[Entry, ...]:
    """Entries for a name, else for its spelling without a final "h" ("Nabatiyeh")."""
    for spelling in (text, text[:-1] if text.endswith(("eh", "ah")) else None):
        if spelling:
            entries = tuple(e for e in gazetteer.lookup(spelling)
                            if e.feature_class in classes and (e.lat or e.lon))
            if entries:
                return entries
    return ()


def generic_name(lex: PlaceLexicon, text: str) -> bool:
    """The name is made of generic words only ("East District", "the Central Region")."""
    notes = lex.notes
    generic = notes.name_connectors | notes.never_alone | notes.area_words | {"the"}
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and all(w in generic for w in words)


def named_candidates(lex: PlaceLexicon, parsed: Doc, gazetteer: Gazetteer,
                     countries: set[str] | None = None) -> list[Named]:
    """The note's capitalised names the gazetteer knows as populated places or admin areas,
    longest match first within each run (inner words of a known name are not tried); with
    ``countries`` (ISO3), also names the gazetteer knows there in another spelling
    (a doubled letter apart)."""
    notes = lex.notes
    classes = set(notes.feature_classes)
    actor_heads = notes.actor_heads
    connectors = notes.name_connectors
    never_alone = connectors | notes.never_alone
    sentence_of = {s.start: n for n, s in enumerate(parsed.sents)}
    found: list[Named] = []
    for run in _runs(lex, parsed):
        if run[-1].text.lower() in actor_heads:
            continue  # "the G5 Sahel Force": an actor's name
        taken: set[int] = set()
        for size in range(min(_MAX_WORDS, len(run)), 0, -1):
            for a in range(len(run) - size + 1):
                toks = run[a : a + size]
                if toks[0].text in connectors or toks[-1].text in connectors:
                    continue
                if size == 1 and toks[0].text.lower() in never_alone:
                    continue  # "Al", "Western", "May": never a place name alone
                if generic_name(lex, " ".join(t.text for t in toks)):
                    continue  # "East District", "Central Region": no name in it
                if any(t.i in taken for t in toks):
                    continue
                text = parsed[toks[0].i : toks[-1].i + 1].text
                entries = _known(gazetteer, text, classes)
                variant = not entries and bool(countries)
                if variant:
                    entries = tuple(e for e in notes.spellings.variant_entries(
                                        gazetteer, text, countries or set())
                                    if e.feature_class in classes)
                if not entries:
                    continue
                taken.update(t.i for t in toks)
                found.append(Named(text, toks[0].idx, toks[-1].idx + len(toks[-1]),
                                   sentence_of.get(toks[0].sent.start, 0), entries,
                                   _qualifying(parsed, toks[0]), variant))
    return sorted(found, key=lambda n: n.start)


def as_place(named: Named, entry: Entry, sentence: int) -> Place:
    from tocsin.places.gazetteer import precision

    return Place(text=named.text, start=named.start, end=named.end, sentence=sentence,
                 name=entry.name, geonameid=entry.geonameid, country=entry.country3,
                 admin1=entry.admin1_name, precision=precision(entry), lat=entry.lat,
                 lon=entry.lon)


def _best_entry(lex: PlaceLexicon, named: Named, frame: Counter[str], anchors: list[Place],
                gazetteer: Gazetteer | None = None) -> Entry | None:
    """The finest entry of the name inside the frame, nearest the note's other places."""
    if frame:
        top = max(frame.values())
        entries = [e for e in named.entries if frame.get(e.country3 or "", 0) == top]
    else:
        entries = list(named.entries)
        if len({e.country3 for e in entries}) != 1:
            # no frame and an ambiguous name: only a country the gazetteer covers in full
            covered = lex.notes.spellings.covered_countries(gazetteer) \
                if gazetteer is not None else frozenset()
            entries = [e for e in entries if e.country3 in covered]
            if len({e.country3 for e in entries}) != 1:
                return None
    if not entries:
        return None
    points = [(p.lat, p.lon) for p in anchors if p.lat is not None and p.lon is not None]

    def nearness(e: Entry) -> float:
        return -min((distance_km(e.lat, e.lon, la, lo) for la, lo in points), default=0.0)

    return max(entries, key=lambda e: (_fineness(lex, e), nearness(e), e.population))


def _qualifies(lex: PlaceLexicon, text: str, place: Place, named: Named) -> bool:
    """``named`` qualifies ``place``: it follows it closely with only punctuation and words
    that type places between ("<town>, <province>", "<X> village (<district>, ...").
    """

    gap = text[place.end : named.start]
    if not (place.end <= named.start <= place.end + _AREA_REACH) or any(c in gap for c in ").;"):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", gap) if w[:1].islower()]
    return all(w.lower() in lex.notes.name_suffixes or w.lower() in lex.notes.area_words
               for w in words)


def _inside_named_areas(lex: PlaceLexicon, parsed_text: str, found: Place, names: list[Named],
                        gazetteer: Gazetteer) -> Place | None:
    """When the note names admin areas of the found place's country ("<town>, <province>") and the
    found place lies in none of them: the same name inside them, else (for a named district)
    the finest known name inside the district, the district itself last."""

    entry = gazetteer.get(found.geonameid) if found.geonameid is not None else None
    if entry is None or not found.country:
        return None
    others = [n for n in names if not (n.start <= found.start < n.end)]
    areas = [(n, e) for n in others for e in n.entries
             if _qualifies(lex, parsed_text, found, n)
             and e.feature_code in {"ADM1", "ADM2"} and e.country3 == found.country]
    if not areas:
        return None
    area_names = [n.text for n, _ in areas]
    if qualifier_matches(entry, area_names) > 0 or any(
            e.geonameid == entry.geonameid or (e.feature_code == "ADM2" and distance_km(
                e.lat, e.lon, entry.lat, entry.lon) <= _NEAR_KM) for _, e in areas):
        return None
    named_found = Named(found.text, found.start, found.end, found.sentence,
                        tuple(gazetteer.lookup(found.text)))
    for named in [named_found] + others:
        inside = [e for e in named.entries if e.country3 == found.country and
                  e.feature_class == "P" and qualifier_matches(e, area_names) > 0]
        if inside and (named is named_found or any(a.feature_code == "ADM2" for _, a in areas)):
            best = max(inside, key=lambda e: (qualifier_matches(e, area_names), e.population))
            return as_place(named, best, found.sentence)
    districts = [(n, e) for n, e in areas if e.feature_code == "ADM2"]
    if districts:
        named, best = districts[0]
        return as_place(named, best, found.sentence)
    return None


def _same_area(a: str | None, b: str) -> bool:
    """Two spellings of one admin area ("Sanaa" and "Sanaa Governorate")."""

    ka, kb = admin_key(a or ""), admin_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


def _without(frame: Counter[str], found: Place) -> Counter[str]:
    """The frame less the votes of the found place itself (as a place and as the found one)."""
    own = 1 + (2 if found.precision in {"country", "admin1"} else 1)
    rest = Counter(frame)
    if found.country is not None and found.country in rest:
        rest[found.country] = max(0, rest[found.country] - own)
    return rest


def _area_votes(names: list[Named], found: Place | None) -> Counter[str]:
    """Countries of the admin areas among the note's known names, two votes a name known in
    one country only (the found place's own name does not vote)."""
    votes: Counter[str] = Counter()
    for named in names:
        if found is not None and named.start <= found.start < named.end:
            continue
        countries = {e.country3 for e in named.entries}
        if len(countries) == 1 and any(e.feature_code in {"ADM1", "ADM2"}
                                       for e in named.entries):
            votes[countries.pop() or ""] += 2  # an admin area's name of one country only
    return votes


def _place_fineness(lex: PlaceLexicon, place: Place, gazetteer: Gazetteer) -> int:
    """How fine the found place is: its gazetteer entry's fineness, else by its precision."""
    entry = gazetteer.get(place.geonameid) if place.geonameid is not None else None
    if entry is not None:

        if entry.feature_code == "PPLA" and entry.admin1_name and \
                admin_key(entry.admin1_name).endswith(admin_key(entry.name)):
            return 1  # "in Aleppo": a province's capital may stand for its province
        return _fineness(lex, entry)
    return {"country": 0, "admin1": 1, "admin2": 2}.get(place.precision or "", 4)


def better_place(lex: PlaceLexicon, parsed: Doc, found: Place | None, places: list[Place],
                 gazetteer: Gazetteer, frame: Counter[str]) -> Place | None:
    """A gazetteer-known name of the note that should stand for the event place, or None to
    keep ``found``.

    - No place found: the first of the note's known names inside its frame (a name of a
      single country when the note has no frame).
    - A longer known name contains the found one ("<X>" inside "<X> e <Y>").
    - The found place is a country or province: a finer known name inside it.
    - The found place lies outside the countries of the admin areas the note names ("in Diyala
      province"): the name re-resolved there, else the first known name there.
    """
    top = max(frame.values(), default=0)
    countries = {c for c, v in frame.items() if v == top and v > 0 and c}
    if not countries and found is None:  # no place, no frame: the fully covered countries
        countries = set(lex.notes.spellings.covered_countries(gazetteer))
    names = named_candidates(lex, parsed, gazetteer, countries)
    if not names:
        return None
    areas = _area_votes(names, found)
    if areas:
        frame = frame + areas
        rest = _without(frame, found) if found is not None else frame
        top = max(rest.values())
        if found is not None and rest.get(found.country or "", 0) < top:
            anchors = [p for p in places if p.lat is not None and p.precision != "country"
                       and rest.get(p.country or "", 0) == top]
            covering = [n for n in names if n.start <= found.start < n.end]
            for named in covering + [n for n in names if n not in covering]:
                entry = _best_entry(lex, named, rest, anchors)
                if entry is not None:
                    return as_place(named, entry, named.sentence)
    if found is not None:
        for named in names:
            if named.start <= found.start and found.end <= named.end and \
                    named.end - named.start > found.end - found.start:
                others = Counter({c: v for c, v in frame.items() if c != found.country})
                entry = _best_entry(lex, named, others, [])
                if entry is not None:
                    return as_place(named, entry, found.sentence)
    if found is not None:
        inside = _inside_named_areas(lex, parsed.text, found, names, gazetteer)
        if inside is not None:
            return inside
    known = {(p.start, p.end) for p in places if p.lat is not None}
    fresh = [n for n in names if (n.start, n.end) not in known]
    anchors = [p for p in places if p.lat is not None and p.precision not in {"country"}]
    if found is None:
        tagged = {(p.start, p.end) for p in places}
        # names the geoparser tagged as places first, then the exact spellings
        for named in sorted(fresh, key=lambda n: ((n.start, n.end) not in tagged, n.variant)):
            entry = _best_entry(lex, named, frame, anchors, gazetteer)
            if entry is not None:
                return as_place(named, entry, named.sentence)
        return None
    coarseness = _place_fineness(lex, found, gazetteer)
    if coarseness > 2 or found.lat is None or found.lon is None:
        return None

    own = {admin_key(n) for n in (found.name, found.admin1) if n}
    # "in Londrina, Parana": the found province qualifies the known name just before it.
    qualified = [n for n in names if n.end <= found.start and
                 parsed.text[n.end : found.start] in {", ", " (", ", in "}]
    following = [n for n in names if n.qualifier and _qualifies(lex, parsed.text, found, n)]
    for named in qualified + following + [n for n in fresh if n not in following]:
        key = admin_key(named.text)
        if any(key and key in k for k in own):
            continue  # the area the found place already is
        if named.qualifier:  # "(Nihm, Sanaa)": a qualifier refines as an area, not a town
            named = replace(named, entries=tuple(e for e in named.entries
                                                 if e.feature_class == "A"))
        area = Counter({found.country: 1}) if found.country else frame
        entry = _best_entry(lex, named, area, [found])  # a finer place inside the found area
        if entry is None or _fineness(lex, entry) <= coarseness:
            continue
        if found.precision == "country" and entry.country3 == found.country:
            return as_place(named, entry, named.sentence)
        if distance_km(entry.lat, entry.lon, found.lat, found.lon) <= _REFINE_KM and (
                not found.admin1 or _same_area(entry.admin1_name, found.admin1)):
            return as_place(named, entry, named.sentence)
    return None
