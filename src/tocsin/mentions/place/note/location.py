"""The place of a short coder's note (ACLED-style): "On <date>, <actors> <did> in <Location>
(<admin2>, <admin1>)". The event toponym is picked with the event-place ranking of
``place.ranking`` and then resolved within the admin areas and countries the note itself names.
The coder's own framing comes first: the first sentence's name qualified by admin areas in
parentheses; a picked place is kept inside the place named as its container (``containers``),
and a gazetteer-known name the geoparser missed may say better where (``candidates``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tocsin.mentions.actors.normalise import country_of_word
from tocsin.mentions.place.candidates import locative_candidates
from tocsin.mentions.place.note.candidates import generic_name
from tocsin.mentions.place.note.lookup import (
    AREA_CODES,
    admin_key,
    as_place,
    in_parentheses,
    lookup,
    qualifier_matches,
)
from tocsin.mentions.place.ranking import names_actor, place_token, rank_places
from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from tocsin.mentions.lexicons import Lexicons
    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.mentions.typing.triggers import TriggerLexicon
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer

# The same for a coder's note, which nearly always says where: only far-fetched toponyms are out.
NOTE_MAX_SCORE = 12.0

# --- The place of a coder's note ("On <date>, <actors> <did> in <Location> (<admin2>, <admin1>)")

_QUALIFIERS = re.compile(r"\(([^()]{2,80})\)")
# How far after the place name its parenthetical qualifiers may start ("in Hays city in western
# Yemen (Hays, Al Hudaydah)").
_QUALIFIER_REACH = 60
# "in Londrina, Parana, a former officer ...": a capitalised name right after a comma.
_COMMA_QUALIFIER = re.compile(r",\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,2})\s*[,.;]")


def _untyped(lex: PlaceLexicon, name: str) -> str:
    """The name without the trailing words that type it: "<X> district" -> "<X>"."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in lex.notes.name_suffixes:
        words = words[:-1]
    return " ".join(words)


def _inherited(lex: PlaceLexicon, place: Place, gazetteer: Gazetteer) -> bool:
    """The geoparser gave the name a wider area's coordinates (an unknown village placed at its
    country): the gazetteer does not know the name as that place."""
    if place.lat is None or place.geonameid is None:
        return False
    if place.precision == "country" and country_of_word(place.text, lex.actors) == place.country:
        return False
    return all(e.geonameid != place.geonameid for e in lookup(lex, gazetteer, place.text))


def _describes(lex: PlaceLexicon, parsed: Doc, place: Place) -> bool:
    """The toponym only describes something ("the US dollar exchange rate")."""
    tok = place_token(parsed, place)
    return tok is None or names_actor(lex, tok, place)


def _main_anchor(sentence: Span, triggers: TriggerLexicon) -> Token:
    """The event word of a note's sentence: the trigger nearest the root, else the root."""
    anchors = [t.anchor for t in triggers.find_triggers(sentence)]
    if not anchors:
        return sentence.root
    return min(anchors, key=lambda t: (sum(1 for _ in t.ancestors), t.i))


def _qualifiers(text: str, place: Place, sentence_end: int) -> list[str]:
    """The names in the first parenthesis after ``place``: "(Tuban, Lahij)" -> [Tuban, Lahij]."""
    window = text[place.end : min(sentence_end, place.end + _QUALIFIER_REACH + 80)]
    found = _QUALIFIERS.search(window)
    if found is None or found.start() > _QUALIFIER_REACH:
        comma = _COMMA_QUALIFIER.match(window)
        return [comma.group(1)] if comma else []
    names = [n.strip() for n in re.split(r"[,;/]", found.group(1))]
    return [n for n in names if n[:1].isupper() and not any(c.isdigit() for c in n)]


def _note_words_countries(lex: PlaceLexicon, parsed: Doc) -> list[str]:
    """Countries the note's words point to: demonyms and group names ("Houthi", "Beninese")."""
    found = []
    currency, backers = lex.notes.currency_words, lex.notes.backer_words
    for tok in parsed:
        if tok.head.lower_ in currency or (
                tok.i + 1 < len(parsed) and parsed[tok.i + 1].lower_ in currency):
            continue  # "the US dollar": a currency's country is not where the note happens
        if tok.i + 2 < len(parsed) and parsed[tok.i + 1].text == "-" and \
                parsed[tok.i + 2].lower_ in backers:
            continue  # "the Saudi-led coalition": a backer's country, not the note's
        if tok.pos_ in {"PROPN", "ADJ", "NOUN"} and tok.text[:1].isupper():
            country = country_of_word(tok.text.removeprefix("pro-").removeprefix("anti-"),
                                      lex.actors)
            if country:
                found.append(country)
    return found


def _frame_countries(lex: PlaceLexicon, places: list[Place], gazetteer: Gazetteer,
                     qualifiers: list[str], words_countries: Sequence[str] = ()) -> Counter[str]:
    """Countries the note is about: its qualifiers' admin areas, its resolved places and the
    countries its demonyms and group names point to."""
    votes: Counter[str] = Counter()
    for name in qualifiers:
        for entry in lookup(lex, gazetteer, name):
            if entry.feature_code in AREA_CODES and entry.country3:
                votes[entry.country3] += 2
    seen: set[tuple[str, str]] = set()
    for place in places:
        if place.country and not place.metonym and (place.text, place.country) not in seen:
            seen.add((place.text, place.country))  # a name repeated is one piece of evidence
            votes[place.country] += 2 if place.precision in {"country", "admin1"} else 1
    for country in words_countries:
        votes[country] += 1
    return votes


# A place the geoparser chose outside the covered countries gives way to a same-named one in
# them only below this population (a city is known; a hamlet of the same name is not it).
_COVERED_MAX_POPULATION = 150_000
# ... and never when it is a capital, a province's seat or a province ("Dar'a" in Syria).
_KNOWN_CODES = {"PPLC", "PPLA", "PCLI", "ADM1"}


def _covered_instead(lex: PlaceLexicon, text: str, current: Entry | None, entries: list[Entry],
                     gazetteer: Gazetteer) -> Entry | None:
    """In a note with no frame at all: the entry of the name in a country the gazetteer
    covers in full, when the geoparser's choice is a small place elsewhere ("Tita" in
    Burkina Faso, not Chita in Japan)."""
    covered = lex.notes.spellings.covered_countries(gazetteer)
    if not covered or current is None or current.country3 in covered or \
            current.population >= _COVERED_MAX_POPULATION or current.feature_code in _KNOWN_CODES:
        return None
    local = [e for e in entries if e.country3 in covered and e.feature_class in {"P", "A"}
             and _own_name(e, text)]
    return max(local, key=lambda e: e.population) if local else None


def _own_name(entry: Entry, text: str) -> bool:
    """The entry's own name is the note's name, not one of its alternate names."""
    key = admin_key(text)
    own = {admin_key(entry.name), admin_key(entry.asciiname)}
    return bool(key) and key in own


def _in_frame(place: Place, frame: Counter[str]) -> bool:
    if not frame:
        return True
    top = max(frame.values())
    return place.country is not None and frame.get(place.country, 0) == top


def _resolve_in_frame(lex: PlaceLexicon, place: Place, text: str, sentence_end: int,
                      places: list[Place],
                      gazetteer: Gazetteer, words: list[str]) -> Place:
    """Re-resolve the note's place inside the note's own frame: the parenthetical admin areas
    after it and the countries the note names. Falls back to the nearest qualifier area when
    the gazetteer does not know the place itself."""
    qualifiers = _qualifiers(text, place, sentence_end)
    others = [p for p in places if p.text != place.text]
    frame = _frame_countries(lex, others, gazetteer, qualifiers, words)
    area = None  # the area the geoparser put an unknown name in ("Kurokura" at Mandera)
    if _inherited(lex, place, gazetteer):
        area = place.admin1 or (place.name if place.precision == "admin1" else None)
        place = replace(place, lat=None, lon=None, geonameid=None, country=None)
    entries = lookup(lex, gazetteer, place.text)
    if frame and place.lat is not None and _in_frame(place, frame) and \
            not _frame_countries(lex, others, gazetteer, qualifiers):
        return place  # only the note's demonyms frame it: the geoparser's reading stands
    if frame:
        top = max(frame.values())
        entries = [e for e in entries if frame.get(e.country3 or "", 0) == top]
        if not entries and not _in_frame(place, frame):
            # a name in another spelling than the gazetteer's: another spelling, in the frame only
            entries = [e for e in lex.notes.spellings.variant_entries(
                           gazetteer, _untyped(lex, place.text),
                           {c for c, v in frame.items() if v == top})
                       if qualifier_matches(e, qualifiers + ([area] if area else [])) > 0
                       or not (qualifiers or area)]
    elif place.lat is not None:
        current = gazetteer.get(place.geonameid) if place.geonameid is not None else None
        local = _covered_instead(lex, place.text, current, entries, gazetteer)
        if local is not None:
            return as_place(place, local)
    if entries:
        best = max(entries, key=lambda e: (qualifier_matches(e, qualifiers), e.feature_code not in
                                           AREA_CODES, e.population))
        if not frame and place.lat is None:
            best = _covered_instead(lex, place.text, best, entries, gazetteer) or best
        if place.lat is None or not _in_frame(place, frame) or (
                place.geonameid != best.geonameid and qualifier_matches(best, qualifiers) > 0):
            return as_place(place, best)
        return place
    if place.lat is not None and _in_frame(place, frame):
        return place
    for name in qualifiers:
        areas = [e for e in lookup(lex, gazetteer, name) if (not frame or e.country3 in frame)
                 and (len(qualifiers) < 2 or qualifier_matches(e, qualifiers) > 0)]
        if areas:  # inside the other named areas; the finest of them
            best = max(areas, key=lambda e: (qualifier_matches(e, qualifiers),
                                             e.feature_code != "ADM1", e.population))
            return as_place(place, best)
    return place


def note_location(
    parsed: Doc, places: list[Place], mentions: Any = (), gazetteer: Gazetteer | None = None,
    *, lexicons: Lexicons,
) -> Place | None:
    """Where the event of a short coder's note (ACLED-style) happened, with coordinates.

    The place found from the note's toponyms (``_found_place``), unless a gazetteer-known name
    of the note that the geoparser missed says better where (``better_place``): the note has no
    place, the found name is part of a longer known one, or the found place is a province or
    country with a finer known name inside it. Candidates stay inside the countries the note
    names or implies (its places, demonyms and group names).
    """
    lex = lexicons.places
    found = _found_place(parsed, places, lexicons, mentions, gazetteer)
    if gazetteer is None:
        return found
    from tocsin.mentions.place.note.candidates import better_place

    usable = [p for p in places
              if not (p.precision == "country" and _describes(lex, parsed, p))]
    framing = [p for p in usable if not _inherited(lex, p, gazetteer)]
    frame = _frame_countries(lex, framing, gazetteer, [], _note_words_countries(lex, parsed))
    for p in places:
        if p.metonym and p.country:
            frame[p.country] += 1
    if found is not None and found.country:
        frame[found.country] += 1
    return better_place(lex, parsed, found, framing, gazetteer, frame) or found


def _found_place(
    parsed: Doc, places: list[Place], lexicons: Lexicons, mentions: Any = (),
    gazetteer: Gazetteer | None = None,
) -> Place | None:
    """The note's place from its toponyms.

    The note's place is the one its first event verb puts the event in ("in", "at", "near"
    ...), chosen sentence by sentence with ``rank_places``; it is re-resolved within the admin
    areas in parentheses after it and the countries the note names (its frame), and a
    candidate that stays outside the frame gives way to the next one. Without such a place,
    the first event mention's place, then the first non-country toponym, then any toponym.
    ``mentions`` are the note's event mentions (``find_events``); ``gazetteer`` is optional.
    """
    from tocsin.mentions.place.note.containers import inside_container, looked_up

    lex = lexicons.places
    text = parsed.text
    words = _note_words_countries(lex, parsed)
    if gazetteer is not None:
        # What the note's frame counts: places that are places, not "the US dollar" nor a
        # village the geoparser put at its country.
        places = [p for p in places
                  if not (p.precision == "country" and _describes(lex, parsed, p))]
        framing = [p for p in places if not _inherited(lex, p, gazetteer)]
    else:
        framing = places
    backup: Place | None = None
    if gazetteer is not None:
        qualified = _qualified_name(lex, parsed, places, gazetteer)
        if qualified is not None:
            sentence = parsed[qualified.start_token].sent
            # framed by its own qualifiers only: they are the coder's admin areas
            own_entry = gazetteer.get(qualified.place.geonameid) \
                if qualified.place.geonameid is not None else None
            if own_entry is not None and qualified.place.lat is not None and \
                    qualifier_matches(own_entry, qualified.qualifiers) > 0 and \
                    not _inherited(lex, qualified.place, gazetteer):
                return qualified.place  # the geoparser's reading agrees with them
            pick = _resolve_in_frame(lex, qualified.place, text, sentence.end_char, [],
                                     gazetteer, [])
            entry = gazetteer.get(pick.geonameid) if pick.geonameid is not None else None
            if pick.lat is not None and entry is not None and (
                    qualifier_matches(entry, qualified.qualifiers) > 0 or entry.feature_code in
                    AREA_CODES):
                return pick
    for sentence in parsed.sents:
        own = [p for p in places if sentence.start_char <= p.start < sentence.end_char]
        candidates = own + locative_candidates(lex, sentence, own)
        if not candidates:
            continue
        anchor = _main_anchor(sentence, lexicons.triggers)
        for score, pick in rank_places(lex, anchor, sentence, candidates, []):
            if score > NOTE_MAX_SCORE:
                break
            if in_parentheses(text, pick):
                continue  # "(Tuban, Lahij)" qualifies a place; it is not the place
            if " " in pick.text.strip() and generic_name(lex, pick.text):
                continue  # "the East District": no name in it
            frame: Counter[str] = Counter()
            if gazetteer is not None:
                pick = _resolve_in_frame(lex, pick, text, sentence.end_char, framing, gazetteer,
                                         words)
                frame = _frame_countries(lex, [p for p in framing if p.text != pick.text],
                                         gazetteer, [], words)
            if gazetteer is not None:
                known = places + looked_up(lex, candidates, places, gazetteer)
                pick = inside_container(sentence, pick, known, gazetteer, lex=lex)
            if pick.lat is None:
                continue
            if _in_frame(pick, frame):
                return pick
            backup = backup or pick
    if backup is not None:
        # an event place outside the note's frame (a school named after a foreign city, in a
        # note about another country) gives way to the first place the note names inside it
        frame = _frame_countries(lex, framing, gazetteer, [], words) if gazetteer is not None \
            else Counter()
        inside = [p for p in framing if p.lat is not None and p.precision != "country"
                  and not p.metonym and frame and _in_frame(p, frame)
                  and not in_parentheses(text, p)]
        return inside[0] if inside else backup
    located = [m.location for m in mentions if m.location and m.location.lat is not None]
    if located:
        return located[0]
    usable = [p for p in places if p.lat is not None and not p.metonym and
              not _describes(lex, parsed, p)]
    local = [p for p in usable if p.precision != "country"]
    return (local or usable)[0] if usable else None


@dataclass(frozen=True)
class _Qualified:
    place: Place
    start_token: int
    qualifiers: list[str]


def _qualified_name(lex: PlaceLexicon, parsed: Doc, places: list[Place],
                    gazetteer: Gazetteer) -> _Qualified | None:
    """The first name the note qualifies with its admin areas in parentheses ("at <X>
    village (Barwani, Madhya Pradesh)", "in At Turbah area (Ash Shamayatayn, Taizz)"): the
    coder's own location, whichever place the sentence's verbs name besides."""
    skip = (lex.notes.name_suffixes | lex.notes.area_words) - {"of", "in"}
    joins = lex.notes.connectors
    first = next(iter(parsed.sents), None)
    for tok in first if first is not None else []:
        if tok.text != "(":
            continue
        close = next((t for t in parsed[tok.i + 1 : tok.i + 16] if t.text == ")"), None)
        if close is None:
            continue
        inner = parsed[tok.i + 1 : close.i].text
        names = [n.strip() for n in re.split(r"[,;/]", inner)]
        if not any(n[:1].isupper() and any(e.feature_code in AREA_CODES
                                           for e in lookup(lex, gazetteer, n)) for n in names):
            continue  # "(coded as ...)", "(QSD)": no admin area
        i = tok.i - 1
        while i >= 0 and parsed[i].lower_ in skip:
            i -= 1  # "village", "area", "upazila"
        run: list[Token] = []
        while i >= 0 and len(run) < 4 and parsed[i].sent == tok.sent and (
                parsed[i].text[:1].isupper() or (run and parsed[i].lower_ in joins)):
            run.insert(0, parsed[i])
            i -= 1
        while run and run[0].lower_ in joins and not run[0].text[:1].isupper():
            run.pop(0)
        if not run or generic_name(lex, " ".join(t.text for t in run)):
            return None  # "in Al Wahabiyah frontline (...)": the coder's place is not a name
        start, end = run[0].idx, run[-1].idx + len(run[-1])
        tagged = [p for p in places if p.start <= start < p.end or start <= p.start < end]
        if country_of_word(" ".join(t.text for t in run), lex.actors) or any(
                p.precision == "country" for p in tagged):
            return None  # "in X district in western Yemen (Al Hudaydah)"
        place = tagged[0] if tagged else Place(text=parsed.text[start:end], start=start,
                                               end=end, sentence=0)
        return _Qualified(place, run[0].i, [n for n in names if n[:1].isupper()])
    return None
