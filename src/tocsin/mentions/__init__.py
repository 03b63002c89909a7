"""Event mentions: who did what to whom, where, when, how many (see issue 4).

``find_events`` is the one entry: it reads each sentence of a parsed document once. Its stages,
one component each: trigger words (``typing.triggers``), their actors (``actors.roles`` and
``actors.normalise``), the event's place (``place.event``, one configuration for every event
word, found or given), the date (``dates``; ``incident_dates`` picks each event's own), counts
(``counts``), modality (``modality``) and the ACLED type (``typing.ontology``, with the sentence
typing model of ``typing.classifier``). There is no second spaCy pass.

``verbs=`` gives the event words instead of the trigger lexicon: one mention per word, placed,
dated and counted as any other. A document of kind ``"note"`` (a coder's note) describes one
event: its main record is completed from the whole note and comes first (``note_event``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from tocsin.mentions.actors.normalise import ActorMemory, identity_tokens, normalise
from tocsin.mentions.actors.roles import (
    Roles,
    find_roles,
    prep_object,
    protest_target,
    speaker_of,
)
from tocsin.mentions.count_attachment import own_counts
from tocsin.mentions.detection.event_words import anchor_of
from tocsin.mentions.evidence import evidence_of
from tocsin.mentions.incident_dates import IncidentDates
from tocsin.mentions.note_event import note_events
from tocsin.mentions.place.event import place_of_event
from tocsin.mentions.place.ranking import document_places
from tocsin.mentions.toll_links import attach_tolls
from tocsin.mentions.typing.classifier import SentenceTypes, type_sentences, typed_acled
from tocsin.mentions.typing.triggers import Trigger, counted_nouns
from tocsin.records import KIND_NOTE, Actor, Counts, Document, EventMention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from tocsin.mentions.actors.normalise import ActorLexicon
    from tocsin.mentions.counts import CountRules
    from tocsin.mentions.lexicons import Lexicons
    from tocsin.mentions.total_finder import TotalStatement
    from tocsin.places.gazetteer_protocol import Gazetteer
    from tocsin.resources import Resources

_ARMED = {"MIL", "REB", "POL"}
_UNARMED = {"CVL", "REF", "NGO", "MED", "LAB", "EDU", "REL", "IGO"}
# Words that never head an actor: function words, numbers, dates ("Officials told him *that*
# ...", "Gunmen kill *19*", "began an offensive on *18 November*").
_NOT_ACTOR_POS = {"SCONJ", "ADP", "DET", "CCONJ", "PART", "NUM", "AUX", "PUNCT", "SPACE"}
_NOT_ACTOR_ENTITIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
# The writer of a report ("People *we* met were worried") meets people to report, which is
# no event of these categories.
_NARRATOR = {"i", "we"}
_NARRATED = {"CONSULT"}


def _extract_counts(sentence: Span, trigger: Trigger, counts: CountRules,
                    triggers: list[Trigger], total_tokens: frozenset[int]) -> Counts:
    if trigger.category not in counts.lexicon["counted_categories"]:
        return Counts()  # a warning or a demand counts nobody
    found = counts.find_counts(sentence, trigger.token)
    return counts.counts_of(own_counts(sentence, found, trigger, triggers, total_tokens))


def _fallback_places(parsed: Doc, lex: ActorLexicon) -> list[Place]:
    """Toponyms from the parser's entities, for when the geoparser found none."""
    out: list[Place] = []
    for ent in parsed.ents:
        if ent.label_ in {"GPE", "LOC", "FAC"}:
            hit = lex.countries.get(ent.text.lower())
            out.append(Place(
                text=ent.text, start=ent.start_char, end=ent.end_char, sentence=-1,
                country=hit[0] if hit else None,
                precision="country" if hit and hit[1] == "country" else None,
            ))
    return out


def _assault_mode(trigger: Trigger, roles: Roles, actor1: Actor | None,
                  actor2: Actor | None, lexicons: Lexicons) -> str | None:
    words: list[Token] = [trigger.token]
    if roles.agent is not None:
        words += identity_tokens(roles.agent)
    words += [c for c in trigger.token.children if c.dep_ in {"compound", "amod"}]
    for prep in trigger.token.children:
        if prep.dep_ == "prep" and prep.lower_ in {"with", "using", "by"}:
            words += list(prep.subtree)
    mode = lexicons.triggers.refine_mode(trigger.category, trigger.mode, words)
    if mode in {"territory-gov", "territory-nsa"} and actor1 and actor1.sector:
        return "territory-nsa" if actor1.sector == "REB" else "territory-gov"
    if mode in {"attack", "clash", None}:
        if actor2 and actor2.sector in _UNARMED:
            return "attack"
        if actor2 and actor2.sector in _ARMED:
            return "clash"
    return mode


class _DocumentContext:
    """What a document has told so far: actors, and its armed groups for two-sided battles."""

    def __init__(self, parsed: Doc, places: list[Place], gazetteer: Gazetteer,
                 lexicons: Lexicons, dates: IncidentDates) -> None:
        self.parsed = parsed
        self.dates = dates
        self.lexicons = lexicons
        self.places = places
        self.gazetteer = gazetteer
        self.memory = ActorMemory(lexicons.actors)
        self._armed: Actor | None | bool = False
        self.unknown_kinds_local = True  # a note's unnamed actor takes its country (ACLED's way)

    def recent_means(self, sentence: Span) -> str | None:
        """The means of attack ("air raids", "shelling") named as a noun in the last few
        sentences before ``sentence``, the latest first: a bare "striking villages" after "air
        raids on villages" is the same kind of attack. Looked up only when a bare attack word
        needs it."""
        start = sentence.start
        typing = self.lexicons.typing
        for _ in range(int(typing.settings.get("inherit_reach_sentences", 0))):
            if start <= 0:
                break
            before = self.parsed[start - 1].sent
            for tok in reversed(before):
                if tok.pos_ not in {"NOUN", "PROPN"}:
                    continue
                words = [tok.nbor(-1), tok] if tok.i > before.start else [tok]
                mode = self.lexicons.triggers.refine_mode("ASSAULT", None, words)
                if mode in typing.inherited_modes:
                    return str(mode)
            start = before.start
        return None

    def actor(self, head: Token | None) -> Actor | None:
        if head is not None and (head.pos_ == "NUM" or head.ent_type_ in _NOT_ACTOR_ENTITIES):
            head = next(iter(counted_nouns(head)), head)  # "hundreds of protesters"
        if head is None or head.pos_ in _NOT_ACTOR_POS or head.ent_type_ in _NOT_ACTOR_ENTITIES \
                or head.lower_ in {"it", "there"}:
            return None
        return normalise(head, self.lexicons.actors, self.places, self.gazetteer, self.memory,
                         unknown_kinds_local=self.unknown_kinds_local)

    def remember_sentence(self, sentence: Span) -> None:
        for tok in sentence:
            if tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"} and (
                tok.pos_ == "PROPN" or tok.ent_type_ in {"PERSON", "ORG"}
            ):
                actor = self.actor(tok)
                if actor is None:
                    continue
                self.memory.remember(tok, actor)
                if tok.dep_ == "nsubj" and any(t.ent_type_ == "PERSON" for t in tok.subtree):
                    self.memory.last_person = actor
                # "the Russian Ambassador to Turkey Andrey Karlov": the name after a title.
                for nxt in self.parsed[tok.i + 1 : min(tok.i + 6, sentence.end)]:
                    if nxt.ent_type_ == "PERSON" and nxt.dep_ != "compound":
                        self.memory.remember(nxt, actor)
                        break

    def armed_opponent(self, side: Actor | None) -> Actor | None:
        """The non-state armed group the document names most often."""
        if self._armed is False:
            counts: Counter[tuple[str | None, str | None]] = Counter()
            first: dict[tuple[str | None, str | None], Actor] = {}
            lex = self.lexicons.actors
            for tok in self.parsed:
                if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ in {"compound", "amod"}:
                    continue
                if tok.lemma_.lower() not in lex.sectors and tok.text.lower() not in \
                        lex.organisations:
                    continue
                actor = normalise(tok, lex, None, self.gazetteer)
                if actor.sector == "REB":
                    key = (actor.country, actor.group)
                    counts[key] += 1
                    first.setdefault(key, actor)
            self._armed = first[counts.most_common(1)[0][0]] if counts else None
        armed = self._armed
        if isinstance(armed, Actor) and (side is None or armed.sector != side.sector):
            return armed
        return None


def _crowd_fight(trigger: Trigger, roles: Roles, mode: str | None, lexicons: Lexicons) -> bool:
    """A crowd of protesters turns violent: it attacks, destroys or loots, or is either side of
    a clash (its subject, object, or who it clashed "with")."""
    crowd = lexicons.triggers.is_crowd
    if crowd(roles.agent):
        return True
    if mode != "clash":
        return False
    return crowd(roles.patient) or crowd(prep_object(trigger.token, {"with", "against"}))


def _purpose_of_other(trigger: Trigger, triggers: list[Trigger]) -> bool:
    """The trigger is the purpose of another event of the sentence, and part of it ("summoned
    the ambassador *to protest* against the raids")."""
    anchor = trigger.anchor
    if anchor.dep_ not in {"advcl", "xcomp"} or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in anchor.children):
        return False
    return any(other.anchor == anchor.head and other.category != trigger.category
               for other in triggers)


def _confidence(mention: EventMention) -> float:
    score = 0.45
    score += 0.15 if mention.actor1 and (mention.actor1.country or mention.actor1.sector) else 0
    score += 0.1 if mention.actor2 and (mention.actor2.country or mention.actor2.sector) else 0
    score += 0.1 if mention.location else 0
    score += 0.1 if mention.trigger and " " in mention.trigger else 0.05
    return round(min(score, 0.95), 2)


def _events_in_sentence(
    document: Document, sentence: Span, context: _DocumentContext,
    triggers: list[Trigger], lexicon_triggers: list[Trigger], types: SentenceTypes | None = None,
    total_tokens: frozenset[int] = frozenset(),
) -> list[EventMention]:
    if not triggers:
        return []
    every_trigger = list({t.token.i: t for t in lexicon_triggers + triggers}.values())
    # the other events of the sentence: the lexicon's, and any given ones
    anchors = list(dict.fromkeys([t.anchor for t in lexicon_triggers + triggers]))
    by_category: dict[tuple[str, str], tuple[int, EventMention]] = {}
    for trigger in triggers:
        if _purpose_of_other(trigger, triggers):
            continue
        roles = find_roles(trigger)
        if roles.agent_is_modifier and roles.agent is not None:
            actor1 = context.actor(roles.agent)
            if actor1 is not None:
                actor1 = Actor(actor1.text, actor1.country, actor1.sector or "MIL", actor1.group)
        else:
            actor1 = context.actor(roles.agent)
        if actor1 is not None and actor1.text.lower() in _NARRATOR and \
                trigger.category in _NARRATED:
            continue
        if actor1 is None and trigger.token.pos_ == "VERB":
            speaker = speaker_of(trigger.token)
            if speaker is not None and trigger.category in {"THREATEN", "ACCUSE", "REQUEST"}:
                actor1 = context.actor(speaker)
        patient = roles.patient
        if patient is None and trigger.category == "PROTEST":
            patient = protest_target(trigger.token)
        actor2 = context.actor(patient)
        lexicons = context.lexicons
        generic_modes = lexicons.typing.generic_modes
        mode = trigger.mode
        if trigger.category == "ASSAULT":
            mode = _assault_mode(trigger, roles, actor1, actor2, lexicons)
        means = context.recent_means(sentence) if trigger.category == "ASSAULT" and \
            trigger.mode in generic_modes and mode in generic_modes else None
        mode = means or mode
        coding = lexicons.ontology.coding
        if (trigger.category, mode) in coding.crowd_violence and _crowd_fight(
                trigger, roles, mode, lexicons):
            trigger, mode = replace(trigger, category="PROTEST", mode="riot"), "riot"
        elif trigger.category == "ASSAULT" and mode == "attack" and actor1 is not None and \
                actor1.sector in coding.state_forces and lexicons.triggers.is_crowd(patient):
            trigger, mode = replace(trigger, category="COERCE", mode="repress"), "repress"
        if trigger.category == "ASSAULT" and mode == "clash" and actor2 is None:
            actor2 = context.armed_opponent(actor1)
        same_kind = frozenset(t.anchor.i for t in every_trigger
                              if t.category == trigger.category and t.anchor.i != trigger.anchor.i)
        place = place_of_event(lexicons.places, trigger.anchor, trigger.token,
                               trigger.category, context.places, anchors,
                               [t for t in (roles.agent, patient) if t is not None], patient,
                               same_kind)
        if actor2 is not None and actor2.country is None and actor2.sector in _UNARMED \
                and place is not None and place.country and trigger.category == "ASSAULT":
            actor2 = Actor(actor2.text, place.country, actor2.sector, actor2.group)
        date = context.dates.date_of(sentence, trigger.token, trigger.category)
        modality, source = lexicons.modality.classify_modality(trigger.anchor, sentence)
        acled = lexicons.ontology.acled_for(trigger.category, mode) \
            if coding.codes(trigger.category, mode) else None
        typed = types.best(sentence.start, trigger.category) if types and acled and \
            trigger.mode in generic_modes and mode not in lexicons.typing.inherited_modes \
            and not means else None  # a means of attack the sentence names fixes the sub-type
        if typed is not None and typed[1] >= coding.typed_share:
            acled, mode = typed_acled(typed[0], mode, lexicons.ontology)
        mention = EventMention(
            event=trigger.category,
            evidence=evidence_of(document, sentence),
            mode=mode,
            acled=acled,
            actor1=actor1,
            actor2=actor2,
            location=place,
            date=date,
            counts=_extract_counts(sentence, trigger, lexicons.counts, every_trigger,
                                   total_tokens),
            modality=modality,
            source=source,
            trigger=trigger.text,
        )
        mention.confidence = _confidence(mention)
        key = (trigger.category, modality)
        depth = sum(1 for _ in trigger.anchor.ancestors)
        if key not in by_category or depth < by_category[key][0]:
            by_category[key] = (depth, mention)
    return [m for _, m in sorted(by_category.values(), key=lambda v: v[1].evidence.start)]


def _detected_triggers(document: Document, sentences: list[Span],
                       triggers: list[list[Trigger]], lexicon_triggers: list[list[Trigger]],
                       resources: Resources, total_tokens: frozenset[int]) -> dict[int, Trigger]:
    """The learned detector's triggers, by sentence start: in a sentence where the lexicon found
    nothing ACLED codes but the detector finds an incident, the sentence's word of the trigger
    lexicon that reports one, wherever it stands (``EventWords``). Never in an analyst's note,
    whose main event the note rules find, nor in a cumulative-figure statement."""
    if document.kind == KIND_NOTE:
        return {}
    lexicons = resources.lexicons
    coding = lexicons.ontology.coding
    detector = lexicons.detector.get(lexicons.triggers, coding,
                                     resources.settings.detector_model_path)
    if detector is None:
        return {}
    found: dict[int, Trigger] = {}
    for sentence, own, known in zip(sentences, triggers, lexicon_triggers, strict=True):
        if any(coding.codes(t.category, t.mode) for t in own) \
                or any(t.i in total_tokens for t in sentence) \
                or not detector.reports_incident(sentence, known):
            continue
        word = detector.words.find(sentence)
        if word is not None:
            token, entry = word
            found[sentence.start] = Trigger(token, anchor_of(token), entry.category, entry.mode,
                                            token.text)
    return found


def given_triggers(sentence: Span, verbs: Sequence[tuple[int, int]],
                   lexicon_triggers: list[Trigger]) -> list[Trigger]:
    """Triggers at the given character spans of event words inside ``sentence``: the lexicon's
    reading of the word (from ``lexicon_triggers``) when it has one, else an assault of unknown
    mode."""
    out: list[Trigger] = []
    found = {t.token.i: t for t in lexicon_triggers}
    for start, end in verbs:
        tokens = [t for t in sentence if t.idx < end and start < t.idx + len(t)]
        if not tokens:
            continue
        head = next((t for t in tokens if t.i in found), None)
        if head is not None:
            out.append(found[head.i])
            continue
        token = min(tokens, key=lambda t: sum(1 for _ in t.ancestors))
        out.append(Trigger(token, token, "ASSAULT", None, token.text))
    return out


def find_events(
    document: Document, parsed: Doc, places: list[Place], resources: Resources,
    verbs: Sequence[tuple[int, int]] | None = None,
    totals: Sequence[TotalStatement] = (),
) -> list[EventMention]:
    """Every event mention of ``parsed``, sentence by sentence, in text order.

    With ``verbs`` (character spans of event words), the mentions are those of the given
    words instead of the lexicon's triggers. ``totals`` are the document's cumulative figures
    (``total_finder.find_totals``): their figures count for no event, and the lexicon's event words
    in their clauses ("bombardments *have killed* 37,100 since ...") make no mention."""
    lexicons = resources.lexicons
    sentences = list(parsed.sents)
    lexicon_triggers = [lexicons.triggers.find_triggers(sentence) for sentence in sentences]
    dates = IncidentDates(lexicons.dates, parsed, document.published,
                          {s.start: found for s, found in zip(sentences, lexicon_triggers,
                                                               strict=True)})
    context = _DocumentContext(parsed, places or _fallback_places(parsed, lexicons.actors),
                               resources.gazetteer, lexicons, dates)
    context.unknown_kinds_local = document.kind == KIND_NOTE
    mentions: list[EventMention] = []
    total_tokens = frozenset(i for statement in totals for i in statement.tokens)
    if verbs is None:
        triggers = [[t for t in found if t.token.i not in total_tokens
                     and t.anchor.i not in total_tokens] for found in lexicon_triggers]
    else:
        triggers = [given_triggers(sentence, [v for v in verbs
                                              if sentence.start_char <= v[0] < sentence.end_char],
                                   found)
                    for sentence, found in zip(sentences, lexicon_triggers, strict=True)]
    detected = _detected_triggers(document, sentences, triggers, lexicon_triggers, resources,
                                  total_tokens) if verbs is None else {}
    if detected:
        triggers = [found + [detected[sentence.start]] if sentence.start in detected else found
                    for sentence, found in zip(sentences, triggers, strict=True)]
    # One batch per document, and only sentences whose triggers ACLED codes.
    candidates = {s.start: s.text for s, found in zip(sentences, triggers, strict=True)
                  if any(t.category in lexicons.ontology.coding.typed_categories for t in found)}
    classifier = lexicons.classifiers.for_pipeline(resources.settings.event_model_path)
    types = type_sentences(classifier, candidates, lexicons.ontology) if candidates else None
    for sentence, sentence_triggers, known in zip(sentences, triggers, lexicon_triggers,
                                                  strict=True):
        found = _events_in_sentence(document, sentence, context, sentence_triggers, known, types,
                                    total_tokens)
        mentions.extend(found)
        context.remember_sentence(sentence)
    attach_tolls(parsed, mentions, lexicons, document.published, total_tokens)
    document_places(lexicons.places, mentions, context.places)
    if document.kind == KIND_NOTE:
        return note_events(document, parsed, places, mentions, resources, total_tokens)
    return mentions
