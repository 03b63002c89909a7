"""The learned place ranker: its shipped weights, its configuration and its training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tocsin.places.context import coordination_links
from tocsin.places.gazetteer import Gazetteer
from tocsin.places.place_ranker import (
    ENV,
    PlaceRanker,
    configured_place_ranker,
    read_place_ranker,
)
from tocsin.places.place_ranker_training import (
    GoldPlace,
    Groups,
    TrainingDocument,
    accuracy,
    fit,
    train,
)
from tocsin.places.ranking_features import (
    FEATURES,
    kind_of,
    list_kind,
    log_population,
    name_kind,
    same_name,
)


def test_shipped_model_has_one_weight_per_feature_and_says_what_it_was_trained_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    ranker = configured_place_ranker()
    assert ranker is not None and len(ranker.weights) == len(FEATURES)
    assert ranker.meta["split"] == "fit" and set(ranker.meta["corpora"]) == {
        "GWN.xml", "lgl.xml", "GeoVirus.xml"}
    weights = dict(zip(FEATURES, ranker.weights, strict=True))
    # what the document says must count for a candidate, a loose spelling against it
    assert weights["qualifier"] > 0 and weights["document_admin1"] > 0
    assert weights["loose_match"] < 0 and weights["abroad"] < 0


def test_a_model_file_with_other_features_is_refused(tmp_path: Path) -> None:
    data = json.loads(PlaceRanker(tuple([0.0] * len(FEATURES))).to_json())
    del data["features"]["near"]
    data["features"]["shoe_size"] = 1.0
    with pytest.raises(ValueError, match="missing \\['near'\\].*unknown \\['shoe_size'\\]"):
        read_place_ranker(json.dumps(data))


def test_setting_chooses_hand_weights_or_a_model_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "rules")
    assert configured_place_ranker() is None
    path = tmp_path / "ranker.json"
    PlaceRanker(tuple(float(i) for i in range(len(FEATURES))), {"note": "mine"}).save(path)
    monkeypatch.setenv(ENV, str(path))
    ranker = configured_place_ranker()
    assert ranker is not None and ranker.meta == {"note": "mine"}
    assert ranker.weights[3] == 3.0


def test_fit_learns_the_feature_that_tells_right_from_wrong() -> None:
    near = FEATURES.index("near")
    pop = FEATURES.index("log_population")
    rows, group, right = [], [], []
    rng = np.random.default_rng(7)
    for mention in range(200):
        for k in range(3):  # the right candidate is near the others; population is noise
            row = np.zeros(len(FEATURES))
            row[near] = 1.0 if k == 0 else 0.0
            row[pop] = rng.uniform(0, 6)
            rows.append(row)
            group.append(mention)
            right.append(k == 0)
    groups = Groups(np.array(rows), np.array(group), np.array(right), np.ones(200))
    weights = fit(groups, l2=0.1)
    assert weights[near] > 2.0 and abs(weights[pop]) < 0.5


def test_stand_in_population_for_places_without_a_census() -> None:
    class Sea:
        feature_class, feature_code, population = "H", "SEA", 0

    assert kind_of(Sea()) == "sea" and log_population(Sea()) >= 7


def test_training_on_gold_places_gives_a_ranker_the_resolver_uses() -> None:
    text = "Shelling hit Homs and Hama, Syria, while Tripoli, Libya, stayed calm."
    gold = [("Homs", 34.73, 36.72), ("Hama", 35.13, 36.76), ("Syria", 35.0, 38.0),
            ("Tripoli", 32.89, 13.19), ("Libya", 27.0, 17.0)]
    places = tuple(GoldPlace(text.index(n), text.index(n) + len(n), lat, lon)
                   for n, lat, lon in gold)
    documents = [TrainingDocument(text, places)] * 3
    with Gazetteer.open() as gaz:
        ranker = train(gaz, documents, rounds=1, meta={"note": "test"})
        hits, total = accuracy(gaz, ranker, documents)
    assert ranker.meta == {"note": "test"} and total == 15
    assert hits == total  # "Tripoli, Libya" is not Tripoli in Lebanon


class _Span:
    def __init__(self, text: str, name: str) -> None:
        self.start = text.index(name)
        self.end = self.start + len(name)


class _Entry:
    def __init__(self, feature_class: str, feature_code: str) -> None:
        self.feature_class, self.feature_code = feature_class, feature_code


def test_names_written_in_one_list_are_linked_but_a_town_and_its_state_are_not() -> None:
    text = ("Cases rose in Michigan, Oregon, New Mexico and Ohio; jobs left California or "
            "Washington; a man from Sulphur, La., was held.")
    names = ["Michigan", "Oregon", "New Mexico", "Ohio", "California", "Washington", "Sulphur",
             "La."]
    links = coordination_links(text, [_Span(text, n) for n in names])
    assert links[1] == [0, 2, 3] and links[3] == [0, 1, 2]
    assert links[4] == [5] and links[5] == [4]  # a pair joined by "or"
    assert 6 not in links and 7 not in links  # "Sulphur, La." is a town and its state


def test_a_candidate_of_the_kind_of_the_names_listed_with_it_scores_list_kind() -> None:
    state, town, country = _Entry("A", "ADM1"), _Entry("P", "PPL"), _Entry("A", "PCLI")
    assert name_kind([state]) == "area" and name_kind([town, _Entry("P", "PPLC")]) == "settlement"
    assert name_kind([state, town]) == ""  # "Washington": a state and a town, no kind of its own
    listed = ["area", "area", ""]  # "Pennsylvania", "Georgia" and a name of both kinds
    assert list_kind(state, listed) == 1.0 and list_kind(town, listed) == -1.0
    assert list_kind(country, ["area", "country"]) == 0.0
    assert list_kind(state, []) == 0.0


def test_the_main_name_is_written_whatever_the_case_accents_and_abbreviations() -> None:
    assert same_name("St. Petersburg", "Saint Petersburg")
    assert same_name("PARIS", "Paris") and same_name("Cancun", "Cancún")
    assert same_name("Mt. Vernon", "Mount Vernon") and same_name("Ft Worth", "Fort Worth")
    assert not same_name("Paris", "Parish") and not same_name("Springfield", "Springfield Gardens")
