"""Actors: normalise a noun phrase to country (ISO3), sector and group from the actor data files.

The lexicons (countries, demonyms, capitals, sector words, titles, organisations, groups) and
the context rules (``context.toml``) live in ``tocsin/data/actors``; ``ActorLexicon.load()``
reads them once (``Lexicons.actors``) and the functions here take it as an argument.
``ActorMemory`` keeps the actors a document has named so far, so that "Karlov" or "he" later in
the text resolves to "Russian Ambassador Andrey Karlov".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from tocsin.mentions.typing.ontology import read_table
from tocsin.records import Actor, Place

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.places.gazetteer_protocol import Gazetteer

_PACKAGE = "tocsin.data.actors"
# Dependents whose subtree does not describe the actor's own identity ("Ambassador to Turkey").
_DETACHED = {"prep", "relcl", "acl", "appos", "conj", "cc", "advcl", "punct"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_PLURAL_PRONOUNS = {"they", "them", "their"}
# Sectors whose actors belong to no country unless the text says so.
_INTERNATIONAL = {"IGO", "NGO"}


@dataclass(frozen=True)
class ActorLexicon:
    countries: dict[str, tuple[str, str]]  # lower-case word -> (ISO3, kind)
    sectors: dict[str, str]  # lower-case word or phrase -> sector
    titles: dict[str, str]
    organisations: dict[str, tuple[str | None, str | None, str | None]]
    groups: dict[str, str]
    longest_org: int = 1
    longest_sector: int = 1
    # context.toml [nearby]: sectors that take the country named just before them, and how far
    nearby_sectors: frozenset[str] = frozenset()
    nearby_window: int = 0
    # context.toml [coalition]: "Saudi-led coalition" -> the leading country and a marker
    led_words: frozenset[str] = frozenset()
    coalition_marker: str = "coalition"
    # context.toml [local]: category -> sectors of an acting side that takes its event's country
    local_sectors: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> ActorLexicon:
        """The actor tables and context rules of ``tocsin/data/actors``, parsed once."""
        countries = {r["word"].lower(): (r["country"], r["kind"])
                     for r in read_table(_PACKAGE, "countries.tsv")}
        sectors = {r["word"].lower(): r["sector"] for r in read_table(_PACKAGE, "sectors.tsv")}
        titles = {r["title"].lower(): r["sector"] for r in read_table(_PACKAGE, "titles.tsv")}
        orgs = {
            r["name"].lower(): (r["country"] or None, r["sector"] or None, r["group"] or None)
            for r in read_table(_PACKAGE, "organisations.tsv")
        }
        groups = {r["word"].lower(): r["group"] for r in read_table(_PACKAGE, "groups.tsv")}
        path = resources.files(_PACKAGE).joinpath("context.toml")
        context: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        nearby, coalition = context["nearby"], context.get("coalition", {})
        return cls(
            countries, sectors, titles, orgs, groups,
            longest_org=max(len(k.split()) for k in orgs),
            longest_sector=max(len(k.split()) for k in sectors),
            nearby_sectors=frozenset(nearby["sectors"]),
            nearby_window=int(nearby["window"]),
            led_words=frozenset(coalition.get("led_words", ())),
            coalition_marker=str(coalition.get("marker", "coalition")),
            local_sectors={category: frozenset(sectors) for category, sectors in
                           context.get("local", {}).items()},
        )

    def is_local(self, category: str, sector: str | None) -> bool:
        """Does an acting side of ``sector`` with no country of its own take the country of its
        event's place, in an event of ``category`` ([local])?"""
        return (sector or "") in self.local_sectors.get(category, ())


def country_of_word(word: str, lex: ActorLexicon,
                    gazetteer: Gazetteer | None = None) -> str | None:
    if word.lower() in lex.groups:
        return None
    hit = lex.countries.get(word.lower())
    if hit:
        return hit[0]
    return gazetteer.demonym(word) if gazetteer is not None else None


def identity_tokens(head: Token) -> list[Token]:
    """The head and the dependents that describe it (not its prepositional or clausal parts)."""
    out: list[Token] = []

    def walk(tok: Token) -> None:
        out.append(tok)
        for child in tok.children:
            if child.pos_ == "VERB" and child.dep_ == "amod":
                continue  # "pounding villages": the event itself, not the actor
            if tok == head and child.dep_ in _DETACHED:
                continue
            if tok != head and child.dep_ in {"relcl", "acl", "advcl", "prep"}:
                continue
            walk(child)

    walk(head)
    return sorted(out, key=lambda t: t.i)


def phrase_text(head: Token, max_tokens: int = 12) -> str:
    """Readable text of the actor phrase: the head's subtree up to a relative clause's end."""
    toks = [t for t in _own_subtree(head) if not t.is_space]
    left = [t for t in toks if t.i <= head.i]
    right: list[Token] = []
    for t in toks:
        if t.i <= head.i:
            continue
        if t.dep_ == "prep" and t.head.dep_ == "relcl":
            break
        right.append(t)
    words = (left + right)[:max_tokens]
    while words and (words[-1].is_punct or words[-1].dep_ in {"cc", "det"}):
        words.pop()
    while words and words[0].is_punct:
        words.pop(0)
    if not words:
        return head.text
    doc = head.doc
    return doc[words[0].i : words[-1].i + 1].text


def _match_phrases(tokens: list[Token], table: dict[str, Any], longest: int, lower: bool = True):
    """Longest matches of table keys over consecutive tokens (by text or lemma)."""
    found: list[tuple[int, Any]] = []
    i = 0
    while i < len(tokens):
        matched = False
        for n in range(min(longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            if any(window[k].i + 1 != window[k + 1].i for k in range(n - 1)):
                continue
            for key in (
                " ".join(t.text for t in window),
                " ".join(t.lemma_ for t in window),
            ):
                key = key.lower() if lower else key
                if key in table:
                    found.append((window[-1].i, table[key]))
                    matched = True
                    break
            if matched:
                i += n
                break
        if not matched:
            i += 1
    return found


def normalise(
    head: Token,
    lex: ActorLexicon,
    places: list[Place] | None = None,
    gazetteer: Gazetteer | None = None,
    memory: ActorMemory | None = None,
    unknown_kinds_local: bool = True,
) -> Actor:
    """Country, sector and group of the noun phrase headed by ``head``. With
    ``unknown_kinds_local`` false (news articles), a phrase of unknown kind ("banners calling for
    ...", "food parcels") gets no country from the document's majority; coders' notes keep ACLED's
    convention that an unnamed actor is of the event's country."""
    # what the actor stands against says nothing of who it is ("protesters demonstrating against
    # the US dollar rate" are not American)
    ident = [t for t in identity_tokens(head) if not _aimed_at(t, head)]
    whole = _own_subtree(head)
    led = leading_country(head, lex, gazetteer)
    if led is not None:
        # "the Saudi-led coalition": the leader, never another country named nearby
        led_sector = lex.sectors.get(head.lemma_.lower()) or "MIL"
        return Actor(phrase_text(head), led, led_sector, lex.coalition_marker)
    country: str | None = None
    sector: str | None = None
    group: str | None = None

    for _, (org_country, org_sector, org_group) in _match_phrases(ident, lex.organisations,
                                                                   lex.longest_org):
        country = country or org_country
        sector = sector or org_sector
        group = group or org_group

    # Sector from a phrase ending at the head ("opposition forces"), then the head alone
    # (troops, refugees), then its modifiers and titles.
    ending = [h for h in _match_phrases(ident, lex.sectors, lex.longest_sector) if h[0] == head.i]
    head_sector = ending[0][1] if ending else None
    head_sector = head_sector or lex.sectors.get(head.lemma_.lower())
    head_sector = head_sector or lex.sectors.get(head.text.lower())
    head_sector = head_sector or lex.titles.get(head.lemma_.lower())
    if head_sector and not sector:
        sector = head_sector
    if not sector:
        hits = _match_phrases(ident, {**lex.sectors, **lex.titles}, lex.longest_sector)
        if hits:
            sector = max(hits, key=lambda h: h[0])[1]

    for tok in ident:
        word = tok.text
        if tok.pos_ == "PRON":
            continue  # "us all" is no United States
        if not group and word.lower() in lex.groups:
            group = lex.groups[word.lower()]
        if not country:
            found = country_of_word(word, lex, gazetteer)
            if found and not country:
                country = found
                kind = lex.countries.get(word.lower(), ("", ""))[1]
                if tok == head and kind in {"country", "capital"} and not sector:
                    sector = "GOV"  # a state or its capital acting stands for its government
    if not group:
        for tok in whole:
            if tok.text.lower() in lex.groups:
                group = lex.groups[tok.text.lower()]
                break
    if not country and places:
        # A place named inside the phrase, closest to the head ("villages where Bayır-Bucak ...").
        best: tuple[int, str] | None = None
        for place in places:
            if not place.country or place.metonym:
                continue
            for tok in whole:
                if place.start <= tok.idx < place.end and not _aimed_at(tok, head):
                    depth = _depth(tok, head)
                    if depth <= 4 and (best is None or depth < best[0]):
                        best = (depth, place.country)
        if best:
            country = best[1]
    actor = Actor(text=phrase_text(head), country=country, sector=sector, group=group)
    if memory is not None:
        actor = memory.resolve(head, actor)
    if not actor.country and places and actor.sector in lex.nearby_sectors:
        found = nearby_country(places, head.idx, lex.nearby_window)
        if found:
            actor = Actor(actor.text, found, actor.sector, actor.group)
    if not actor.country and places and actor.sector not in _INTERNATIONAL and \
            head.pos_ != "PRON" and (unknown_kinds_local or actor.sector or actor.group):
        found = document_country(places)
        if found:
            actor = Actor(actor.text, found, actor.sector, actor.group)
    return actor


def leading_country(head: Token, lex: ActorLexicon,
                    gazetteer: Gazetteer | None = None) -> str | None:
    """The country that leads the actor, from a modifier "<country>-led" in its phrase
    ("the Saudi-led coalition", "US-led forces"); None when there is none."""
    if not lex.led_words:
        return None
    for tok in head.subtree:
        if tok.lower_ not in lex.led_words or tok.i < 2 or tok.i > head.i:
            continue
        hyphen, leader = tok.nbor(-1), tok.nbor(-2)
        if hyphen.text == "-" and not hyphen.whitespace_ and not leader.whitespace_:
            found = country_of_word(leader.text, lex, gazetteer)
            if found:
                return found
    return None


def nearby_country(places: list[Place], offset: int, window: int) -> str | None:
    """The country of the place named last before ``offset``, at most ``window`` characters
    back (a metonym such as "Turkish" counts: it names the country)."""
    before = [p for p in places if p.country and p.end <= offset and offset - p.end <= window]
    if not before:
        return None
    return max(before, key=lambda p: p.end).country


def document_country(places: list[Place], share: float = 0.6) -> str | None:
    """The country of the document's places when one country holds most of them: the country
    of actors the text names without one ("protesters", "unidentified gunmen")."""
    counts: dict[str, int] = {}
    for place in places:
        if place.country and not place.metonym:
            counts[place.country] = counts.get(place.country, 0) + 1
    if not counts:
        return None
    country, top = max(counts.items(), key=lambda kv: kv[1])
    return country if top / sum(counts.values()) >= share else None


def _aimed_at(tok: Token, head: Token) -> bool:
    """True when ``tok`` sits in an "against" phrase of the actor's phrase ("protesters
    demonstrating against the US dollar rate"): what the actor opposes, not where it is from."""
    node = tok
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.lower_ in _AGAINST:
            return True
        node = node.head
    return False


_AGAINST = frozenset({"against"})


def _own_subtree(head: Token) -> list[Token]:
    """The head's subtree without an event verb parsed as its modifier ("pounding villages")."""
    skip: set[int] = set()
    for child in head.children:
        if child.pos_ == "VERB" and child.dep_ == "amod":
            skip.update(t.i for t in child.subtree)
    return [t for t in head.subtree if t.i not in skip]


def _depth(tok: Token, head: Token) -> int:
    depth = 0
    while tok != head and tok.head != tok and depth < 20:
        tok = tok.head
        depth += 1
    return depth


@dataclass
class ActorMemory:
    """Actors named so far in one document, to resolve later short names and pronouns."""

    lexicon: ActorLexicon
    by_name: dict[str, Actor] = field(default_factory=dict)
    last_person: Actor | None = None
    last_group: Actor | None = None

    def resolve(self, head: Token, actor: Actor) -> Actor:
        lower = head.text.lower()
        if lower in _PERSON_PRONOUNS and self.last_person is not None:
            return Actor(head.text, self.last_person.country, self.last_person.sector,
                         self.last_person.group)
        if lower in _PLURAL_PRONOUNS:
            antecedent = _plural_antecedent(head, self.lexicon)
            if antecedent is not None:
                return antecedent
            if self.last_group is not None:
                return Actor(head.text, self.last_group.country, self.last_group.sector,
                             self.last_group.group)
            return actor
        names = _names_in(head)
        for name in names:
            known = self.by_name.get(name.lower())
            if known is not None:
                actor = Actor(
                    actor.text,
                    actor.country or known.country,
                    actor.sector or known.sector,
                    actor.group or known.group,
                )
        return actor

    def remember(self, head: Token, actor: Actor) -> None:
        if not (actor.country or actor.sector):
            return
        names = _names_in(head)
        for name in names:
            self.by_name.setdefault(name.lower(), actor)
        if any(t.ent_type_ == "PERSON" for t in head.subtree):
            self.last_person = actor
        elif head.tag_ in {"NNS", "NNPS"}:
            self.last_group = actor


def _names_in(head: Token) -> list[str]:
    """Proper names in the phrase: runs of proper nouns ("Foreign Ministry", "Tanju Bilgiç")
    and the last word of each run (a surname)."""
    names: list[str] = []
    run: list[Token] = []
    for tok in [*identity_tokens(head), None]:
        if tok is not None and tok.pos_ == "PROPN" and (not run or run[-1].i + 1 == tok.i):
            run.append(tok)
            continue
        if run:
            names.append(" ".join(t.text for t in run))
            names.append(run[-1].text)
        run = [tok] if tok is not None and tok.pos_ == "PROPN" else []
    return names


def _plural_antecedent(pronoun: Token, lex: ActorLexicon) -> Actor | None:
    """A state named earlier in the same sentence ("The Turkish plan ... they have ...")."""
    sentence = pronoun.sent
    for tok in reversed(list(sentence[: pronoun.i - sentence.start])):
        subject_like = tok.dep_ in {"nsubj", "nsubjpass"} or (
            tok.dep_ in {"amod", "compound"} and tok.head.dep_ in {"nsubj", "nsubjpass"}
        )
        if subject_like and tok.pos_ in {"ADJ", "PROPN"} and tok.text.lower() not in lex.groups:
            hit = lex.countries.get(tok.text.lower())
            if hit:
                head = tok.head
                sector = lex.sectors.get(head.lemma_.lower()) or "GOV"
                return Actor(pronoun.text, hit[0], sector, None)
    return None


def actor_from_place(place: Place) -> Actor:
    """A metonymic place ("Ankara said") as an actor: that country's government."""
    return Actor(place.text, place.country, "GOV", None)


def phrase_span(head: Token) -> Span:
    toks = sorted(head.subtree, key=lambda t: t.i)
    return head.doc[toks[0].i : toks[-1].i + 1]
