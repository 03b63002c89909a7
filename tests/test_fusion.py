"""Fusion of event mentions into Events, on Tocsin's own multi-report test set."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from tocsin.exports.record_dicts import mention_from_dict
from tocsin.fusion import (
    Corrections,
    MentionInput,
    fingerprint,
    fuse,
    load_rules,
    merge_events,
    pairwise_scores,
    similarity,
    split_event,
)
from tocsin.records import Actor, DateSpan, Event, EventMention, Evidence, MentionRef, Place

REPORTS = Path(__file__).parent / "fixtures" / "fusion" / "reports.json"


def load_reports() -> tuple[list[MentionInput], dict[str, str]]:
    """The test set as fusion inputs, and the gold event label of each mention id."""
    data = json.loads(REPORTS.read_text(encoding="utf-8"))
    items: list[MentionInput] = []
    gold: dict[str, str] = {}
    for document in data["documents"]:
        print_ = fingerprint(document["text"])
        for index, mention in enumerate(document["mentions"]):
            mid = f"{document['id']}:{index}"
            gold[mid] = mention["gold"]
            items.append(
                MentionInput(
                    id=mid,
                    mention=mention_from_dict(mention),
                    document_id=document["id"],
                    text_fingerprint=print_,
                    source=document["source"],
                    url=document["url"],
                    published=dt.date.fromisoformat(document["published"]),
                )
            )
    return items, gold


@pytest.fixture(scope="module")
def reports() -> tuple[list[MentionInput], dict[str, str]]:
    return load_reports()


@pytest.fixture(scope="module")
def fused(reports: tuple[list[MentionInput], dict[str, str]]) -> list[Event]:
    return fuse(reports[0])


def event_of(events: list[Event], mention: str) -> Event:
    return next(e for e in events if any(r.mention == mention for r in e.mentions))


def membership(events: list[Event]) -> dict[str, list[str]]:
    return {e.id: [r.mention for r in e.mentions] for e in events}


def test_test_set_is_big_enough(reports: tuple[list[MentionInput], dict[str, str]]) -> None:
    items, gold = reports
    assert len(items) >= 60
    assert len(set(gold.values())) >= 15
    assert len({item.document_id for item in items}) >= 30


def test_pairwise_precision_and_recall(
    fused: list[Event], reports: tuple[list[MentionInput], dict[str, str]]
) -> None:
    scores = pairwise_scores(fused, reports[1])
    assert scores["precision"] >= 0.95, scores
    assert scores["recall"] >= 0.95, scores


def test_pairwise_scores_counts_pairs() -> None:
    def event(eid: str, mentions: list[str]) -> Event:
        from tocsin.records import MentionRef

        return Event(
            id=eid, event="ASSAULT", mentions=[MentionRef(m, "d", "", 0, 0) for m in mentions]
        )

    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    scores = pairwise_scores([event("x", ["a", "b", "d"]), event("y", ["c"])], gold)
    assert scores["precision"] == pytest.approx(1 / 3)  # a-b right, a-d and b-d wrong
    assert scores["recall"] == pytest.approx(1 / 3)  # a-b found, a-c and b-c missed


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("d10:0", "d13:0", "same place and day, other attacker"),
        ("d10:0", "d10:1", "same day, other town"),
        ("d10:0", "d15:0", "same place, other day"),
        ("d60:0", "d63:0", "same place, three days later"),
        ("d60:0", "d60:1", "same day, other town"),
        ("d50:0", "d50:1", "same place and day, other attacker"),
        ("d30:0", "d30:2", "same day, other town and mode"),
        ("d30:0", "d33:1", "same place, next day, other type"),
        ("d05:1", "d06:2", "same place and day, other type"),
        ("d23:0", "d23:1", "a forecast is not the event"),
        ("d05:0", "d07:1", "the protest three days later"),
    ],
)
def test_near_misses_stay_apart(fused: list[Event], first: str, second: str, why: str) -> None:
    assert event_of(fused, first).id != event_of(fused, second).id, why


def test_reports_of_one_event_fuse_across_wording(fused: list[Event]) -> None:
    strike = event_of(fused, "d01:0")
    members = {r.mention for r in strike.mentions}
    # wire story, its copy, a blog with vaguer wording, and a country-level report
    assert {"d01:0", "d02:0", "d03:0", "d03:1", "d08:0"} <= members
    assert strike.event == "ASSAULT" and strike.mode == "aerial"
    assert strike.location is not None and strike.location.name == "Bayırbucak"
    assert strike.actor1 is not None and strike.actor1.country == "RUS"
    assert strike.date is not None and strike.date.start == strike.date.end == dt.date(2015, 11, 20)
    # clashes reported with the sides the other way round are one battle
    clash = event_of(fused, "d15:0")
    assert {r.mention for r in clash.mentions} == {"d15:0", "d16:0", "d17:0"}


def test_counts_keep_every_report_and_choose_the_most_conservative(fused: list[Event]) -> None:
    strike = event_of(fused, "d01:0")
    assert sorted(r.value for r in strike.count_reports if r.kind == "killed") == [3, 3, 5, 7]
    assert strike.counts.killed == 3
    assert strike.counts.qualifier == "at least"
    assert strike.conflicting_counts
    # one outlet's own update (10, then 15) counts as its figure 15; the other outlet says 12
    konduga = event_of(fused, "d10:0")
    assert konduga.counts.killed == 12
    clash = event_of(fused, "d15:0")
    assert clash.counts.killed == 8 and not clash.conflicting_counts


def test_copies_of_a_wire_story_count_once(
    reports: tuple[list[MentionInput], dict[str, str]], fused: list[Event]
) -> None:
    strike = event_of(fused, "d01:0")
    assert len({r.document for r in strike.mentions}) == 4
    assert strike.sources == 3  # d01 and its copy d02 are one source
    items = reports[0]
    wire_only = fuse([i for i in items if i.document_id == "d01"])
    with_copy = fuse([i for i in items if i.document_id in ("d01", "d02")])
    with_other = fuse([i for i in items if i.document_id in ("d01", "d03")])
    one, copy, other = (event_of(e, "d01:0") for e in (wire_only, with_copy, with_other))
    assert copy.sources == one.sources == 1
    assert copy.confidence == one.confidence
    assert other.sources == 2 and other.confidence > one.confidence


def test_result_does_not_depend_on_input_order(
    reports: tuple[list[MentionInput], dict[str, str]], fused: list[Event]
) -> None:
    expected = [e.to_dict() for e in fused]
    for seed in (1, 2, 3):
        shuffled = list(reports[0])
        random.Random(seed).shuffle(shuffled)
        assert [e.to_dict() for e in fuse(shuffled)] == expected


def test_incremental_fusion_equals_fusing_everything(
    reports: tuple[list[MentionInput], dict[str, str]], fused: list[Event]
) -> None:
    items = reports[0]
    cut = sorted({i.published for i in items if i.published})[len(items) // 8]
    first = [i for i in items if i.published and i.published <= cut]
    assert 0 < len(first) < len(items)
    before = fuse(first)
    previous = {r.mention: e.id for e in before for r in e.mentions}
    after = fuse(items, previous=previous)
    assert membership(after) == membership(fused)
    assert fuse(items, previous={r.mention: e.id for e in after for r in e.mentions}) == after
    # an event of the first batch keeps its id when later reports join it
    for event in before:
        grown = event_of(after, event.mentions[0].mention)
        assert grown.id == event.id


def test_previous_ids_survive_a_late_earlier_report(
    reports: tuple[list[MentionInput], dict[str, str]],
) -> None:
    items = reports[0]
    late = [i for i in items if i.document_id != "d12"]  # d12 is Konduga's earliest report
    before = event_of(fuse(late), "d10:0")
    fresh = event_of(fuse(items), "d10:0")
    assert fresh.id != before.id  # the canonical-first mention changed...
    previous = {r.mention: before.id for r in before.mentions}
    kept = event_of(fuse(items, previous=previous), "d10:0")
    assert kept.id == before.id  # ...but the previous id is kept when given


def test_split_survives_refusion(reports: tuple[list[MentionInput], dict[str, str]]) -> None:
    items = reports[0]
    corrections = Corrections()
    strike = event_of(fuse(items), "d01:0")
    record = split_event(corrections, strike, ["d08:0", "d03:1"])
    assert record.mentions == ("d03:1", "d08:0")
    for seed in (0, 1):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        events = fuse(shuffled, corrections)
        moved = event_of(events, "d08:0")
        assert {r.mention for r in moved.mentions} == {"d03:1", "d08:0"}
        assert "d01:0" not in {r.mention for r in moved.mentions}
        assert event_of(events, "d01:0").id != moved.id


def test_merge_survives_refusion_and_later_correction_wins(
    reports: tuple[list[MentionInput], dict[str, str]],
) -> None:
    items = reports[0]
    corrections = Corrections()
    events = fuse(items)
    konduga, bama = event_of(events, "d10:0"), event_of(events, "d10:1")
    merge_events(corrections, konduga, bama)
    merged = fuse(items, corrections)
    assert event_of(merged, "d10:0").id == event_of(merged, "d13:1").id
    assert len(merged) == len(events) - 1
    split_event(corrections, event_of(merged, "d10:0"), ["d10:1", "d13:1"])
    again = fuse(items, corrections)
    assert membership(again) == membership(events)


def test_split_rejects_foreign_or_total_selection(fused: list[Event]) -> None:
    strike = event_of(fused, "d01:0")
    with pytest.raises(ValueError):
        split_event(Corrections(), strike, ["d99:0"])
    with pytest.raises(ValueError):
        split_event(Corrections(), strike, [r.mention for r in strike.mentions])


def test_only_same_modality_fuses(reports: tuple[list[MentionInput], dict[str, str]]) -> None:
    items = reports[0]
    forecast = next(i for i in items if i.id == "d23:1")
    assert forecast.mention.modality == "forecast"
    assert len(fuse([i for i in items if i.document_id in ("d22", "d23")])) == 2


def _mention(
    place: Place | None, actor1: Actor | None, day: int, mode: str = "aerial"
) -> EventMention:
    return EventMention(
        event="ASSAULT",
        mode=mode,
        evidence=Evidence("doc", "s", 0, 1),
        actor1=actor1,
        location=place,
        date=DateSpan(dt.date(2020, 1, day), dt.date(2020, 1, day), "day"),
    )


def _input(mid: str, mention: EventMention) -> MentionInput:
    return MentionInput(id=mid, mention=mention, document_id=mid.split(":")[0])


def test_country_level_place_needs_strong_evidence() -> None:
    town = Place("Homs", 0, 4, 0, "Homs", None, "SYR", "Homs", 34.73, 36.71, "town")
    country = Place("Syria", 0, 5, 0, "Syria", None, "SYR", None, 35.0, 38.5, "country")
    jets = Actor("jets", "RUS", "MIL")
    strong = fuse(
        [_input("a:0", _mention(town, jets, 5)), _input("b:0", _mention(country, jets, 5))]
    )
    assert len(strong) == 1
    vague = _mention(country, None, 5)
    vague.mode = None  # same day only: one signal of the two needed
    assert len(fuse([_input("a:0", _mention(town, None, 5)), _input("b:0", vague)])) == 2


def test_province_report_does_not_chain_two_towns() -> None:
    province = Place("Idlib", 0, 5, 0, "Idlib", None, "SYR", "Idlib", 35.8, 36.6, "admin1")
    north = Place("Sarmada", 0, 7, 0, "Sarmada", None, "SYR", "Idlib", 36.19, 36.72, "town")
    south = Place("Kafr Nabl", 0, 9, 0, "Kafr Nabl", None, "SYR", "Idlib", 35.61, 36.56, "town")
    events = fuse(
        [
            _input("a:0", _mention(province, None, 5)),
            _input("b:0", _mention(north, None, 5)),
            _input("c:0", _mention(south, None, 5)),
        ]
    )
    assert len(events) == 2
    assert sorted(len(e.mentions) for e in events) == [1, 2]


def _vague_report_joins(first: EventMention, second: EventMention, vague: EventMention) -> str:
    """Which of two town events (too far apart to fuse) a country-level report that is
    compatible with both joins; on equal scores it would join the first (canonical order)."""
    events = fuse([_input("a:0", first), _input("b:0", second), _input("c:0", vague)])
    assert len(events) == 2
    return next(r.mention for e in events if len(e.mentions) == 2 for r in e.mentions
                if r.mention != "c:0")  # fmt: skip


_HOMS = Place("Homs", 0, 4, 0, "Homs", None, "SYR", "Homs", 34.73, 36.71, "town")
_HAMA = Place("Hama", 0, 4, 0, "Hama", None, "SYR", "Hama", 35.13, 36.75, "town")
_SYRIA = Place("Syria", 0, 5, 0, "Syria", None, "SYR", None, 35.0, 38.5, "country")


def test_a_vague_report_joins_the_event_whose_figures_it_shares() -> None:
    army = Actor("the army", "SYR", "MIL")
    homs, hama, vague = (_mention(p, army, 5) for p in (_HOMS, _HAMA, _SYRIA))
    homs.counts.killed, hama.counts.killed, vague.counts.killed = 4, 40, 42
    assert _vague_report_joins(homs, hama, vague) == "b:0"
    vague.counts.killed = 5  # 4 and 5 do not conflict ([counts]), 40 and 5 do
    assert _vague_report_joins(homs, hama, vague) == "a:0"


def test_a_vague_report_joins_the_event_whose_actors_have_its_sector() -> None:
    soldiers, police = Actor("soldiers", "SYR", "MIL"), Actor("police", "SYR", "POL")
    # MIL and POL are one sector group: neither pair contradicts, the same sector ranks first.
    homs, hama = _mention(_HOMS, soldiers, 5), _mention(_HAMA, police, 5)
    by_police = _mention(_SYRIA, Actor("police", "SYR", "POL"), 5)
    assert _vague_report_joins(homs, hama, by_police) == "b:0"
    by_troops = _mention(_SYRIA, Actor("troops", "SYR", "MIL"), 5)
    assert _vague_report_joins(homs, hama, by_troops) == "a:0"


def test_rules_come_from_the_data_file(
    tmp_path: Path, reports: tuple[list[MentionInput], dict[str, str]]
) -> None:
    from importlib import resources

    text = resources.files("tocsin").joinpath("data", "fusion.toml").read_text("utf-8")
    wider = text.replace("point = 25, town = 25", "point = 60, town = 60")
    assert wider != text
    path = tmp_path / "fusion.toml"
    path.write_text(wider, encoding="utf-8")
    items = [i for i in reports[0] if i.document_id == "d10"]  # Konduga and Bama, 34 km apart
    assert len(fuse(items)) == 2
    assert len(fuse(items, rules=load_rules(path))) == 1


def test_fingerprints_find_copies_not_neighbours(
    reports: tuple[list[MentionInput], dict[str, str]],
) -> None:
    by_doc = {i.document_id: i.text_fingerprint for i in reports[0]}
    assert similarity(by_doc["d30"], by_doc["d31"]) == 1.0  # the same wire text
    assert similarity(by_doc["d01"], by_doc["d02"]) >= 0.8  # a copy with a few words added
    assert similarity(by_doc["d01"], by_doc["d03"]) < 0.2
    assert fingerprint("") == ()
    assert fingerprint("one two three four five six") == fingerprint(
        "One two, three four five six!"
    )
    assert len(fingerprint("one two three four five six")) == 64


def test_unplaced_mention_meets_placed_mentions_of_another_country_than_its_actors() -> None:
    # "Russian jets bombed the villages" with no place: filed under RUS, happened in Syria.
    town = Place("Homs", 0, 4, 0, "Homs", None, "SYR", "Homs", 34.73, 36.71, "town")
    villagers = Actor("villagers", "SYR", "CVL")
    placed = _mention(town, Actor("jets", "RUS", "MIL"), 5)
    unplaced = _mention(None, Actor("Russian jets", "RUS", "MIL"), 5)
    placed.actor2 = unplaced.actor2 = villagers
    assert len(fuse([_input("a:0", placed), _input("b:0", unplaced)])) == 1
    # ... but never with an event in a country none of its actors belongs to.
    far = Place("Mosul", 0, 5, 0, "Mosul", None, "IRQ", "Nineveh", 36.34, 43.13, "town")
    elsewhere = _mention(far, Actor("jets", "RUS", "MIL"), 5)
    assert len(fuse([_input("a:0", elsewhere), _input("b:0", unplaced)])) == 2


def _flight(place: Place | None, people: Actor | None, day: int) -> EventMention:
    mention = _mention(place, None, day, mode="flight")
    mention.event, mention.actor2 = "DISPLACEMENT", people
    return mention


def test_displacement_fuses_across_a_border_and_is_placed_where_people_fled_from() -> None:
    origin = Place("Latakia", 0, 7, 0, "Latakia", None, "SYR", "Latakia", 35.53, 35.79, "town")
    arrival = Place("Hatay", 0, 5, 0, "Antakya", None, "TUR", "Hatay", 36.21, 36.16, "town")
    syrians = Actor("Syrian Turkmens", "SYR", "CVL", "Turkmen")
    turkmens = Actor("Turkmens", None, None, "Turkmen")
    items = [_input("a:0", _flight(arrival, turkmens, 5)),
             _input("b:0", _flight(origin, syrians, 5))]
    (event,) = fuse(items)
    assert event.location is not None and event.location.country == "SYR"
    # Without strong evidence (no shared people), two countries stay two events.
    assert len(fuse([_input("a:0", _flight(arrival, None, 5)),
                     _input("b:0", _flight(origin, None, 7))])) == 2
    # Too far apart for one crossing.
    far = Place("Izmir", 0, 5, 0, "Izmir", None, "TUR", "Izmir", 38.42, 27.14, "town")
    assert len(fuse([_input("a:0", _flight(far, turkmens, 5)),
                     _input("b:0", _flight(origin, syrians, 5))])) == 2


def test_cross_border_pair_without_strong_evidence_can_share_a_linked_event() -> None:
    """Lacking strong evidence, an arrival and an origin report do not link on their own, but
    they do not contradict each other either: a third report that links to both joins all three,
    and the Event takes the most precise place where the people fled from."""
    origin = Place("Latakia", 0, 7, 0, "Latakia", None, "SYR", "Latakia", 35.53, 35.79, "town")
    arrival = Place("Hatay", 0, 5, 0, "Antakya", None, "TUR", "Hatay", 36.21, 36.16, "town")
    syrians = Actor("Syrian Turkmens", "SYR", "CVL", "Turkmen")
    # (Days 6 and 7: dated to the day, reports of one event lie at most a day apart.)
    alone = [_input("a:0", _flight(arrival, None, 6)), _input("b:0", _flight(origin, None, 7))]
    assert len(fuse(alone)) == 2
    (event,) = fuse([*alone, _input("c:0", _flight(arrival, syrians, 7))])
    assert event.location is not None and event.location.name == "Latakia"


def test_protesters_as_civilians_or_party_supporters_are_one_crowd() -> None:
    square = Place("Taksim", 0, 6, 0, "Istanbul", None, "TUR", "Istanbul", 41.01, 28.95, "town")

    def rally(sector: str) -> EventMention:
        mention = _mention(square, Actor("protesters", "TUR", sector), 5, mode="demonstrate")
        mention.event = "PROTEST"
        return mention

    assert len(fuse([_input("a:0", rally("CVL")), _input("b:0", rally("PTY"))])) == 1
    # Outside protests, a party and civilians are different sides.
    attack = [_mention(square, Actor("x", "TUR", s), 5, mode="attack") for s in ("CVL", "PTY")]
    assert len(fuse([_input("a:0", attack[0]), _input("b:0", attack[1])])) == 2


def test_store_blocks_let_unplaced_and_cross_border_mentions_meet_every_country() -> None:
    from tocsin.fusion.blocking import ANY_COUNTRY, UNPLACED, filed_blocks, wanted_blocks
    from tocsin.fusion.profiles import build_profile
    from tocsin.fusion.rules import default_rules

    rules = default_rules()
    town = Place("Homs", 0, 4, 0, "Homs", None, "SYR", "Homs", 34.73, 36.71, "town")
    placed = build_profile(0, _input("a:0", _mention(town, None, 5)), rules)
    loose = build_profile(1, _input("b:0", _mention(None, Actor("j", "RUS", "MIL"), 5)), rules)
    flight = build_profile(2, _input("c:0", _flight(town, None, 5)), rules)
    countries = lambda blocks: {b[1] for b in blocks}  # noqa: E731
    assert countries(filed_blocks(placed, rules)) == {"SYR", ANY_COUNTRY}
    assert countries(wanted_blocks(placed, rules)) == {"SYR", UNPLACED}
    assert countries(filed_blocks(loose, rules)) == {"RUS", ANY_COUNTRY, UNPLACED}
    assert countries(wanted_blocks(loose, rules)) == {ANY_COUNTRY}
    assert countries(wanted_blocks(flight, rules)) == {ANY_COUNTRY}


def _ref(mention: str) -> MentionRef:
    return MentionRef(mention, mention, "s", 0, 1)


def test_pairwise_scores_count_pairs_without_listing_them() -> None:
    import tracemalloc

    gold = {f"m{i}": f"g{i % 3}" for i in range(1500)}  # 1,500 mentions: 1.1M pairs
    events = [Event(id="one", event="ASSAULT", mentions=[_ref(m) for m in gold])]
    tracemalloc.start()
    scores = pairwise_scores(events, gold)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert scores["predicted_pairs"] == 1500 * 1499 / 2
    assert scores["gold_pairs"] == 3 * 500 * 499 / 2
    assert scores["recall"] == 1.0
    assert abs(scores["precision"] - 3 * 500 * 499 / (1500 * 1499)) < 1e-12
    assert peak < 5_000_000  # bytes: listing the pairs took some 200 MB
    # A mention in two Events: the pairs are listed, so shared pairs count once.
    twice = [Event(id=n, event="ASSAULT", mentions=[_ref(m) for m in "abc"]) for n in "xy"]
    assert pairwise_scores(twice, {"a": "g", "b": "g", "c": "h"})["predicted_pairs"] == 3.0
