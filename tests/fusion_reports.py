"""Small hand-written reports (our own words) for the fusion store, query and CLI tests.

Three outlets report one air strike on Saraqib (Idlib) on 2024-03-05, with different figures; a
near miss hits Saraqib again two days later; a protest in Homs; a forecast of displacement; an
attack far away in Borno. ``reports()`` returns them as DocumentResults ready to store.
"""

from __future__ import annotations

import datetime as dt

from tocsin.document_id import document_id
from tocsin.records import (
    Actor,
    Counts,
    DateSpan,
    Document,
    DocumentResult,
    EventMention,
    Evidence,
    Place,
)

SARAQIB = dict(name="Saraqib", geonameid=163345, country="SYR", admin1="Idlib", lat=35.8624,
               lon=36.8064, precision="town")  # fmt: skip
HOMS = dict(name="Homs", geonameid=169577, country="SYR", admin1="Homs", lat=34.7268,
            lon=36.7234, precision="town")  # fmt: skip
MAIDUGURI = dict(name="Maiduguri", geonameid=2331447, country="NGA", admin1="Borno",
                 lat=11.8464, lon=13.1603, precision="town")  # fmt: skip
DAY = dt.date(2024, 3, 5)


def _mention(
    text: str, sentence: str, event: str, mode: str | None, place: dict | None, day: dt.date,
    actor1: Actor | None = None, actor2: Actor | None = None, killed: int | None = None,
    modality: str = "asserted", acled: list[str] | None = None,
) -> EventMention:  # fmt: skip
    start = text.index(sentence)
    location = None
    if place is not None:
        word = str(place["name"])
        at = text.index(word)
        location = Place(word, at, at + len(word), 0, **place)
    return EventMention(
        event=event,
        evidence=Evidence(document_id(text), sentence, start, start + len(sentence)),
        mode=mode,
        acled=acled,
        actor1=actor1,
        actor2=actor2,
        location=location,
        date=DateSpan(day, day, "day"),
        counts=Counts(killed=killed),
        modality=modality,
        confidence=0.6,
    )


def _result(
    text: str, source: str, published: dt.date, mentions: list[EventMention]
) -> DocumentResult:
    doc = Document(
        id=document_id(text), text=text, locator=f"mem://{source}/{published}",
        format="text", published=published, url=f"https://{source}.example.org/{published}",
        source=source, language="en",
    )  # fmt: skip
    return DocumentResult(document=doc, events=mentions)


AIR = ["Explosions/Remote violence", "Air/drone strike"]
RUSSIA_AIR = Actor("Russian jets", "RUS", "MIL")


def reports() -> dict[str, DocumentResult]:
    """Named reports: strike_a/b/c (one strike), strike_later (near miss), protest, forecast,
    borno."""
    out: dict[str, DocumentResult] = {}
    s = "Warplanes hit the vegetable market of Saraqib on Tuesday, killing nine people."
    t = s + " Rescue teams searched the rubble into the night."
    out["strike_a"] = _result(t, "north-desk", DAY, [
        _mention(t, s, "ASSAULT", "aerial", SARAQIB, DAY, RUSSIA_AIR, killed=9, acled=AIR)])
    s = "Eleven civilians died when Russian aircraft bombed a crowded market in Saraqib."
    t = "Idlib update. " + s
    out["strike_b"] = _result(t, "levant-post", DAY + dt.timedelta(days=1), [
        _mention(t, s, "ASSAULT", "aerial", SARAQIB, DAY, RUSSIA_AIR, killed=11, acled=AIR)])
    s = "Medics in Saraqib counted at least nine dead after the raid on the market."
    t = s + " The town has been struck before."
    out["strike_c"] = _result(t, "aid-bulletin", DAY + dt.timedelta(days=2), [
        _mention(t, s, "ASSAULT", "aerial", SARAQIB, DAY, None, killed=9, acled=AIR)])
    later = DAY + dt.timedelta(days=4)
    s = "Another air raid struck the outskirts of Saraqib on Saturday, wounding three."
    t = "Fresh strikes. " + s
    out["strike_later"] = _result(t, "north-desk", later, [
        _mention(t, s, "ASSAULT", "aerial", SARAQIB, later, RUSSIA_AIR, acled=AIR)])
    s = "Hundreds of students marched through Homs on Tuesday to demand the release of detainees."
    out["protest"] = _result(s, "levant-post", DAY, [
        _mention(s, s, "PROTEST", "demonstrate", HOMS, DAY, Actor("students", "SYR", "CVL"),
                 acled=["Protests", "Peaceful protest"])])
    s = "Aid groups fear that thousands could leave Saraqib if the bombing goes on."
    out["forecast"] = _result(s, "aid-bulletin", DAY, [
        _mention(s, s, "DISPLACEMENT", "flight", SARAQIB, DAY, modality="forecast")])
    s = "Gunmen killed four farmers near Maiduguri on Tuesday, a local official said."
    out["borno"] = _result(s, "sahel-wire", DAY, [
        _mention(s, s, "ASSAULT", "attack", MAIDUGURI, DAY, Actor("Gunmen", None, "REB"),
                 killed=4, acled=["Violence against civilians", "Attack"])])
    return out


def fused_database(url: str) -> str:
    """A database at ``url`` holding ``reports()``, fused through ``tocsin fuse``."""
    from typer.testing import CliRunner

    from tocsin.cli import app
    from tocsin.store import open_database

    database = open_database(url)
    for result in reports().values():
        database.store_result(result)
    database.close()
    done = CliRunner().invoke(app, ["fuse", "--db", url])
    assert done.exit_code == 0, done.output
    return url
