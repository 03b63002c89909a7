"""The event's place: which toponym of the sentence is where this event happened.

Candidates are the sentence's non-metonymic toponyms (from the geoparser) plus proper names that
the syntax itself marks as places (``candidates``); a sentence the parser cut at a
bracket is first joined again (``bracket_cuts``). Each candidate is scored by its distance from
the trigger in the dependency tree, with penalties for what makes a toponym something other than
the event's place: the origin or destination of a movement, a landmark ("close to the border"), a
whole country when a town is named, the seat of a speaker ("said in Washington"), a place that
another event of the sentence governs. The best-scored candidate is the event's place; a document
can also lend its main place to unplaced mentions. The words behind these rules are in
``tocsin/data/events/event_place.toml`` (``words``); every rule takes the ``PlaceLexicon``
(``Lexicons.places``) it reads.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from tocsin.mentions.place.candidates import (
    NAME_DEPS,
    is_demonym,
    is_place_noun,
    mistagged_name,
)
from tocsin.mentions.place.event_place_setting import learned_ranker_on
from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from tocsin.mentions.place.words import PlaceLexicon


# Beyond this score (dependency arcs plus penalties) a sentence's toponym is taken to be about
# something else than the event; measured on the first half of the event-location data.
LOCATE_MAX_SCORE = 7.0
_NOUN_POS = {"PROPN", "NOUN"}
_QUOTES = {'"', "\u201c", "\u201d", "''", "``"}


def _path(a: Token, b: Token) -> int:
    """Number of dependency arcs between two tokens of one sentence."""
    up_a: dict[int, int] = {}
    node, depth = a, 0
    while True:
        up_a[node.i] = depth
        if node.head == node:
            break
        node, depth = node.head, depth + 1
    node, depth = b, 0
    while node.i not in up_a:
        if node.head == node:
            return 99
        node, depth = node.head, depth + 1
    return depth + up_a[node.i]


def place_token(parsed: Doc, place: Place) -> Token | None:
    span = parsed.char_span(place.start, place.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _in_subtree(tok: Token, root: Token) -> bool:
    return root.left_edge.i <= tok.i <= root.right_edge.i and root in [tok, *tok.ancestors]


def _introducer(lex: PlaceLexicon, tok: Token) -> Token | None:
    """The preposition that introduces the phrase of ``tok`` ("in" for "in the town of X")."""
    words = lex.words
    node = tok
    for _ in range(5):
        if node.head == node:
            return None
        if node.dep_ in {"pobj", "pcomp"} and node.head.pos_ in {"ADP", "SCONJ", "ADV"}:
            return node.head
        if node.dep_ in NAME_DEPS | {"appos", "conj", "amod"} or (
            node.head.dep_ == "prep" and node.head.lower_ == "of"
        ) or node.head.lower_ in words.place_nouns:
            node = node.head
            continue
        if node.dep_ == "prep" or node.pos_ == "ADP":
            return node
        return None
    return None


def _locative_phrase(lex: PlaceLexicon, tok: Token) -> bool:
    """``tok`` heads a phrase that a locative preposition puts somewhere ("in his Moscow home",
    "on the doorstep of his Moscow apartment", "near Pakistan's parliament")."""
    words = lex.words
    node = tok
    for _ in range(3):
        intro = _introducer(lex, node)
        if intro is None:
            return False
        if intro.lower_ in words.locative:
            return True
        if intro.lower_ != "of" or intro.head == intro:
            return False
        node = intro.head
    return False


def names_actor(lex: PlaceLexicon, tok: Token, place: Place) -> bool:
    """The toponym names or describes an actor, not a location: "U.S. soldiers", "the United
    States has captured", "Africa's longest conflict", or a known organisation ("Hamas")."""
    if place.text.lower() in lex.actors.organisations:
        return True
    words = lex.words
    if tok.dep_ in {"compound", "amod", "poss", "nmod", "npadvmod"}:
        head = tok.head
        if head.pos_ != "PROPN" and head.lower_ not in words.place_nouns and \
                head.lemma_.lower() not in words.place_nouns and \
                not (words.locative_head and _locative_phrase(lex, head)):
            return True
    intro = _introducer(lex, tok)
    if intro is not None:
        return words.agent_check and intro.dep_ == "agent"
    node = tok
    while node.dep_ == "conj" and node.head != node and words.subject_conj:
        node = node.head
    return node.dep_ == "nsubj"


def _speaker_seat(lex: PlaceLexicon, tok: Token, anchor: Token) -> bool:
    """``tok`` hangs from a speech verb that governs the event ("said in Washington that ...")."""
    words = lex.words
    for verb in tok.ancestors:
        if verb.pos_ in {"VERB", "AUX"}:
            return verb != anchor and verb.lemma_.lower() in words.speech and \
                anchor in list(verb.subtree)
    return False


def _phrase_head(lex: PlaceLexicon, tok: Token) -> Token:
    """The place noun a name belongs to ("Kafr Sousah village", "the town of Adwar")."""
    node = tok
    for _ in range(3):
        head = node.head
        if node.dep_ in {"compound", "appos"} and head != node and is_place_noun(lex, head):
            node = head
        elif node.dep_ == "pobj" and head.lower_ == "of" and is_place_noun(lex, head.head):
            node = head.head
        else:
            break
    return node


def _clause_crossings(lex: PlaceLexicon, anchor: Token, tok: Token) -> int:
    """Clause boundaries between the event verb and the toponym: verbs reached through advcl,
    ccomp, relcl, acl or parataxis ("killed as warplanes bombarded X") on the dependency path."""
    words = lex.words
    above = {t.i for t in [anchor, *anchor.ancestors]}
    crossings = 0
    node = tok
    while node.i not in above and node.head != node:
        if node.dep_ in words.clause_deps and node.pos_ in {"VERB", "AUX"}:
            crossings += 1
        node = node.head
    lca = node
    node = anchor
    while node != lca and node.head != node:
        if node.dep_ in words.clause_deps and node.pos_ in {"VERB", "AUX"}:
            crossings += 1
        node = node.head
    return crossings


def _chain_up(lex: PlaceLexicon, tok: Token) -> list[Token]:
    """The tokens a place phrase hangs from inside one noun phrase chain ("Nablus" -> "of" ->
    "city"; "Idlib" -> "in" -> "countryside"; "Guaviare" -> appos "Calamar")."""
    words = lex.words
    chain = []
    node = tok
    for _ in range(8):
        head = node.head
        if head == node:
            break
        if node.dep_ in {"pobj"} and head.lower_ in words.locative | {"of"} and \
                head.head.pos_ in _NOUN_POS | {"PROPN"}:
            chain.extend([head, head.head])
            node = head.head
        elif node.dep_ in {"appos", "compound", "conj", "nmod", "npadvmod"} and \
                head.pos_ in _NOUN_POS:
            chain.append(head)
            node = head
        else:
            break
    return chain


def _last_word(tok: Token) -> str:
    right = tok
    while right.i + 1 < len(tok.doc) and tok.doc[right.i + 1].head == tok and \
            tok.doc[right.i + 1].pos_ == "PROPN":
        right = tok.doc[right.i + 1]
    return right.lower_


def _is_container(lex: PlaceLexicon, outer: Token, inner: Token, parts: bool = False) -> bool:
    """``outer`` names the area around ``inner``: "the West Bank city of Nablus", "Muuri village
    in Lower Shabelle", "Calamar, Guaviare province"."""
    if outer.i == inner.i:
        return False
    outer_head, inner_head = _phrase_head(lex, outer), _phrase_head(lex, inner)
    if outer_head == inner_head:
        if parts and outer_head.lower_ in lex.words.part_nouns:
            # "the Shaab neighbourhood of Baghdad": the name after "of" is the wider area
            return inner.dep_ in {"compound", "nmod"} and inner.head == inner_head and \
                outer.dep_ == "pobj" and outer.head.lower_ == "of"
        # "the West Bank city of Nablus": the modifier of the place noun is the wider area, but
        # in "the Mohammad Agha district of Logar province" the place noun's own name is not.
        return outer.dep_ in {"compound", "amod", "nmod"} and outer.head == inner_head and \
            inner.dep_ == "pobj" and inner.head.lower_ == "of" and \
            inner.head.head == inner_head and not is_place_noun(lex, inner)
    if _last_word(inner) in lex.words.facility:
        return False  # "outside Al-Midan Theater in Haifa": the town, not the building
    return inner_head in _chain_up(lex, outer)


def _contains(lex: PlaceLexicon, outer: Token, outer_place: Place, inner: Token, inner_place: Place,
              sentence_rules: bool) -> bool:
    """``outer`` names the area around ``inner`` (``_is_container``); with ``sentence_rules``,
    "the Homs neighbourhood of Baba Amr", where the gazetteer knows the name before the part
    noun and not the one after "of", reads the other way round from "the Shaab neighbourhood
    of Baghdad"."""
    if sentence_rules:
        if _known_city_of_part(lex, outer, outer_place, inner, inner_place):
            return True
        if _known_city_of_part(lex, inner, inner_place, outer, outer_place):
            return False
        if _finer(outer_place, inner_place):
            return False
    return _is_container(lex, outer, inner, sentence_rules)


_RANK = {"country": 0, "region": 1, "admin1": 1, "admin2": 2, "town": 3, "point": 4}


def _finer(place: Place, other: Place) -> bool:
    """The gazetteer makes ``place`` a finer level than ``other`` in the same country ("Deir
    ez-Zor province, eastern Syria"): it cannot be the area around ``other``."""
    if place.precision not in _RANK or other.precision not in _RANK:
        return False
    return place.country == other.country and _RANK[place.precision] > _RANK[other.precision]


def _known_city_of_part(lex: PlaceLexicon, outer: Token, outer_place: Place, inner: Token,
                        inner_place: Place) -> bool:
    """"the <outer> neighbourhood of <inner>" where only ``outer`` is a known place."""
    head = outer.head
    return outer.dep_ in {"compound", "nmod"} and head.lower_ in lex.words.part_nouns and \
        inner.dep_ == "pobj" and inner.head.lower_ == "of" and inner.head.head == head and \
        outer_place.precision is not None and inner_place.precision is None


def _score(lex: PlaceLexicon, anchor: Token, tok: Token, place: Place, other_anchors: list[Token],
           displacement: bool, sentence_rules: bool = False) -> float:
    words = lex.words
    weight = words.event_weights if sentence_rules else words.weights
    score = float(_path(anchor, _phrase_head(lex, tok)))
    intro = _introducer(lex, tok)
    prep = intro.lower_ if intro is not None else ""
    if prep in words.origin or (displacement and _in_object(tok, anchor)):
        # "fled from X", and for a displacement "escaping the fighting in X", "fled their
        # villages in X": where people left is the displacement's place
        score += -1.0 if displacement else weight["origin"]
    elif prep in words.destination:
        score += weight["destination"]
    elif prep in words.target:
        score += weight["target"]
    node = tok
    while node != anchor and node.head != node:
        if node.lower_ in words.landmark:
            score += weight["landmark"]
            break
        node = node.head
    if place.precision == "country":
        score += weight["country"]
    last = place.text.split()[-1].lower() if place.text.split() else ""
    if last in words.facility:
        score += weight["facility"]
    if tok.dep_ == "poss":
        score += weight["possessor"]
    if _speaker_seat(lex, tok, anchor):
        score += weight["speaker_seat"]
    if _seat_of_other_subject(lex, tok, anchor):
        score += weight["other_subject"]
    if any(other != anchor and _in_subtree(tok, other) and _in_subtree(other, anchor)
           for other in other_anchors):
        score += weight["other_event"]
    score += weight["clause"] * _clause_crossings(lex, anchor, tok)
    if sentence_rules:
        score += _sentence_adjustment(lex, anchor, tok, intro, weight)
    return score


def _sentence_adjustment(lex: PlaceLexicon, anchor: Token, tok: Token, intro: Token | None,
                         weight: dict[str, float]) -> float:
    """The rules of ``[sentence_rules]`` (event_place.toml) for the place of one event verb in
    running text; a coder's note, which nearly always says where, does without them."""
    words = lex.words
    prep = intro.lower_ if intro is not None else ""
    extra = 0.0
    if intro is None:
        extra += weight.get("no_preposition", 0.0)
    elif prep not in words.locative | words.origin | words.destination | words.target | {"of"}:
        extra += weight.get("other_preposition", 0.0)
    if tok.i < anchor.i:
        extra += weight.get("before_verb", 0.0)
    if tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and \
            tok.head.ent_type_ in {"PERSON", "ORG"} and not is_place_noun(lex, tok.head) and \
            tok.head.lower_ not in words.facility:
        extra += weight.get("name_part", 0.0)
    if tok.dep_ == "poss" and is_place_noun(lex, tok.head):
        extra += weight.get("place_possessor", 0.0)
    if any(c.dep_ == "auxpass" for c in anchor.children):
        extra += weight.get("passive", 0.0)
    if _reference_point(lex, tok):
        extra += weight.get("reference_point", 0.0)
    lemma = anchor.lemma_.lower()
    if lemma in words.speech:
        extra += weight.get("speech_verb", 0.0)
    if lemma in words.spot_verbs:
        extra += weight.get("spot_verb", 0.0)
    if tok.dep_ in {"compound", "nmod", "amod"} and \
            tok.head.lemma_.lower() in words.background_nouns:
        extra += weight.get("background", 0.0)
    extra += weight.get("nested_phrase", 0.0) * _nested_phrases(anchor, _phrase_head(lex, tok))
    if _taken_by_other_verb(lex, tok, anchor):
        extra += weight.get("other_verb_object", 0.0)
    if _across_quote(anchor, tok):
        extra += weight.get("across_quote", 0.0)
    if any(t.pos_ == "ADP" and t.lower_ in words.target and t.head == anchor
           for t in _between(anchor, _phrase_head(lex, tok)) or []):
        extra += weight.get("target_phrase", 0.0)
    if any(c.dep_ == "neg" for c in anchor.children):
        extra += weight.get("negated", 0.0)
    for child in anchor.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child != tok and _in_subtree(tok, child):
            extra += weight.get("in_subject", 0.0)
        elif child.dep_ == "dobj" and child != tok and _in_subtree(tok, child):
            extra += weight.get("in_object", 0.0)
    return extra


def _between(a: Token, b: Token) -> list[Token] | None:
    """The tokens on the dependency path from ``a`` to ``b``, both left out (None when the two
    are in different trees)."""
    up = [a, *a.ancestors]
    seen = {t.i: k for k, t in enumerate(up)}
    down: list[Token] = []
    node = b
    while node.i not in seen:
        down.append(node)
        if node.head == node:
            return None
        node = node.head
    return (up[: seen[node.i] + 1] + down[::-1])[1:-1]


def _nested_phrases(anchor: Token, head: Token) -> int:
    """Prepositions beyond the first on the path from the event verb to a toponym's phrase when
    no other verb stands between them: in "died in a raid on a convoy near Dorvale" the town
    sits in phrases about the event itself, nearer than its arcs say."""
    path = _between(anchor, head)
    if path is None or any(t.pos_ in {"VERB", "AUX"} for t in [*path, head]):
        return 0
    return max(0, sum(1 for t in path if t.pos_ == "ADP") - 1)


def _taken_by_other_verb(lex: PlaceLexicon, tok: Token, anchor: Token) -> bool:
    """The toponym is the direct object of another verb than the event's, and its name does not
    end in a place noun: a participant ("thanking Moscow", "helped Lebanon"), not where the
    event happened."""
    words = lex.words
    if tok.dep_ != "dobj" or tok.head == anchor:
        return False
    return not (is_place_noun(lex, tok) or tok.lower_ in words.facility)


def _across_quote(anchor: Token, tok: Token) -> bool:
    """An odd number of quotation marks stands between the event verb and the toponym: one of
    them is inside quoted words and the other is not."""
    low, high = sorted((anchor.i, tok.i))
    return sum(1 for t in anchor.doc[low:high] if t.text in _QUOTES) % 2 == 1


def _reference_point(lex: PlaceLexicon, tok: Token) -> bool:
    """The toponym only measures where something else is ("80 km south of Baghdad", "north of
    the capital Algiers"); "the north of Syria" (a region, with its article) is a place."""
    head = tok.head
    if tok.dep_ != "pobj" or head.lower_ != "of" or head.head == head:
        return False
    direction = head.head
    return direction.lower_ in lex.words.directions and \
        not any(c.dep_ == "det" for c in direction.children)


def _in_object(tok: Token, anchor: Token) -> bool:
    """The toponym is inside the direct object of the event verb."""
    return any(c.dep_ == "dobj" and _in_subtree(tok, c) for c in anchor.children)


def _seat_of_other_subject(lex: PlaceLexicon, tok: Token, anchor: Token) -> bool:
    """The toponym only says where the subject of another verb sits ("the demonstration took
    place after the Foreign Ministry in Ankara called in the ambassador")."""
    intro = _introducer(lex, tok)
    if intro is None or intro.lower_ not in lex.words.locative:
        return False
    holder = intro.head
    if holder.pos_ not in _NOUN_POS or holder.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    verb = holder.head
    return verb != anchor and anchor not in list(holder.subtree) and \
        verb not in list(anchor.ancestors) and anchor.head != verb


def _never_the_place(lex: PlaceLexicon, tok: Token, place: Place) -> bool:
    """Toponyms that are never where an event happened: a source ("according to the YPG Media
    Center"), a name ending an organisation's name ("the Islamic State of Iraq"), where a person
    or group comes from ("fighters from the Levant Front")."""
    words = lex.words
    node = tok
    for _ in range(6):
        if node.lower_ in words.source_words and node.dep_ == "prep":
            return True
        if node.head == node:
            break
        node = node.head
    if tok.ent_type_ == "ORG" and words.org_check and not _locative_phrase(lex, tok):
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None and ent.label_ == "ORG" and ent.start_char < place.start and \
                (ent.end_char - ent.start_char) > (place.end - place.start) + 4:
            return True
    intro = _introducer(lex, tok)
    if intro is not None and intro.lower_ in words.origin and intro.head.pos_ in _NOUN_POS and \
            intro.head.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"} and \
            words.from_noun_check:
        return True
    return False


_HEADING_LETTERS = 4


def _not_running_text(lex: PlaceLexicon, text: str) -> bool:
    """A name that is no toponym of running text: one written all in capitals (at least
    ``_HEADING_LETTERS`` letters, no abbreviation dots), which is a headline, a dateline or an
    acronym ("MEXICO CITY --", "USSR")."""
    letters = sum(ch.isalpha() for ch in text)
    return text.isupper() and "." not in text and letters >= _HEADING_LETTERS


def choose_place(
    lex: PlaceLexicon,
    anchor: Token,
    sentence: Span,
    places: list[Place],
    other_anchors: list[Token],
    exclude: list[Token] | None = None,
    max_score: float = 99.0,
    displacement: bool = False,
    sentence_rules: bool = False,
) -> Place | None:
    """The place of the sentence where the event anchored at ``anchor`` happened, or None
    (``sentence_rules``: see ``rank_places``)."""
    ranked = rank_places(lex, anchor, sentence, places, other_anchors, exclude, displacement,
                         sentence_rules)
    return ranked[0][1] if ranked and ranked[0][0] <= max_score else None


def rank_places(
    lex: PlaceLexicon,
    anchor: Token,
    sentence: Span,
    places: list[Place],
    other_anchors: list[Token],
    exclude: list[Token] | None = None,
    displacement: bool = False,
    sentence_rules: bool = False,
) -> list[tuple[float, Place]]:
    """The sentence's places that may be where the event at ``anchor`` happened, best first,
    each with its score (dependency arcs plus rule penalties; lower is closer). With
    ``sentence_rules`` the rules for an event verb in running text apply too."""
    parsed = sentence.doc
    scored: list[tuple[float, int, Place, Token]] = []
    for place in places:
        if place.metonym:
            continue
        if not (sentence.start_char <= place.start < sentence.end_char):
            continue
        tok = place_token(parsed, place)
        if tok is None:
            continue
        if exclude and any(tok.i == e.i or (_in_subtree(tok, e) and tok.head.i == e.i and
                                            tok.dep_ in {"amod", "compound", "poss"})
                           for e in exclude):
            continue
        if tok.pos_ == "ADJ" and not (sentence_rules and mistagged_name(lex, tok)) or \
                is_demonym(lex, place.text):
            continue  # a demonym ("Turkish borders") describes, it does not locate
        if names_actor(lex, tok, place) or _never_the_place(lex, tok, place):
            continue
        if sentence_rules and _not_running_text(lex, place.text):
            continue
        scored.append((_score(lex, anchor, tok, place, other_anchors, displacement, sentence_rules),
                       tok.i, place, tok))
    weights = lex.words.event_weights if sentence_rules else lex.words.weights
    container = weights["container"]
    if container:
        scored = [(score + container * any(_contains(lex, tok, place, t, p, sentence_rules)
                                           for _, _, p, t in scored), i, place, tok)
                  for score, i, place, tok in scored]
    if sentence_rules:
        # a wider area when the gazetteer puts another candidate inside it, wherever it stands
        wider = weights.get("wider_area", 0.0)
        scored = [(score + wider * any(_finer(p, place) for _, _, p, _ in scored), i, place, tok)
                  for score, i, place, tok in scored]
    return [(score, place) for score, _, place in sorted(
        (score, i, place) for score, i, place, _ in scored)]


def main_place(lex: PlaceLexicon, places: list[Place]) -> Place | None:
    """The place a document names more often than any other (metonyms, demonyms and countries
    aside), or None when no place stands out."""
    tally: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for place in places:
        if place.metonym or place.country is None or place.precision == "country" or \
                is_demonym(lex, place.text):
            continue
        key = str(place.geonameid) if place.geonameid is not None else \
            f"{place.country}:{(place.name or place.text).casefold()}"
        tally[key] += 1
        first.setdefault(key, place)
    ranked = tally.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return first[ranked[0][0]]


def document_places(lex: PlaceLexicon, mentions: list[Any], places: list[Place]) -> None:
    """Give unplaced mentions the place the document gives them (``inherit_categories``,
    ``main_place_categories`` in event_place.toml), in place; with the learned ranker, never a
    place of the mention's own sentence (the ranker chose none of them)."""
    words = lex.words
    main = main_place(lex, places)
    last: dict[str, Place] = {}
    learned = learned_ranker_on()
    for mention in mentions:
        if mention.location is None:
            inherited = last.get(mention.event) if mention.event in words.inherit_categories \
                else None
            lent = main if mention.event in words.main_place_categories else None
            if learned:
                # The learned ranker weighed the places of the mention's own sentence and
                # chose none: the document does not lend one of them back.
                evidence = mention.evidence
                inherited, lent = (p if p is None or not evidence.start <= p.start < evidence.end
                                   else None for p in (inherited, lent))
            if inherited is not None:
                mention.location = inherited
            elif lent is not None:
                mention.location = lent
        elif mention.location.precision != "country":
            last[mention.event] = mention.location


def destination(lex: PlaceLexicon, anchor: Token, places: list[Place]) -> Place | None:
    """For movements: the place after "to" (a toponym, or a demonym phrase: "Turkish borders")."""
    from tocsin.mentions.actors.normalise import country_of_word

    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in lex.words.destination:
            for tok in child.subtree:
                for place in places:
                    if place.start <= tok.idx < place.end and not place.metonym:
                        return place
            for tok in child.subtree:
                country = country_of_word(tok.text, lex.actors)
                if country:
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    end_tok = objs[0] if objs else tok
                    span = anchor.doc[tok.i : end_tok.i + 1]
                    return Place(
                        text=span.text, start=span.start_char, end=span.end_char,
                        sentence=-1, country=country, precision="country",
                    )
    return None

