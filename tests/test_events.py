"""Event extraction on the project's own sentences, and the worked example end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin.mentions import find_events
from tocsin.mentions.lexicons import Lexicons
from tocsin.records import Document

FIXTURES = Path(__file__).parent / "fixtures" / "events"
LEXICONS = Lexicons.load()
ONTOLOGY = LEXICONS.ontology
CUES = LEXICONS.typing.cues


@pytest.fixture(scope="session")
def resources():
    from tocsin.resources import Resources

    return Resources()


def _events(resources, text: str):
    document = Document(id="t", text=text, locator="t", format="text",
                        published=dt.date(2020, 5, 9))
    parsed = resources.nlp(text)
    return find_events(document, parsed, [], resources)


def test_ontology_has_seventeen_categories_and_25_acled_sub_types() -> None:
    assert len(ONTOLOGY.categories) == 17 and "DISPLACEMENT" in ONTOLOGY.categories
    assert len(ONTOLOGY.case2021_codes) == 25
    assert ONTOLOGY.acled_for("ASSAULT", "aerial") == ["Explosions/Remote violence",
                                                      "Air/drone strike"]


def test_active_voice_actors_and_mode(resources) -> None:
    events = _events(resources, "Russian warplanes bombed the village of Kafr Nabl.")
    assault = [e for e in events if e.event == "ASSAULT"]
    assert assault and assault[0].actor1.country == "RUS" and assault[0].actor1.sector == "MIL"
    assert assault[0].mode == "aerial" and assault[0].modality == "asserted"


def test_passive_voice_swaps_roles(resources) -> None:
    events = _events(resources, "The Kenyan activists were arrested by Ugandan police.")
    coerce = [e for e in events if e.event == "COERCE"]
    assert coerce and coerce[0].actor1.country == "UGA" and coerce[0].actor2.country == "KEN"


def test_title_makes_a_person_an_actor(resources) -> None:
    events = _events(resources, "The Egyptian government summoned the French Ambassador.")
    accuse = [e for e in events if e.event == "ACCUSE"]
    assert accuse and accuse[0].actor2.country == "FRA" and accuse[0].actor2.sector == "GOV"


def test_forecast_is_not_asserted(resources) -> None:
    events = _events(resources, "The fighting may cause 2,000 villagers to flee to Chad.")
    fled = [e for e in events if e.event == "DISPLACEMENT"]
    assert fled and fled[0].modality != "asserted"


def test_cue_rules_type_a_note() -> None:
    assert CUES.classify_text("Police fired tear gas to disperse the protesters.")[1] == \
        "Protest with intervention"
    assert CUES.classify_text("An IED exploded under a bus on the main road.")[0] == \
        "Explosions/Remote violence"


def test_eval_commands_on_own_fixtures(tmp_path: Path, format_fixtures: Path) -> None:
    from tocsin.cli import app

    runner = CliRunner()
    snippets = str(format_fixtures / "snippets.tsv")
    result = runner.invoke(app, ["eval", "case2021", snippets, "--json", "--split", "all"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] if "rows" in data else data["default"]["rows"] == 2
    assert data["default"]["other_labels"]["rows"] == 1
    result = runner.invoke(app, ["eval", "acled", str(FIXTURES / "notes.csv"), "--types-only",
                                 "--json", "--split", "all"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["event_type_macro_f1"] == 1.0


def test_train_then_use_model(tmp_path: Path) -> None:
    from tocsin.cli import app

    rows = (FIXTURES / "notes.csv").read_text().splitlines()
    big = tmp_path / "train.csv"
    big.write_text("\n".join([rows[0]] + rows[1:] * 5) + "\n")
    out = tmp_path / "model.joblib"
    result = CliRunner().invoke(app, ["train", "--acled", str(big), "--out", str(out)])
    assert result.exit_code == 0, result.output and out.exists()
    result = CliRunner().invoke(app, ["eval", "acled", str(FIXTURES / "notes.csv"),
                                      "--types-only", "--model", str(out), "--json",
                                      "--split", "all"])
    assert json.loads(result.output)["model"] == "trained"


def test_worked_example_passes_every_rule(shared_dir: Path) -> None:
    from tocsin.evaluation.example import run_example

    examples = shared_dir / "examples"
    report = run_example(examples / "latakia-2015.gold.json", examples / "latakia-2015.txt")
    assert report.failures == []
    assert report.events_found == report.events_expected == 8


def test_a_sentence_never_runs_across_a_blank_line(resources) -> None:
    text = "Rebels seize hill town\n\nGovernment troops shelled the town of Kafr Nabl on Monday."
    parsed = resources.nlp(text)
    assert [s.text.strip() for s in parsed.sents][0] == "Rebels seize hill town"
    events = _events(resources, text)
    assert all("\n" not in e.evidence.sentence for e in events)
    assert not any(e.actor1 and "Rebels" in e.actor1.text and e.event == "ASSAULT"
                   and "shelled" in e.evidence.sentence for e in events)


def test_unplaced_sentence_takes_the_documents_place(resources) -> None:
    from tocsin.places import find_places

    text = ("Hundreds of teachers protested outside the parliament in Nairobi on Friday. "
            "Police arrested six of the teachers later that day.")
    document = Document(id="t", text=text, locator="t", format="text",
                        published=dt.date(2020, 5, 9))
    parsed = resources.nlp(text)
    events = find_events(document, parsed, find_places(document, parsed, resources), resources)
    later = [e for e in events if "arrested" in e.evidence.sentence]
    assert later and all(e.location is not None and e.location.country == "KEN" for e in later)


def test_displacement_is_placed_where_people_fled_from(resources) -> None:
    from tocsin.places import find_places

    text = "About 900 families fled the fighting in Idlib and crossed into Turkey on Monday."
    document = Document(id="t", text=text, locator="t", format="text",
                        published=dt.date(2020, 5, 9))
    parsed = resources.nlp(text)
    events = find_events(document, parsed, find_places(document, parsed, resources), resources)
    fled = [e for e in events if e.event == "DISPLACEMENT"]
    assert fled and fled[0].location is not None and fled[0].location.country == "SYR"


def test_no_number_date_or_function_word_is_an_actor(resources) -> None:
    events = _events(resources, "Gunmen kill 19 in night attack on a village near Dikwa.")
    assault = [e for e in events if e.event == "ASSAULT"]
    assert assault and (assault[0].actor2 is None or assault[0].actor2.text != "19")
    warn = _events(resources, "Officials warned that 10,000 more people could flee the area.")
    assert all(e.counts.displaced is None for e in warn if e.event == "THREATEN")


def test_a_bare_attack_word_takes_the_means_named_just_before(resources) -> None:
    text = ("Villagers in Kafr Nabl protested on Monday against the air raids on their farms.\n\n"
            "Elders said that striking civilian homes near Kafr Nabl had to stop.")
    [strike] = [e for e in _events(resources, text) if e.event == "ASSAULT"]
    assert strike.trigger == "striking"
    assert strike.mode == "aerial" and strike.acled == ["Explosions/Remote violence",
                                                         "Air/drone strike"]
    # Without the air raids before it, the same sentence is not an air strike.
    alone = [e for e in _events(resources, text.split("\n\n")[1]) if e.event == "ASSAULT"]
    assert alone and alone[0].mode != "aerial"


def _note(resources, text: str):
    document = Document(id="n", text=text, locator="n", format="text", kind="note")
    return find_events(document, resources.nlp(text), [], resources)


def test_a_note_main_record_takes_the_whole_note_counts_date_and_type(resources) -> None:
    text = ("On 14 February 2019, gunmen shot at villagers near a market. Police said the attack "
            "began at dawn. Fatalities coded as 3.")
    mentions = _note(resources, text)
    main = mentions[0]
    assert main.modality == "asserted" and main.acled is not None
    assert main.counts.killed == 3
    assert main.date is not None and main.date.start == dt.date(2019, 2, 14)


def test_a_note_without_event_words_still_yields_its_event(resources) -> None:
    text = "On 2 March 2020, residents gathered outside the town hall over water shortages."
    document = Document(id="a", text=text, locator="a", format="text")
    assert find_events(document, resources.nlp(text), [], resources) == []  # as an article
    mentions = _note(resources, text)
    assert len(mentions) == 1 and mentions[0].acled is not None
    assert mentions[0].event == "PROTEST" and mentions[0].trigger is None
    assert mentions[0].date is not None and mentions[0].date.start == dt.date(2020, 3, 2)


def test_gold_verb_and_found_trigger_get_the_same_place(resources) -> None:
    text = "Militants attacked a police post in the village of Kerrowan on Monday."
    document = Document(id="v", text=text, locator="v", format="text")
    parsed = resources.nlp(text)
    start = text.index("attacked")
    found = find_events(document, parsed, [], resources)
    given = find_events(document, parsed, [], resources, verbs=[(start, start + 8)])
    assert [m.location for m in found] == [m.location for m in given]
    assert given[0].location is not None and given[0].location.text == "Kerrowan"
