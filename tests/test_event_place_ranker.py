"""The learned event-place ranker: its features on a sentence of our own, the shipped model
loaded and used without the training libraries, and the product's choices through
``tocsin.extract`` on our own sentences."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sentence_places import place_at as _place
from sentence_places import place_lexicon as _lex

import tocsin
from tocsin.mentions.place.event_place_features import FEATURES, NONE_FEATURES, mention_rows
from tocsin.mentions.place.event_place_model import (
    ENV,
    RULES,
    EventPlaceRanker,
    configured_event_place_ranker,
    read_event_place_ranker,
)


def _features(row: tuple[float, ...]) -> dict[str, float]:
    return {name: value for name, value in zip(FEATURES, row, strict=True) if value}


def test_features_of_a_sentence_with_an_event_place_and_a_speaker_seat(nlp) -> None:
    text = "Gunmen killed three herders in Dorvale, the governor said in Ostrava."
    parsed = nlp(text)
    anchor = next(t for t in parsed if t.text == "killed")
    places = [_place(text, "Dorvale"), _place(text, "Ostrava", precision="country")]
    found = mention_rows(_lex(), anchor, anchor.sent, places, [anchor])
    assert [p.text for p in found.places] == ["Dorvale", "Ostrava"]
    assert len(found.rows) == 3  # two candidates and "no place"
    dorvale, ostrava, none = (_features(r) for r in found.rows)
    assert dorvale["prep_locative"] == 1.0 and dorvale["on_trigger"] == 1.0
    assert dorvale["same_clause"] == 1.0 and dorvale["below_trigger"] == 1.0
    assert dorvale["precision_town"] == 1.0 and dorvale["nearest_arcs"] == 1.0
    assert ostrava["speaker_seat"] == 1.0 and ostrava["precision_country"] == 1.0
    assert "below_trigger" not in ostrava and ostrava["arcs"] > dorvale["arcs"]
    assert "nearest_arcs" not in ostrava
    assert set(none) <= set(NONE_FEATURES) and none["none"] == 1.0
    assert not set(dorvale) & set(NONE_FEATURES)


def test_a_displacement_origin_is_marked_as_such(nlp) -> None:
    text = "Families fled from Dorvale to Ostrava."
    parsed = nlp(text)
    anchor = next(t for t in parsed if t.text == "fled")
    places = [_place(text, "Dorvale"), _place(text, "Ostrava")]
    found = mention_rows(_lex(), anchor, anchor.sent, places, [anchor], displacement=True)
    dorvale, ostrava, none = (_features(r) for r in found.rows)
    assert dorvale["prep_origin"] == 1.0 and dorvale["displacement_origin"] == 1.0
    assert ostrava["prep_destination"] == 1.0 and ostrava["displacement_destination"] == 1.0
    assert none["none_displacement"] == 1.0


def test_the_shipped_model_has_a_weight_per_feature_and_prefers_the_event_place(nlp) -> None:
    assert os.environ.get(ENV, "") != RULES
    ranker = configured_event_place_ranker()
    assert ranker is not None
    assert len(ranker.weights) == len(FEATURES)
    assert ranker.meta["split"] == "fit"
    text = "Gunmen killed three herders in Dorvale, the governor said in Ostrava."
    parsed = nlp(text)
    anchor = next(t for t in parsed if t.text == "killed")
    places = [_place(text, "Dorvale"), _place(text, "Ostrava")]
    found = mention_rows(_lex(), anchor, anchor.sent, places, [anchor])
    probs = ranker.probabilities(found.rows)
    assert ranker.best(found.rows) == 0 and abs(sum(probs) - 1.0) < 1e-9


def test_a_model_file_must_name_the_codes_features() -> None:
    ranker = EventPlaceRanker(tuple(0.0 for _ in FEATURES), {"split": "fit"})
    data = json.loads(ranker.to_json())
    assert read_event_place_ranker(json.dumps(data)).weights == ranker.weights
    del data["features"][FEATURES[0]]
    with pytest.raises(ValueError, match="missing"):
        read_event_place_ranker(json.dumps(data))


def test_the_ranker_loads_and_ranks_without_scipy_or_sklearn() -> None:
    code = (
        "import sys\n"
        "from tocsin.mentions.place.event_place_model import configured_event_place_ranker\n"
        "from tocsin.mentions.place.event_place_features import FEATURES\n"
        "ranker = configured_event_place_ranker()\n"
        "near = [0.0] * len(FEATURES); near[FEATURES.index('arcs')] = 2.0\n"
        "near[FEATURES.index('prep_locative')] = 1.0; near[FEATURES.index('on_trigger')] = 1.0\n"
        "none = [0.0] * len(FEATURES); none[FEATURES.index('none')] = 1.0\n"
        "print(ranker.best((tuple(near), tuple(none))))\n"
        "print(sorted(m for m in ('scipy', 'sklearn', 'numpy') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != ENV}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=env)
    best, loaded = done.stdout.splitlines()
    assert best == "0"
    assert "scipy" not in loaded and "sklearn" not in loaded


def _place_of(text: str, trigger: str) -> str | None:
    found = tocsin.extract(text)
    event = next(e for e in found["events"] if trigger in (e.get("trigger") or ""))
    return (event.get("location") or {}).get("text")


def test_the_event_place_is_not_the_seat_of_whoever_reports_it() -> None:
    text = "Shelling in Kharkiv killed three people, the governor said in Kyiv."
    assert _place_of(text, "killed") == "Kharkiv"


def test_a_displacement_is_placed_where_people_fled_from() -> None:
    assert _place_of("Thousands of families fled from Mosul to Erbil.", "fled") == "Mosul"


def test_an_arrest_is_placed_where_it_happened_not_where_a_minister_spoke() -> None:
    text = "Police in Lagos arrested twelve protesters, the minister told reporters in Abuja."
    assert _place_of(text, "arrested") == "Lagos"


def test_a_sentence_that_names_no_place_for_its_event_gives_none() -> None:
    text = "The minister said gunmen had killed four guards, but gave no details."
    found = tocsin.extract(text)
    assert all(not e.get("location") for e in found["events"])
