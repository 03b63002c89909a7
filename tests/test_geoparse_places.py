"""Recognition, resolution and metonymy through the public functions, on the embedded gazetteer.

spaCy and the gazetteer (built once into a temporary folder) are loaded once per session.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin.evaluation.geoparse import distance_km
from tocsin.places import find_places, find_places_in_text, resolve_spans
from tocsin.records import Document
from tocsin.resources import Resources, load_spacy
from tocsin.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "geoparse"


@pytest.fixture(scope="session")
def gazetteer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tocsin.places.gazetteer import Gazetteer

    path = tmp_path_factory.mktemp("geoparse") / "gazetteer.sqlite"
    Gazetteer.open(path)
    return path


@pytest.fixture(scope="session")
def resources(gazetteer_path: Path) -> Resources:
    res = Resources(Settings(gazetteer_path=gazetteer_path))
    res.__dict__["nlp"] = load_spacy()
    return res


def _places(text: str, resources: Resources) -> list:
    return find_places_in_text(text, resources.nlp(text), resources)


def _by_text(places: list) -> dict[str, list]:
    found: dict[str, list] = {}
    for place in places:
        found.setdefault(place.text, []).append(place)
    return found


def test_worked_example_places_resolve_within_tolerance(
    resources: Resources, example_text: str, example_gold: dict
) -> None:
    document = Document(id="x", text=example_text, locator="latakia-2015.txt", format="text")
    places = find_places(document, resources.nlp(example_text), resources)
    found = _by_text(places)
    for gold in example_gold["places"]:
        assert gold["text"] in found, f"{gold['text']} not recognised"
        for place in found[gold["text"]]:
            assert place.country == gold["country"], (gold["text"], place)
            if "lat" in gold:
                error = distance_km(gold["lat"], gold["lon"], place.lat, place.lon)
                assert error <= gold["tolerance_km"], (gold["text"], place, error)
    assert all(p.metonym for p in found["Ankara"])


def test_worked_example_has_no_places_from_captions_or_comment_form(
    resources: Resources, example_text: str, example_gold: dict
) -> None:
    places = _places(example_text, resources)
    texts = {p.text for p in places}
    assert not texts & {"Connecting", "Bay", "Mora"}
    caption_starts = [
        example_text.index(c.split(" \\")[0]) for c in example_gold["boilerplate"]["captions"]
    ]
    form_start = example_text.index("Leave a Reply")
    for place in places:
        assert place.start < form_start, place
        for start in caption_starts:
            line_end = example_text.index("\n", start)
            assert not start <= place.start < line_end, place


def test_country_named_as_subject_of_a_saying_verb_is_a_metonym(resources: Resources) -> None:
    text = "Moscow said on Monday that talks would resume. Protesters gathered in Moscow."
    places = _places(text, resources)
    first, second = (p for p in places if p.text == "Moscow")
    assert first.metonym and not second.metonym
    assert first.country == "RUS" and first.precision == "town"


def test_demonym_modifier_is_a_country_reference_and_group_nouns_are_not(
    resources: Resources,
) -> None:
    text = "Syrian forces shelled the town while Turkmens fled toward the border."
    places = _by_text(_places(text, resources))
    assert places["Syrian"][0].country == "SYR"
    assert places["Syrian"][0].precision == "country"
    assert places["Syrian"][0].metonym
    assert "Turkmens" not in places


def test_qualifier_picks_the_place_in_the_named_state(resources: Resources) -> None:
    text = "The fair in Paris, Texas drew crowds from across the county."
    places = _by_text(_places(text, resources))
    paris = places["Paris"][0]
    assert paris.country == "USA" and paris.admin1 == "Texas"
    alone = _by_text(_places("The museum in Paris reopened.", resources))["Paris"][0]
    assert alone.country == "FRA"


def test_resolve_spans_answers_each_span_in_the_given_order(resources: Resources) -> None:
    text = "Aid reached Aleppo and Damascus, but not Idlib."
    spans = [(text.index("Idlib"), text.index("Idlib") + 5), (12, 18)]
    places = resolve_spans(text, spans, resources)
    assert [p.text for p in places] == ["Idlib", "Aleppo"]
    assert all(p.country == "SYR" for p in places)


def test_abbreviation_and_alias_resolve_to_the_country(resources: Resources) -> None:
    text = "Officials in the U.S. and Britain welcomed the deal."
    places = _by_text(_places(text, resources))
    assert places["U.S."][0].country == "USA"
    assert places["Britain"][0].country == "GBR"


def test_short_and_former_country_names_resolve_to_the_country(resources: Resources) -> None:
    text = "Militias held most of Bosnia before air strikes hit Yugoslavia that spring."
    places = _by_text(_places(text, resources))
    assert places["Bosnia"][0].country == "BIH"
    assert places["Yugoslavia"][0].country == "SRB"


def test_us_state_wins_over_foreign_towns_and_namesake_city_over_its_state(
    resources: Resources,
) -> None:
    florida = _by_text(_places("Storms hit Florida on Sunday.", resources))["Florida"][0]
    assert florida.country == "USA" and florida.precision == "admin1"
    city = _by_text(_places("She moved to Lagos last year.", resources))["Lagos"][0]
    assert city.precision == "town"
    assert distance_km(city.lat, city.lon, 6.45, 3.39) < 30
    text = "Gunmen attacked a village in Lagos State."
    state = resolve_spans(text, [(text.index("Lagos State"), len(text) - 1)], resources)[0]
    assert state.precision == "admin1" and state.country == "NGA"


def test_seas_and_world_regions_resolve_to_regions(resources: Resources) -> None:
    text = "Ships crossed the Indian Ocean and the Red Sea toward the Middle East."
    places = _by_text(_places(text, resources))
    for name in ("Indian Ocean", "Red Sea", "Middle East"):
        assert places[name][0].precision == "region", name
    assert places["Red Sea"][0].lat is not None
    assert distance_km(places["Red Sea"][0].lat, places["Red Sea"][0].lon, 20.0, 38.5) < 300


def test_dateline_in_capitals_and_alias_inside_an_organisation(resources: Resources) -> None:
    text = "BEIRUT (AP) - The U.S. Department of State said talks would go on."
    places = _by_text(_places(text, resources))
    assert places["BEIRUT"][0].country == "LBN"
    assert places["U.S."][0].country == "USA"
    assert "Department" not in " ".join(places)


def test_city_and_its_qualifier_written_as_one_name_stay_one_place(resources: Resources) -> None:
    text = "The rally in Washington, D.C., drew thousands."
    places = _by_text(_places(text, resources))
    assert "Washington, D.C." in places and "D.C." not in places
    assert places["Washington, D.C."][0].country == "USA"


def test_demonym_span_refers_to_the_country_not_a_small_namesake_town(
    resources: Resources,
) -> None:
    text = "Canadian officials met on Friday."
    place = resolve_spans(text, [(0, 8)], resources)[0]
    assert place.country == "CAN" and place.metonym is not None


def test_surname_after_a_first_name_is_not_a_place(resources: Resources) -> None:
    text = "Coach Pep Guardiola praised the players after the game."
    assert "Guardiola" not in _by_text(_places(text, resources))


def test_find_places_survives_empty_and_odd_text(resources: Resources) -> None:
    for text in ("", "   \n\n", "\\ \\ |", "Connecting to %s"):
        assert _places(text, resources) == []


@pytest.mark.parametrize("name", ["gwn_tiny.xml", "lgl_tiny.xml", "geovirus_tiny.xml"])
def test_eval_geoparse_command_scores_each_format(
    name: str, gazetteer_path: Path, monkeypatch: pytest.MonkeyPatch, format_fixtures: Path
) -> None:
    from tocsin.cli import app

    corpus = format_fixtures / name if (format_fixtures / name).exists() else FIXTURES / name
    result = CliRunner().invoke(
        app,
        ["eval", "geoparse", str(corpus), "--json", "--gazetteer", str(gazetteer_path),
         "--split", "all"],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["n"] >= 3
    assert 0.0 <= metrics["acc161"] <= 1.0
    assert metrics["acc161"] >= 0.6
    assert set(metrics["recognition"]) >= {"precision", "recall", "f1"}
    assert metrics["recognition"]["recall"] > 0.5


def test_eval_geoparse_refuses_a_missing_file(tmp_path: Path) -> None:
    from tocsin.cli import app

    result = CliRunner().invoke(app, ["eval", "geoparse", str(tmp_path / "none.xml")])
    assert result.exit_code != 0


def test_longest_name_wins_over_a_lone_article(resources: Resources) -> None:
    places = _places("On 28 April, a body was found in Al Bab city east of Aleppo.", resources)
    texts = [p.text for p in places]
    assert "Al" not in texts
    al_bab = next(p for p in places if p.text.startswith("Al Bab"))
    assert al_bab.country == "SYR"


def test_weapon_named_after_a_person_is_no_place(resources: Resources) -> None:
    places = _places("Rioters threw a Molotov cocktail at a bank branch in Beirut.", resources)
    assert [p.text for p in places] == ["Beirut"]


def test_unknown_village_falls_back_to_its_parenthesised_area(resources: Resources) -> None:
    text = "On 15 May, herders clashed near Zorgbetou (Banikoara, Alibori). No casualties."
    found = _by_text(_places(text, resources))
    assert "Zorgbetou" in found and "Alibori" in found
    village = found["Zorgbetou"][0]
    assert village.country == "BEN"
    assert village.score is not None and village.score < 0.5


def test_group_cue_word_sets_the_document_country(resources: Resources) -> None:
    text = "Pro-Houthi forces shelled positions in Al Bayda, killing two fighters."
    found = _by_text(_places(text, resources))
    assert found["Al Bayda"][0].country == "YEM"


def test_romanised_spellings_resolve_to_the_town_in_the_named_country(
    resources: Resources,
) -> None:
    # Spellings the gazetteer does not hold exactly; the sentence names the country.
    cases = {
        "Two schools in Maaret al-Nouman, Syria, were shelled overnight.": (35.65, 36.68),
        "Fighters withdrew from Jisr el-Shughour, Syria, on Friday.": (35.81, 36.32),
        "A market in Muqdadiya, Iraq, was hit by a car bomb.": (33.98, 44.94),
    }
    for text, (lat, lon) in cases.items():
        town = _places(text, resources)[0]
        assert town.lat is not None and town.lon is not None, (text, town)
        assert distance_km(lat, lon, town.lat, town.lon) <= 30, (text, town)


def test_exact_namesake_abroad_loses_to_a_spelling_inside_the_named_country(
    resources: Resources,
) -> None:
    # "Samara" is a Russian city's exact name; "Samara, Iraq" is a spelling of Samarra.
    places = _by_text(_places("Gunmen attacked a checkpoint near Samara, Iraq, on Sunday.",
                              resources))
    [samara] = places["Samara"]
    assert samara.country == "IRQ" and samara.lat is not None and samara.lon is not None
    assert distance_km(34.20, 43.89, samara.lat, samara.lon) <= 30


def test_official_country_names_with_or_without_the_article_after_of(
    resources: Resources,
) -> None:
    for text, name in (
        ("Aid reached the Democratic Republic of Congo on Monday.",
         "Democratic Republic of Congo"),
        ("Talks opened in the Republic of the Congo's capital.", "Republic of the Congo"),
    ):
        start = text.index(name)
        [place] = resolve_spans(text, [(start, start + len(name))], resources)
        assert place.precision == "country", (text, place)
    text = "Aid reached the Democratic Republic of Congo on Monday."
    start = text.index("Democratic")
    [drc] = resolve_spans(text, [(start, start + len("Democratic Republic of Congo"))],
                          resources)
    assert drc.country == "COD"


def test_villages_in_a_story_about_one_country_are_not_namesakes_abroad(
    resources: Resources,
) -> None:
    # The villages are not in the embedded gazetteer; towns of those names exist in France.
    text = ("Gunmen attacked the villages of Bidi and Saran in Mali's Mopti region on Monday, "
            "killing nine people.")
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Bidi", "Saran", "Mali", "Mopti")]
    places = resolve_spans(text, spans, resources)
    for place in places:
        assert place.country == "MLI", place
    bidi, saran = places[0], places[1]
    assert bidi.score < 0.5 and saran.score < 0.5  # a stand-in, said to be uncertain


def test_congo_alone_is_the_congo_the_document_is_about(resources: Resources) -> None:
    for text, country in (
        ("Rebels near Goma and Bukavu attacked a camp. Fighting in eastern Congo has displaced "
         "thousands.", "COD"),
        ("Voters in Brazzaville and Pointe-Noire went to the polls. Congo has held three "
         "elections since 2002.", "COG"),
    ):
        spans = [(m, m + len("Congo")) for m in [text.index("Congo")]]
        for name in ("Goma", "Bukavu", "Brazzaville", "Pointe-Noire"):
            if name in text:
                spans.append((text.index(name), text.index(name) + len(name)))
        congo = resolve_spans(text, spans, resources)[0]
        assert congo.country == country, (text, congo)


def test_a_hyphenated_street_name_gives_no_town_named_by_its_first_word(
    resources: Resources,
) -> None:
    found = _by_text(_places("Crowds filled the Champs-Elysees in Paris after the match.",
                             resources))
    assert "Champs" not in found  # not Champs-sur-Marne
    assert found["Paris"][0].country == "FRA"


def test_a_town_taken_for_a_person_is_placed_by_its_province(resources: Resources) -> None:
    text = "Airstrikes hit Maarat al-Numan in Idlib province, Syria, on Tuesday."
    town = _by_text(_places(text, resources))["Maarat al-Numan"][0]
    assert town.lat is not None and town.lon is not None
    assert distance_km(35.65, 36.68, town.lat, town.lon) <= 30


def test_names_of_groups_and_institutions_do_not_become_towns_abroad(
    resources: Resources,
) -> None:
    text = "Fano militiamen clashed with federal troops in Ethiopia's Amhara region on Sunday."
    found = _by_text(_places(text, resources))
    assert all(p.country == "ETH" for ps in found.values() for p in ps), found
    text = "Gunmen abducted students from Greenfield University in Kaduna, Nigeria, on Tuesday."
    found = _by_text(_places(text, resources))
    assert all(p.country == "NGA" for ps in found.values() for p in ps), found


def test_a_part_of_a_town_is_placed_in_its_town_not_a_namesake(resources: Resources) -> None:
    for text, part, lat, lon in (
        ("Riot police fired tear gas in Giza's Haram district on Friday.",
         "Haram district", 30.01, 31.21),
        ("A car bomb exploded in the Karrada district of Baghdad, police said.",
         "Karrada district", 33.34, 44.40),
    ):
        found = _by_text(_places(text, resources))
        named = [ps[0] for name, ps in found.items() if name.startswith(part.split()[0])]
        assert named, (text, found)
        place = named[0]
        assert place.lat is not None and place.lon is not None
        assert distance_km(lat, lon, place.lat, place.lon) <= 30, place  # not Haram, Norway


def test_a_village_the_text_puts_in_a_region_stays_in_that_region(resources: Resources) -> None:
    # The gazetteer's only "Nyaung Gon" lies 600 km south of Sagaing region.
    text = "Troops set fire to homes in Nyaung Kone village in Sagaing region, residents said."
    found = _by_text(_places(text, resources))
    assert found["Sagaing"][0].precision == "admin1"  # "region" says which Sagaing
    village = found["Nyaung Kone"][0]
    assert village.country == "MMR" and village.lat is not None and village.lat > 21.0, village
    assert village.score is not None and village.score < 0.5  # a stand-in, said to be uncertain


def test_villages_spacy_tags_are_kept_when_the_text_places_them(resources: Resources) -> None:
    text = ("Rebels killed nine farmers in Masambo, near Beni in North Kivu province, "
            "on Tuesday night.")
    found = _by_text(_places(text, resources))
    assert found["Beni"][0].country == "COD"  # the city, not the particle of "Beni Walid"
    assert found["Masambo"][0].country == "COD"


def test_an_institution_named_after_an_area_is_placed_in_that_area(resources: Resources) -> None:
    text = ("Floods hit Denver on Monday. Researchers at Colorado State University said more "
            "rain would fall.")
    names = ("Denver", "Colorado State University")
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    denver, university = resolve_spans(text, spans, resources)
    assert denver.name == "Denver"
    assert university.name == "Colorado" and university.precision == "admin1"



def test_end_to_end_accuracy_counts_an_overlapping_toponym_placed_near_the_truth() -> None:
    from tocsin.evaluation.geoparse import _placed_by_overlap
    from tocsin.evaluation.geoparse_corpora import GoldToponym

    gold = GoldToponym(10, 25, "Aleppo province", 36.2, 37.15)
    aleppo = {"lat": 36.20, "lon": 37.16}
    homs = {"lat": 34.73, "lon": 36.71}
    assert _placed_by_overlap(gold, {(10, 16): aleppo})  # "Aleppo" inside the gold span
    assert not _placed_by_overlap(gold, {(10, 16): homs})  # overlaps, but 170 km away
    assert not _placed_by_overlap(gold, {(30, 36): aleppo})  # right place, other words


def test_a_surname_of_a_person_named_in_full_is_no_place(resources: Resources) -> None:
    text = ('Coach Mia Conway praised her team. "We fought hard," Conway said after the game '
            "in Denver. George Washington crossed the Delaware; officials in Washington agreed.")
    found = _by_text(_places(text, resources))
    assert "Conway" not in found  # Conway, Arkansas is a town; here it is the coach
    assert found["Denver"][0].country == "USA"
    assert found["Washington"][0].country == "USA"  # a big place stays


def test_a_disease_named_after_a_place_is_no_toponym(resources: Resources) -> None:
    text = ("Three horses near Austin tested positive for West Nile virus, and a case of "
            "Lassa fever was confirmed in Kano.")
    found = _by_text(_places(text, resources))
    assert "West Nile" not in found and "Lassa" not in found
    assert found["Austin"][0].country == "USA" and found["Kano"][0].country == "NGA"


def test_names_of_armed_groups_are_no_places(resources: Resources) -> None:
    # GeoNames lists "Hamas" among the names of Hamm (Germany).
    text = "Talks between Israel and Hamas collapsed in Cairo on Sunday."
    found = _by_text(_places(text, resources))
    assert "Hamas" not in found
    assert found["Cairo"][0].country == "EGY"


def test_places_inside_names_addresses_and_party_labels(resources: Resources) -> None:
    text = ("Pupils of St. Mark's Lutheran School in Lombard won the prize. Dana Reed, 31, "
            "of 12 Elm St., Alexandria, was charged on Monday. Rep. Ann Lee, D-Charleston, "
            "voted against the bill, as did the delegate from Beckley, W.Va.")
    found = _by_text(_places(text, resources))
    assert found["Lombard"][0].country == "USA"
    assert "Alexandria" in found
    assert "Charleston" in found
    assert "W.Va." in found and found["W.Va."][0].name == "West Virginia"


def test_a_name_placed_relative_to_somewhere_is_a_place(resources: Resources) -> None:
    # "Timbuktu" is also an English noun and spaCy calls "Gao" a person; the words before
    # them ("near", "south of") say they are places.
    text = ("Gunmen attacked a village near Timbuktu on Sunday. The same day, soldiers were "
            "ambushed on the road south of Gao.")
    places = _by_text(_places(text, resources))
    assert places["Timbuktu"][0].country == "MLI"
    assert places["Gao"][0].country == "MLI"
    # the cue words alone make nothing a place
    assert "Gao" not in _by_text(_places("The minister met Gao on Sunday.", resources))


def test_a_name_listed_with_states_is_the_state_and_with_cities_the_city(
    resources: Resources,
) -> None:
    text = ("Health officials in Washington, Pennsylvania and Georgia are tracing the outbreak. "
            "The firm has offices in Los Angeles, Miami, Dallas and New York.")
    names = ("Washington", "Pennsylvania", "Georgia", "Los Angeles", "Miami", "Dallas", "New York")
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    places = {p.text: p for p in resolve_spans(text, spans, resources)}
    assert places["Washington"].admin1 == "Washington"  # the state, not the capital
    assert distance_km(places["Washington"].lat, places["Washington"].lon, 38.9, -77.0) > 500
    assert distance_km(places["New York"].lat, places["New York"].lon, 40.71, -74.0) < 30
    # a pair of names of two kinds each keeps its own reading
    pair = "Jobs are moving from California or Washington to cheaper places."
    spans = [(pair.index(n), pair.index(n) + len(n)) for n in ("California", "Washington")]
    california = resolve_spans(pair, spans, resources)[0]
    assert california.admin1 == "California"


def test_a_name_written_with_st_for_saint_is_the_place_of_that_main_name(
    resources: Resources,
) -> None:
    text = ("Moscow ordered the American consulate in St. Petersburg closed and expelled "
            "diplomats from the US.")
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Moscow", "St. Petersburg", "US")]
    places = resolve_spans(text, spans, resources)
    assert places[1].country == "RUS"  # not St. Petersburg, Florida
