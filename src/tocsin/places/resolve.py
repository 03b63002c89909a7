"""Toponym resolution: pick the gazetteer entry each mention names.

Candidates come from the exact name key, aliases ("U.S.", "Britain"), demonyms ("Syrian" ->
Syria), the name without a trailing generic word ("Aleppo governorate" -> Aleppo) and, only when
all of these find nothing, folded names and transliteration variants. Each candidate is scored
first alone, then twice against the document: the countries and admin1 areas the other mentions
point to, the qualifiers written next to it ("Salma, Latakia"), nearness to the other places
resolved, and the kind of the names written in one list with it ("Washington, Pennsylvania and
Georgia"). The scores come from the learned place ranker (``place_ranker``, features in
``ranking_features``); TOCSIN_PLACE_RANKER=rules scores with the hand weights of
``data/places/resolution.toml`` instead.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tocsin.geodesy import distance_km
from tocsin.places.context import (
    coordination_links,
    parenthesis_links,
    qualifier_links,
    trailing_word,
)
from tocsin.places.country_cues import cue_countries
from tocsin.places.folded_names import fold_name
from tocsin.places.names import normalise_name, variants
from tocsin.places.place_ranker import PlaceRanker, configured_place_ranker
from tocsin.places.ranking_features import candidate_features, log_population, name_kind
from tocsin.places.recognise import DEMONYM, MAJOR_POPULATION, PART, Mention
from tocsin.places.recognition_rules import recognition_rules
from tocsin.places.resolution_rules import ResolutionRules, metonymy_rules, resolution_rules

if TYPE_CHECKING:
    from tocsin.places.gazetteer import Gazetteer

MAX_CANDIDATES = 40
# "Saudi-led", "Turkey-backed", "Iranian-supported": a country acting from outside.
_BACKER = re.compile(r"[-‐–](led|backed|supported|sponsored|funded|allied|aligned)\b")
COUNTRY_CODES = ("PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR")


# How far from its town a gazetteer place may lie and still be the part of the town the text
# names ("Victoria Park in Hong Kong").
PART_KM = 30.0
_OF = re.compile(r"^\s+of\s+(the\s+)?$", re.IGNORECASE)

# The shortest folded key trusted without a qualifier: a three-letter key ("bgl") is shared by
# too many names of one country ("Beyoğlu", "Boğalı").
DOCUMENT_FOLDED_KEY = 4

# The confidence of a name the resolver could only place at the document's most mentioned
# place: a guess, which later stages may refuse (``pipeline.resolve_event_places``).
DOCUMENT_GUESS = 0.05


@dataclass
class Candidate:
    entry: Any  # GazetteerEntry
    prior: float
    variant: bool = False
    score: float = 0.0


@dataclass
class Resolution:
    """The chosen entry of one mention (None when no candidate) and its score margin."""

    mention: Mention
    entry: Any | None = None
    score: float | None = None
    confidence: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    cue: str = ""  # the word after the mention ("region", "village"): ``trailing_word``


def is_country(entry: Any) -> bool:
    return entry.feature_class == "A" and entry.feature_code in COUNTRY_CODES


# Called with each mention's resolution and its candidates' feature rows after the last pass
# (``tocsin train places`` collects training rows this way).
Observer = Callable[["Resolution", list[list[float]]], None]
_CONFIGURED: Any = object()


class Resolver:
    """Resolves the mentions of one document at a time against one gazetteer."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        rules: ResolutionRules | None = None,
        ranker: PlaceRanker | None = _CONFIGURED,
    ) -> None:
        self.gazetteer = gazetteer
        self.rules = rules or resolution_rules()
        self.ranker = configured_place_ranker() if ranker is _CONFIGURED else ranker
        self.observer: Observer | None = None
        self._cache: dict[tuple[str, str | None], list[Candidate]] = {}
        self.place_names = recognition_rules().place_names
        self.place_kinds = recognition_rules().head_area_words

    # -- candidates --------------------------------------------------------------------------

    def _prior(self, entry: Any) -> float:
        rules = self.rules
        return rules.prior(entry.feature_class, entry.feature_code) + rules.population_weight * (
            math.log10(max(entry.population or 0, 0) + 1)
        )

    def _lookup(self, names: Sequence[str]) -> list[Any]:
        found: dict[int, Any] = {}
        if not names:
            return []
        result = self.gazetteer.lookup_many(list(names))
        for name in names:
            for entry in result.get(name, ()):
                found.setdefault(entry.geonameid, entry)
        return list(found.values())

    def candidates(self, text: str, demonym_country: str | None = None) -> list[Candidate]:
        """Scored-by-prior candidates for a surface text (cached per process)."""
        key = (text, demonym_country)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        entries: list[Any] = []
        variant = False
        if demonym_country:
            country = self.gazetteer.country(demonym_country)
            entries = [country] if country else []
        if not entries:
            entries = self._exact(text)
        if not entries:
            code = self.gazetteer.demonym(text)
            if code:
                entry = self.gazetteer.country(code)
                entries = [entry] if entry else []
        if not entries:
            entries = self._without_generic(text)
        if not entries and self._may_be_loose(text):
            entries = self._lookup(variants(text))
            variant = bool(entries)
        cands = [Candidate(e, self._prior(e), variant) for e in entries]
        if variant:
            for cand in cands:
                cand.prior += self.rules.context["variant"]
        _prefer_namesake_towns(cands)
        cands.sort(key=lambda c: c.prior, reverse=True)
        cands = cands[:MAX_CANDIDATES]
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = cands
        return cands

    def _may_be_loose(self, text: str) -> bool:
        return len(normalise_name(text)) >= 4 and not self.gazetteer.group_word(text)

    def _loose(self, text: str) -> list[Any]:
        """Entries found only by a looser key: the folded name (``folded_names``) and the
        transliteration variants (``names.variants``)."""
        entries = self.gazetteer.lookup_folded(text)
        seen = {e.geonameid for e in entries}
        entries += [e for e in self._lookup(variants(text)) if e.geonameid not in seen]
        return entries

    def _exact(self, text: str) -> list[Any]:
        renamed = self.place_names.get(text)
        if renamed:
            return self._lookup([renamed])
        names = [text]
        alias = self.gazetteer.alias(text)
        if alias and alias != text:
            names.append(alias)
        stripped = text
        for suffix in ("'s", "’s", "'", "’"):
            if stripped.endswith(suffix):
                stripped = stripped[: -len(suffix)]
                names.append(stripped)
                break
        found = self._lookup(names)
        if not found and _OF_THE.search(stripped):
            found = self._lookup(_of_the_forms(stripped))
        return found

    def _without_generic(self, text: str) -> list[Any]:
        """Candidates of the name without its trailing generic word ("Lagos State" -> Lagos);
        when the word names an admin area's type, only admin areas, if the name has any."""
        key = normalise_name(text)
        for word in self.rules.trailing_generic:
            if key.endswith(" " + word):
                head = key[: -len(word) - 1].strip()
                if head:
                    found = self._exact(head)
                    if found:
                        if word in self.rules.area_words:
                            areas = [e for e in found if e.feature_class == "A"]
                            return areas or found
                        return found
        return []

    # -- document resolution ----------------------------------------------------------------

    def resolve(self, text: str, mentions: Sequence[Mention]) -> list[Resolution]:
        """One Resolution per mention, in the same order."""
        results = [
            Resolution(
                m,
                candidates=[] if m.source == PART else self.candidates(
                    m.target or m.text, m.country if m.kind == DEMONYM else None
                ),
                cue=trailing_word(text, m.end),
            )
            for m in mentions
        ]
        links = qualifier_links(text, mentions, self.place_kinds)
        for i in range(len(mentions) - 1):  # "the Karrada district of Baghdad"
            gap = text[mentions[i].end : mentions[i + 1].start]
            if mentions[i].source == PART and _OF.match(gap):
                links.setdefault(i, []).append(i + 1)
        for i, inside in parenthesis_links(text, mentions).items():
            links[i] = inside + [j for j in links.get(i, []) if j not in inside]
        cues = cue_countries(text)
        for i, res in enumerate(results):  # first pass: each candidate alone
            self._choose(res, self._alone(i, res))
        self._loose_inside_qualifiers(results, links)
        self._loose_inside_document(results, text)
        lists = coordination_links(text, mentions)
        kinds = {i: name_kind([c.entry for c in results[i].candidates]) for i in lists}

        for _ in range(2):
            countries, admin1s = self._document_weights(results, text)
            for country in cues:
                countries[country] += self.rules.context.get("cue", 1.0)
            picks = [
                (i, r.entry)
                for i, r in enumerate(results)
                if r.entry is not None and not self._is_area(r.entry)
            ]
            scorers = {}
            for i, res in enumerate(results):
                if res.candidates:
                    qualifiers = [results[j].entry for j in links.get(i, [])]
                    listed = [kinds[j] for j in lists.get(i, [])]
                    scorer = _ContextScorer(self, i, res, countries, admin1s, picks, qualifiers,
                                            listed)
                    self._choose(res, scorer)
                    scorers[i] = scorer
        if self.observer is not None:
            for i, scorer in scorers.items():
                res = results[i]
                self.observer(res, [scorer.features(c) for c in res.candidates])
        self._qualifier_fallback(results, links)
        self._refuse_small_abroad(results)
        self._parts_in_their_places(results, links)
        self._fill_unresolved(results, links)
        return results

    def _parts_in_their_places(
        self, results: Sequence[Resolution], links: dict[int, list[int]]
    ) -> None:
        """A part of a town named with its town ("Giza's Haram district", "Victoria Park in
        Hong Kong") is the gazetteer's place of that name within PART_KM of the town, else the
        town itself with a low confidence: never a namesake elsewhere."""
        for i, res in enumerate(results):
            if res.mention.source != PART:
                continue
            anchor = next(
                (results[j].entry for j in links.get(i, []) if results[j].entry is not None), None
            )
            if anchor is None:
                continue
            inside = [
                c for c in self.candidates(res.mention.text)
                if distance_km(anchor.lat, anchor.lon, c.entry.lat, c.entry.lon) <= PART_KM
                or (self._is_area(anchor) and _within(anchor, c.entry))
            ]
            if inside:
                best = max(inside, key=lambda c: c.prior)
                res.entry, res.score, res.confidence = best.entry, best.prior, 0.5
            else:
                res.entry, res.score, res.confidence = anchor, None, 0.3

    def _refuse_small_abroad(self, results: Sequence[Resolution]) -> None:
        """A document that names its countries (or their provinces) places its small towns
        there or in the country most of its places lie in: a town of under 100,000 people
        elsewhere is a namesake ("Bidi" and "Saran" in a story on Mali's Mopti region are not
        Bédée and Saran in France). Such a choice is dropped; the document's own places stand
        in for it (``_fill_unresolved``) with a low confidence. A country or province named
        counts twice towards the document's main country, a town once."""
        named: set[str] = set()
        votes: dict[str, float] = defaultdict(float)
        for r in results:
            if r.entry is None or not r.entry.country2:
                continue
            area = self._is_area(r.entry)
            if area and r.confidence >= 0.5:
                named.add(r.entry.country2)
            votes[r.entry.country2] += 2.0 if area else 1.0
        if not named:
            return
        home = named | {max(votes, key=lambda c: votes[c])}
        for res in results:
            e = res.entry
            if (
                e is not None and not self._is_area(e) and e.feature_class == "P"
                and e.population < MAJOR_POPULATION and e.country2 not in home
            ):
                res.entry, res.score, res.confidence = None, None, 0.0

    def _loose_inside_qualifiers(
        self, results: Sequence[Resolution], links: dict[int, list[int]]
    ) -> None:
        """A name the text places inside an area ("Samarra, Iraq", "Sangeen, Helmand") whose
        exact candidates all lie outside it is more likely a spelling of a place inside it than
        the namesake abroad: the looser candidates (folded names, variants) inside the area join,
        scored as weaker matches; the context passes then choose."""
        penalty = self.rules.context["variant"]
        for i, res in enumerate(results):
            areas = [e for j in links.get(i, []) if (e := results[j].entry) is not None]
            if not areas or any(_within(a, c.entry) for a in areas for c in res.candidates):
                continue
            text = res.mention.target or res.mention.text
            if not self._may_be_loose(text):
                continue
            known = {c.entry.geonameid for c in res.candidates}
            extra = [
                Candidate(e, self._prior(e) + penalty, True)
                for e in self._loose(text)
                if e.geonameid not in known and any(_within(a, e) for a in areas)
            ]
            if extra:
                res.candidates = [*res.candidates, *extra]
                self._choose(res, self._alone(i, res))

    def _loose_inside_document(self, results: Sequence[Resolution], text: str) -> None:
        """A name with no candidate at all may be a spelling of a place in the countries the
        document is about ("Maarat al-Numan" in a story on Syria): folded-name candidates in
        those countries join, as weaker matches. Abroad they would be a guess the document
        does not support; such a name keeps the document's fallback."""
        countries, _ = self._document_weights(results, text)
        inside = {c for c, weight in countries.items() if weight > 0}
        if not inside:
            return
        penalty = self.rules.context["variant"]
        for i, res in enumerate(results):
            if res.candidates or res.mention.kind == DEMONYM:
                continue
            name = res.mention.target or res.mention.text
            if not self._may_be_loose(name) or len(fold_name(name)) < DOCUMENT_FOLDED_KEY:
                continue
            found = [e for e in self.gazetteer.lookup_folded(name) if e.country2 in inside]
            if found:
                res.candidates = [Candidate(e, self._prior(e) + penalty, True) for e in found]
                self._choose(res, self._alone(i, res))

    def _alone(self, index: int, res: Resolution) -> Callable[[Candidate], float]:
        """The first-pass score: the candidate without the document."""
        if self.ranker is None:
            return lambda c: c.prior
        return _ContextScorer(self, index, res, {}, {}, [], [], [])

    def _qualifier_fallback(
        self, results: Sequence[Resolution], links: dict[int, list[int]]
    ) -> None:
        """A place the text puts inside an area that holds none of its candidates is a place
        the gazetteer lacks: it takes that area, with a low confidence. With admin areas in
        parentheses ("Kompa (Karimama, Alibori)", "(Tuban, Lahij)"), the nearest resolved area;
        a first-order area or a country only when no candidate lies even in its country.
        Otherwise ("Nyaung Kone village in Sagaing region", "Salma, Latakia") only a small town
        gives way, and only to a first-order area or a country."""
        for i, res in enumerate(results):
            if res.entry is None:
                continue
            areas = [e for j in links.get(i, []) if (e := results[j].entry) is not None]
            if not areas:
                continue
            area = areas[0]
            if any(_within(a, c.entry) for a in areas for c in res.candidates):
                continue
            if res.mention.source in ("qualified", "qualifier"):
                if self._is_area(area) and any(
                    c.entry.country2 == area.country2 for c in res.candidates
                ):
                    continue
            elif res.entry.population >= MAJOR_POPULATION or not self._is_area(area):
                continue
            res.entry, res.confidence = area, 0.3

    def _fill_unresolved(
        self, results: Sequence[Resolution], links: dict[int, list[int]]
    ) -> None:
        """Give a mention the gazetteer cannot name ("Frenchmen Street", "Stonewall Golf Club")
        the place of the document it most likely lies in: its qualifier ("the consulate in
        Istanbul"), else a resolved locality whose name it contains ("Lake Manassas" ->
        Manassas), else a country or province named inside it ("University of Alberta"),
        else the document's most mentioned locality, else its most mentioned area. Such
        answers get a low confidence."""
        if all(r.entry is not None for r in results):
            return
        # a country that only qualifies a currency ("the US dollar") is not where the text is
        currencies = metonymy_rules().modified_nouns
        resolved = [r for r in results if r.entry is not None and r.cue not in currencies]
        if not resolved:
            return
        named = {
            normalise_name(r.mention.text): r.entry for r in resolved if not self._is_area(r.entry)
        }
        counts: dict[int, int] = defaultdict(int)
        first_seen: dict[int, int] = {}
        entries: dict[int, Any] = {}
        for order, r in enumerate(resolved):
            assert r.entry is not None
            gid = r.entry.geonameid
            counts[gid] += 1
            first_seen.setdefault(gid, order)
            entries[gid] = r.entry

        def focus(local: bool) -> Any | None:
            pool = [g for g in counts if self._is_area(entries[g]) != local]
            if not pool:
                return None
            best = max(pool, key=lambda g: (counts[g], -first_seen[g]))
            return entries[best]

        fallback = focus(True) or focus(False)
        home = {r.entry.country2 for r in resolved if r.entry is not None}
        for i, res in enumerate(results):
            if res.entry is not None:
                continue
            qualifier = next(
                (results[j].entry for j in links.get(i, []) if results[j].entry is not None), None
            )
            if qualifier is not None:
                res.entry, res.confidence = qualifier, 0.3
                continue
            words = normalise_name(res.mention.text).split(" ")
            inside = None
            for size in range(len(words) - 1, 0, -1):
                for at in range(len(words) - size + 1):
                    inside = named.get(" ".join(words[at : at + size]))
                    if inside is not None:
                        break
                if inside is not None:
                    break
            if inside is None:
                inside = self._area_named_in(words, home)
            res.entry = inside or fallback
            res.confidence = 0.3 if inside is not None else DOCUMENT_GUESS

    def _area_named_in(self, words: list[str], home: set[str]) -> Any | None:
        """A country, or a first-order area of a country in ``home`` (the countries of the
        document's resolved places), whose name or demonym is a part of a longer name
        ("University of California" -> California, "Colorado State University" -> Colorado,
        "the Russian Academy of Sciences" -> Russia): the longest such part, else None."""
        for size in range(len(words) - 1, 0, -1):
            for at in range(len(words) - size + 1):
                part = " ".join(words[at : at + size])
                if self.gazetteer.group_word(part):
                    continue
                areas = [
                    e
                    for e in self._exact(part)
                    if is_country(e) or (e.feature_code == "ADM1" and e.country2 in home)
                ]
                if not areas:
                    code = self.gazetteer.demonym(part)
                    country = self.gazetteer.country(code) if code else None
                    areas = [country] if country is not None else []
                if len(areas) == 1:
                    return areas[0]
        return None

    @staticmethod
    def _is_area(entry: Any) -> bool:
        return is_country(entry) or entry.feature_code == "ADM1"

    @staticmethod
    def _contains(area: Any, entry: Any) -> bool:
        """True when ``area`` (a country or admin1 resolution) holds ``entry``."""
        if area.geonameid == entry.geonameid or area.country2 != entry.country2:
            return False
        if is_country(area):
            return True
        if area.feature_code == "ADM1" or area.feature_class == "A":
            return bool(area.admin1_code) and area.admin1_code == entry.admin1_code
        return distance_km(area.lat, area.lon, entry.lat, entry.lon) <= 60.0

    @staticmethod
    def _choose(res: Resolution, score: Any) -> None:
        if not res.candidates:
            return
        for cand in res.candidates:
            cand.score = score(cand)
        ranked = sorted(res.candidates, key=lambda c: c.score, reverse=True)
        best = ranked[0]
        res.entry = best.entry
        res.score = best.score
        margin = best.score - ranked[1].score if len(ranked) > 1 else 3.0
        res.confidence = 1.0 - math.exp(-max(margin, 0.0))

    @staticmethod
    def _weights_of(res: Resolution) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
        countries: dict[str, float] = {}
        admin1s: dict[tuple[str, str], float] = {}
        entry = res.entry
        if entry is None or not entry.country2:
            return countries, admin1s
        explicit = is_country(entry) or entry.feature_code == "ADM1"
        weight = 1.0 if explicit else 0.3 + 0.7 * res.confidence
        countries[entry.country2] = weight
        if entry.admin1_code and not is_country(entry):
            admin1s[(entry.country2, entry.admin1_code)] = weight
        return countries, admin1s

    def _document_weights(
        self, results: Sequence[Resolution], text: str = ""
    ) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
        """Country and admin1 weights, one vote per distinct name (repeats do not add up).
        A country named as a backer ("Saudi-led", "Turkey-backed") votes little."""
        by_name: dict[str, tuple[dict[str, float], dict[tuple[str, str], float]]] = {}
        backer = self.rules.context.get("backer", 0.2)
        for res in results:
            key = normalise_name(res.mention.text)
            weights = self._weights_of(res)
            if _BACKER.match(text, res.mention.end):
                weights = ({k: v * backer for k, v in weights[0].items()}, weights[1])
            best = by_name.get(key)
            if best is None or sum(weights[0].values()) > sum(best[0].values()):
                by_name[key] = weights
        for res in results:
            res._own = by_name.get(normalise_name(res.mention.text), ({}, {}))  # type: ignore[attr-defined]
        countries: dict[str, float] = defaultdict(float)
        admin1s: dict[tuple[str, str], float] = defaultdict(float)
        for c, a in by_name.values():
            for k, v in c.items():
                countries[k] += v
            for k2, v in a.items():
                admin1s[k2] += v
        return countries, admin1s

    def precision(self, entry: Any) -> str:
        """The gazetteer's precision for the entry (data/places/feature_precision.tsv)."""
        from tocsin.places.gazetteer import precision

        return precision(entry) or "point"


class _ContextScorer:
    """Scores one mention's candidates against the rest of its document."""

    def __init__(
        self,
        resolver: Resolver,
        index: int,
        res: Resolution,
        countries: dict[str, float],
        admin1s: dict[tuple[str, str], float],
        picks: list[tuple[int, Any]],
        qualifiers: list[Any],
        listed: list[str],
    ) -> None:
        self.resolver = resolver
        self.listed = listed
        self.index = index
        self.countries = countries
        self.admin1s = admin1s
        own: tuple[dict[Any, Any], dict[Any, Any]] = getattr(res, "_own", ({}, {}))
        self.own_country, self.own_admin1 = own
        self.picks = picks
        self.qualifiers = [q for q in qualifiers if q is not None]
        self.ctx = resolver.rules.context
        self.text = res.mention.target or res.mention.text
        self.cue = res.cue
        self.largest = max((log_population(c.entry) for c in res.candidates), default=0.0)
        self.areas = [c.entry for c in res.candidates
                      if c.entry.feature_code in _NAMESAKE_AREA_CODES]
        # the document points to some country besides what this mention itself says
        self.elsewhere = any(
            v - self.own_country.get(k, 0.0) > 0 for k, v in self.countries.items()
        )

    def features(self, cand: Candidate) -> list[float]:
        """The candidate's row of ``ranking_features.FEATURES`` in this document."""
        e, ctx = cand.entry, self.ctx
        cap = ctx.get("weight_cap", 2.0)
        c_weight = self.countries.get(e.country2, 0.0) - self.own_country.get(e.country2, 0.0)
        a_weight = 0.0
        if not is_country(e):
            key = (e.country2, e.admin1_code)
            a_weight = self.admin1s.get(key, 0.0) - self.own_admin1.get(key, 0.0)
        return candidate_features(
            e,
            text=self.text,
            code_prior=self.resolver.rules.prior(e.feature_class, e.feature_code),
            town_of_area=e.feature_class == "P" and any(
                a.country2 == e.country2 and a.admin1_code == e.admin1_code for a in self.areas
            ),
            loose=cand.variant,
            largest_log_population=self.largest,
            document_country=min(c_weight, cap),
            document_admin1=min(a_weight, cap),
            abroad=self.elsewhere and c_weight <= 0,
            qualifiers=sum(1 for area in self.qualifiers if self.resolver._contains(area, e)),
            near=self._near(e),
            cue=self.cue,
            listed=self.listed,
        )

    def _near(self, e: Any) -> bool:
        if Resolver._is_area(e):
            return False
        return any(
            j != self.index
            and other.geonameid != e.geonameid
            and distance_km(e.lat, e.lon, other.lat, other.lon) <= self.ctx["near_km"]
            for j, other in self.picks
        )

    def __call__(self, cand: Candidate) -> float:
        ranker = self.resolver.ranker
        if ranker is not None:
            return ranker.score(self.features(cand))
        e, ctx = cand.entry, self.ctx
        s = cand.prior
        c_weight = self.countries.get(e.country2, 0.0) - self.own_country.get(e.country2, 0.0)
        cap = ctx.get("weight_cap", 2.0)
        s += ctx["country"] * min(c_weight, cap)
        if not is_country(e):
            key = (e.country2, e.admin1_code)
            a_weight = self.admin1s.get(key, 0.0) - self.own_admin1.get(key, 0.0)
            s += ctx["admin1"] * min(a_weight, cap)
        for area in self.qualifiers:
            if self.resolver._contains(area, e):
                s += ctx["qualifier"]
        if not Resolver._is_area(e):
            for j, other in self.picks:
                if j != self.index and other.geonameid != e.geonameid:
                    if distance_km(e.lat, e.lon, other.lat, other.lon) <= ctx["near_km"]:
                        s += ctx["near"]
                        break
        return s


# "Democratic Republic of Congo" / "of the Congo", "Isle of Man" / "of the Man": official names
# are written with and without the article after "of".
_OF_THE = re.compile(r"\bof\s+(the\s+)?", re.IGNORECASE)


def _of_the_forms(text: str) -> list[str]:
    """The name with the article after "of" dropped, or added where it was missing."""
    match = _OF_THE.search(text)
    if match is None:
        return []
    head, tail = text[: match.start()], text[match.end():]
    if match.group(1):
        return [f"{head}of {tail}"]
    return [f"{head}of the {tail}"]


def _within(area: Any, entry: Any) -> bool:
    """True when ``entry`` is ``area`` or lies in it: same country and, below country level,
    the same first-order area or within 60 km (a town standing for its district)."""
    if area.geonameid == entry.geonameid:
        return True
    if area.country2 != entry.country2:
        return False
    if is_country(area):
        return True
    if area.admin1_code and area.admin1_code == entry.admin1_code:
        return True
    return distance_km(area.lat, area.lon, entry.lat, entry.lon) <= 60.0


def _prefer_namesake_towns(cands: list[Candidate]) -> None:
    """A town and the admin area named after it ("New York" the city and the state, "Lagos",
    "Liverpool"): the bare name means the town, so the town's prior is raised just above the
    area's. The area keeps its candidacy for when the context points to it ("Lagos State" is
    resolved among areas only, see ``_without_generic``)."""
    areas = [c for c in cands if c.entry.feature_code in _NAMESAKE_AREA_CODES]
    if not areas:
        return
    for town in cands:
        e = town.entry
        if e.feature_class != "P":
            continue
        for area in areas:
            a = area.entry
            if a.country2 != e.country2 or a.admin1_code != e.admin1_code:
                continue
            if a.feature_code == "ADM2" and a.admin2_name and a.admin2_name != e.admin2_name:
                continue
            if e.population * 10 >= a.population and area.prior >= town.prior:
                town.prior = area.prior + 0.05


_NAMESAKE_AREA_CODES = frozenset({"ADM1", "ADM2", "ADM3"})

_resolvers: dict[int, Resolver] = {}


def resolver_for(gazetteer: Gazetteer) -> Resolver:
    """One resolver (and candidate cache) per gazetteer per process."""
    cached = _resolvers.get(id(gazetteer))
    if cached is None or cached.gazetteer is not gazetteer:
        cached = Resolver(gazetteer)
        _resolvers[id(gazetteer)] = cached
    return cached
