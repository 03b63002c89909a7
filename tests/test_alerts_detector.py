"""Escalation detection on hand-made events: the test, the lifecycle, signals not counted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from tocsin.alerts.config import default_rules
from tocsin.alerts.detection import alerts_from_events
from tocsin.alerts.lifecycle import NEW, ONGOING, RESOLVED, detect_alerts
from tocsin.alerts.negative_binomial import size_from_moments, upper_tail
from tocsin.alerts.observations import Area, Observation, observations_from_events
from tocsin.records import Counts, DateSpan, Event, MentionRef, Place

DAY0 = dt.date(2020, 1, 1)
KIRKUK = Area("IRQ", "Kirkuk")


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def make_event(
    event_id: str,
    when: dt.date,
    *,
    kind: str = "ASSAULT",
    acled: list[str] | None = None,
    country: str | None = "IRQ",
    admin1: str | None = "Kirkuk",
    precision: str = "town",
    killed: int | None = None,
    displaced: int | None = None,
    modality: str = "asserted",
    document: str = "doc",
    sentence: str = "A sentence.",
) -> Event:
    location = None
    if country:
        location = Place(text=admin1 or country, start=0, end=1, sentence=0, name=admin1,
                         country=country, admin1=admin1, precision=precision)
    return Event(
        id=event_id,
        event=kind,
        acled=acled if acled is not None else ["Violence against civilians", "Attack"],
        location=location,
        date=DateSpan(when, when, "day"),
        counts=Counts(killed=killed, displaced=displaced),
        modality=modality,
        mentions=[MentionRef(mention=f"{document}:{event_id}", document=document,
                             sentence=sentence, start=0, end=len(sentence))],
    )


def test_negative_binomial_tail_matches_closed_forms() -> None:
    # Size 1 is geometric: P(X >= k) = (m / (1 + m)) ** k.
    assert upper_tail(3, 2.0, 1.0) == pytest.approx((2 / 3) ** 3)
    # A huge size is Poisson: P(X >= 1) = 1 - exp(-m).
    assert upper_tail(1, 0.5, 1e7) == pytest.approx(1 - math.exp(-0.5), rel=1e-5)
    assert upper_tail(0, 1.0, 1.0) == 1.0
    assert upper_tail(5, 0.0, 1.0) == 0.0
    # Over-dispersion makes the same count less surprising.
    assert upper_tail(10, 2.0, 0.5) > upper_tail(10, 2.0, 20.0)


def test_size_from_moments_bounds() -> None:
    assert size_from_moments(1.0, 0.5, 0.1, 20.0) == 20.0  # under-dispersed: Poisson-like
    assert size_from_moments(1.0, 3.0, 0.1, 20.0) == pytest.approx(0.5)
    assert size_from_moments(1.0, 1000.0, 0.1, 20.0) == 0.1


def test_sparse_place_burst_opens_one_alert_that_resolves() -> None:
    rules = default_rules()
    observations = [Observation(KIRKUK, "violence_against_civilians", day(d), event_id=f"e{d}")
                    for d in (5, 60)]
    burst = [Observation(KIRKUK, "violence_against_civilians", day(100 + i % 3),
                         event_id=f"b{i}") for i in range(6)]
    alerts = detect_alerts(observations + burst, rules, as_of=day(200), origin=DAY0)
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.area == KIRKUK and alert.concern == "violence_against_civilians"
    assert day(100) <= alert.start <= day(102)
    assert alert.status == RESOLVED
    assert alert.resolved == alert.end + dt.timedelta(days=rules.quiet_days)
    assert set(alert.event_ids) == {f"b{i}" for i in range(6)}
    assert alert.observed >= rules.min_events and alert.expected < 1


def test_single_report_in_an_empty_place_does_not_alert() -> None:
    one = [Observation(KIRKUK, "battles", day(10), killed=3, event_id="x")]
    assert detect_alerts(one, default_rules(), as_of=day(40), origin=DAY0) == []


def test_busy_place_at_its_usual_level_does_not_alert() -> None:
    # Two to four events every day for a year, with bursty fatalities: nothing unusual.
    observations = []
    for d in range(365):
        for i in range(2 + d % 3):
            killed = 40 if (d % 17 == 0 and i == 0) else 1
            observations.append(Observation(KIRKUK, "battles", day(d), killed=killed,
                                            event_id=f"{d}-{i}"))
    alerts = detect_alerts(observations, default_rules(), as_of=day(364), origin=DAY0)
    # Before the origin nothing is known, so the first days are tested against the floor;
    # once a baseline exists, the usual level raises nothing.
    assert [a for a in alerts if a.start > day(30)] == []


def test_lifecycle_new_then_ongoing_one_alert_per_situation() -> None:
    rules = default_rules()
    surge = [Observation(KIRKUK, "battles", day(50 + d), event_id=f"s{d}-{i}")
             for d in range(10) for i in range(4)]
    on_first = detect_alerts(surge, rules, as_of=None, origin=DAY0)
    assert len(on_first) == 1 and on_first[0].status == ONGOING
    opened = on_first[0].start
    same_day = detect_alerts(surge, rules, as_of=opened, origin=DAY0)
    assert [a.status for a in same_day] == [NEW]
    assert same_day[0].id == on_first[0].id  # same situation, same alert


def test_people_threshold_opens_on_a_mass_displacement() -> None:
    rules = default_rules()
    small = [Observation(KIRKUK, "displacement", day(10), displaced=200, event_id="a")]
    large = [Observation(KIRKUK, "displacement", day(10), displaced=5000, event_id="b")]
    assert detect_alerts(small, rules, origin=DAY0) == []
    found = detect_alerts(large, rules, origin=DAY0)
    assert len(found) == 1 and found[0].people_kind == "displaced"
    assert found[0].people_observed == 5000


def test_admin2_alert_waits_while_its_admin1_has_one() -> None:
    district = Area("IRQ", "Kirkuk", "Hawija")
    burst = [Observation(district, "battles", day(30), event_id=f"h{i}") for i in range(6)]
    alerts = detect_alerts(burst, default_rules(), origin=DAY0)
    assert [a.area.level for a in alerts] == ["admin1"]
    only_district = dataclasses.replace(default_rules(), levels=("admin2",))
    alerts = detect_alerts(burst, only_district, origin=DAY0)
    assert [a.area for a in alerts] == [district]


def test_forecasts_are_signals_not_counts() -> None:
    events = [
        make_event("d1", day(10), kind="DISPLACEMENT", acled=[], displaced=1200, document="r1",
                   sentence="About 1,200 people fled the villages."),
        make_event("f1", day(10), kind="DISPLACEMENT", acled=[], displaced=20000,
                   modality="forecast", country="IRQ", admin1=None, precision="country",
                   document="r1", sentence="The offensive may drive 20,000 more from home."),
        make_event("f2", day(11), kind="DISPLACEMENT", acled=[], displaced=90000,
                   modality="forecast", admin1="Basra", document="r9"),
    ]
    observations = observations_from_events(events)
    assert [o.event_id for o in observations] == ["d1"]
    alerts = alerts_from_events(events, as_of=day(12))
    assert len(alerts) == 1
    alert = alerts[0].to_dict()
    assert alert["people"] == {"kind": "displaced", "observed": 1200, "expected": 1.5}
    assert [s["event_id"] for s in alert["signals"]] == ["f1"]  # same report; Basra is not
    assert alert["signals"][0]["displaced"] == 20000
    assert alert["events"][0]["evidence"][0]["sentence"] == "About 1,200 people fled the villages."


def test_displacement_reported_at_country_level_takes_the_reported_violence_place() -> None:
    events = [
        make_event("v1", day(3), acled=["Explosions/Remote violence", "Air/drone strike"],
                   admin1="Latakia", country="SYR", document="blog"),
        make_event("d1", day(3), kind="DISPLACEMENT", acled=[], country="TUR", admin1=None,
                   precision="country", displaced=1500, document="blog"),
        make_event("d2", day(3), kind="DISPLACEMENT", acled=[], country="TUR", admin1=None,
                   precision="country", displaced=700, document="other"),
    ]
    places = {o.event_id: o.area for o in observations_from_events(events)}
    assert places["d1"] == Area("SYR", "Latakia")
    assert "d2" not in places  # no violence reported alongside it: no place to count it in


def test_escalation_level_counts_doublings() -> None:
    from tocsin.alerts.lifecycle import escalation_level

    assert [escalation_level(10, n, 2.0) for n in (5, 19, 20, 39, 40, 85)] == [0, 0, 1, 1, 2, 3]
    assert escalation_level(0, 500, 2.0) == 0  # nothing at opening: no ratio
    assert escalation_level(10, 500, 0.0) == 0  # escalation turned off


def test_open_alert_escalates_when_its_window_keeps_doubling() -> None:
    rules = default_rules()
    start = [Observation(KIRKUK, "battles", day(50), event_id=f"o{i}") for i in range(4)]
    steady = [Observation(KIRKUK, "battles", day(50 + d), event_id=f"s{d}-{i}")
              for d in range(1, 4) for i in range(4)]
    [calm] = detect_alerts(start + steady, rules, origin=DAY0)
    # Same four a day: the 3-day window holds 12 events against 4 at opening (x3: one doubling).
    assert calm.opened_observed == 4 and calm.escalation == 1
    surge = [Observation(KIRKUK, "battles", day(50 + d), event_id=f"u{d}-{i}")
             for d in range(1, 4) for i in range(20)]
    [alert] = detect_alerts(start + surge, rules, origin=DAY0)
    assert alert.id == calm.id  # the same situation
    assert alert.escalation == 3  # 60 events in the window: 4 -> 8 -> 16 -> 32 <= 60 < 64
    assert alert.to_dict()["escalation"] == 3
    off = dataclasses.replace(rules, escalate_factor=0.0)
    assert detect_alerts(start + surge, off, origin=DAY0)[0].escalation == 0
