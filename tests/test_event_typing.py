"""Event typing: the shipped example-sentence model, `tocsin train`, and find_events using them."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin.mentions.lexicons import Lexicons
from tocsin.mentions.typing.classifier import (
    DefaultClassifier,
    TrainedClassifier,
    train_from_acled,
)
from tocsin.mentions.typing.default_model import expand
from tocsin.records import Document

LEXICONS = Lexicons.load()
DEFAULT = LEXICONS.classifiers.default
MODEL = LEXICONS.typing
note_like = MODEL.views.note_like
sub_event_types = LEXICONS.ontology.sub_event_types

# A tiny ACLED-like export in the project's own words: clashes and mob violence only.
_CLASH = "On {d} May, soldiers and rebels exchanged fire near the river crossing in {p}."
_MOB = "On {d} May, an angry crowd beat a suspected thief at the market in {p}."
_PLACES = ["Kanto", "Beru", "Lomas", "Ifaro", "Tessin", "Garo", "Mabel", "Oruz"]


def _write_export(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_type", "sub_event_type", "notes", "fatalities"])
        for i, place in enumerate(_PLACES):
            writer.writerow(["Battles", "Armed clash", _CLASH.format(d=i + 1, p=place), 0])
            writer.writerow(["Riots", "Mob violence", _MOB.format(d=i + 1, p=place), 0])
        writer.writerow(["Battles", "Not a sub-type", "On 9 May, nothing to learn here.", 0])
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    export = _write_export(tmp_path_factory.mktemp("acled") / "export.csv")
    model, rows = train_from_acled(export, DEFAULT, with_examples=False)
    assert rows == 17  # the row with an unknown sub-type trains the type model only
    path = tmp_path_factory.mktemp("model") / "model.joblib"
    model.save(path)
    return path


def test_example_corpus_is_deterministic_and_covers_every_sub_type() -> None:
    first = MODEL.example_sentences(per_template=3)
    second = MODEL.example_sentences(per_template=3)
    assert first == second
    assert {t for _, t in first} == set(sub_event_types)
    known = set(MODEL.slots)
    for sub_type, template in MODEL.templates:
        assert sub_type in sub_event_types, sub_type
        for name in __import__("re").findall(r"\{(\w+)\}", template):
            assert name in known, (name, template)


def test_expand_fills_choices_and_slots() -> None:
    text = expand("{date}, [rebels|militants] shelled {place}.", {"date": ["On 2 May"],
                  "place": ["Kanto"]}, random.Random(1))
    assert text in {"On 2 May, rebels shelled Kanto.", "On 2 May, militants shelled Kanto."}


@pytest.mark.parametrize(("text", "sub_type"), [
    ("Fighter jets bombed a fuel depot outside the town on Sunday, killing four guards.",
     "Air/drone strike"),
    ("Riot police fired tear gas to break up a march by nurses demanding unpaid wages.",
     "Protest with intervention"),
    ("A roadside bomb tore through an army truck on the highway, killing two soldiers.",
     "Remote explosive/landmine/IED"),
    ("Gunmen kidnapped a headmaster and his driver on the road to the district capital.",
     "Abduction/forced disappearance"),
    ("Engineers defused an explosive device planted under a bridge.", "Disrupted weapons use"),
    ("Shopkeepers marched peacefully to the town hall to protest a new market levy.",
     "Peaceful protest"),
])
def test_default_model_types_sentences_it_never_saw(text: str, sub_type: str) -> None:
    assert DEFAULT.predict([text])[0][1] == sub_type


@pytest.mark.parametrize(("text", "event_type"), [
    # Fire traded by two armed sides is a battle, not one side shelling the other.
    ("On 4 June, the army and insurgents traded mortar fire across the river near Tambura; "
     "losses on both sides are unknown.", "Battles"),
    # A repelled attack is a battle, not disrupted weapons use.
    ("On 9 July, government troops beat back an infiltration attempt by rebel fighters west of "
     "Kumba, killing several of them.", "Battles"),
    # Killing armed people (soldiers, police) is a battle; killing civilians is violence.
    ("On 11 October, two sergeants were gunned down by unidentified men outside their barracks "
     "in Bossangoa.", "Battles"),
    ("On 5 May, three travellers were found dead beside the road to Bouar with bullet wounds.",
     "Violence against civilians"),
    # Militants taking goods without harming anyone is looting, a strategic development.
    ("On 12 April, suspected jihadists took two donkey carts and sacks of millet from women "
     "returning from the market near Dori.", "Strategic developments"),
    # A road blocked without violence is a protest; burning and stone-throwing make it a riot.
    ("On 20 January, farmers blocked the bridge into Gulu for several hours to demand "
     "compensation for flooded fields.", "Protests"),
    ("On 3 August, youths set fire to tyres and threw stones at officers during a protest over "
     "power cuts in Kasese; police dispersed them with tear gas.", "Riots"),
])
def test_default_model_tells_event_types_apart(text: str, event_type: str) -> None:
    assert DEFAULT.predict([text])[0][0] == event_type


def test_default_probabilities_are_rows_summing_to_one() -> None:
    classes, probs = DEFAULT.probabilities(["Troops shelled the hills.", "A rally."])
    assert set(classes) == set(sub_event_types)
    assert probs.shape == (2, 25) and abs(probs.sum(axis=1) - 1).max() < 1e-9


def test_trained_model_round_trip_and_blend(trained: Path) -> None:
    model = TrainedClassifier.load(trained, DEFAULT)
    texts = ["On 3 May, an angry crowd beat a suspected thief near the bus stop in Garo.",
             "On 4 May, soldiers and rebels exchanged fire in the hills of Beru."]
    assert [p[1] for p in model.predict(texts)] == ["Mob violence", "Armed clash"]
    # Sub-types the export never showed still come from the blended shipped model.
    classes, probs = model.probabilities(["Warplanes carried out airstrikes on the market."])
    assert "Air/drone strike" not in classes or probs[0].argmax() != classes.index("Armed clash")
    alone = TrainedClassifier(model.sub_pipeline, model.type_pipeline, blend=1.0,
                              default=DEFAULT)
    assert set(alone.probabilities(texts)[0]) == {"Armed clash", "Mob violence"}


@pytest.mark.parametrize(("text", "note"), [
    ("On 12 March 2021, gunmen shot a trader in Kanto (Beru, Lomas).", True),
    ("Looting: unknown men took goats from a farm near Ifaro.", True),
    ("Residents marched in Garo. [size=around 40]", True),
    ("Rebels seized the town on Tuesday after a brief battle, officials said.", False),
    ("On Tuesday, police arrested two men accused of smuggling weapons.", False),
])
def test_note_like_tells_coder_notes_from_news(text: str, note: bool) -> None:
    assert note_like(text) is note


def test_type_first_decision_picks_the_type_then_its_sub_type(trained: Path) -> None:
    import numpy as np

    model = TrainedClassifier.load(trained, DEFAULT)
    assert model.decision == "type"
    classes = ["Attack", "Abduction/forced disappearance", "Armed clash", "Peaceful protest"]
    # Violence against civilians sums to 0.5 and wins although Armed clash is the largest row.
    probs = np.array([[0.25, 0.25, 0.35, 0.15]])
    model._scored = lambda texts: (classes, probs, None, [True])  # type: ignore[method-assign]
    assert model.predict(["x"]) == [("Violence against civilians", "Attack")]
    model.decision = "sub"
    assert model.predict(["x"]) == [("Battles", "Armed clash")]


def test_type_first_decision_weighs_in_the_default_types_for_notes_only(trained: Path) -> None:
    import numpy as np

    model = TrainedClassifier.load(trained, DEFAULT)
    assert model.default_type_power > 0  # saved by train_from_acled, read back by load
    classes = ["Attack", "Armed clash", "Peaceful protest"]
    probs = np.array([[0.45, 0.50, 0.05]] * 2)
    default = np.array([[0.90, 0.05, 0.05]] * 2)  # the shipped model is sure: an attack
    model._scored = lambda texts: (classes, probs, default, [True, False])  # type: ignore
    note, news = model.predict(["note", "news"])
    assert note == ("Violence against civilians", "Attack")
    assert news == ("Battles", "Armed clash")
    model.default_type_power = 0.0
    assert model.predict(["note"])[0] == ("Battles", "Armed clash")


def test_load_rejects_a_file_that_is_not_a_model(tmp_path: Path) -> None:
    import joblib

    bad = tmp_path / "bad.joblib"
    joblib.dump({"format": 1, "pipeline": None}, bad)
    with pytest.raises(ValueError):
        TrainedClassifier.load(bad, DEFAULT)
    assert isinstance(LEXICONS.classifiers.load(tmp_path / "missing.joblib"), DefaultClassifier)


def test_train_command_saves_a_model_and_eval_reports_both(tmp_path: Path, trained: Path) -> None:
    from tocsin.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["train", "--acled", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    export = _write_export(tmp_path / "export.csv")
    out = tmp_path / "m.joblib"
    result = runner.invoke(app, ["train", "--acled", str(export), "--out", str(out),
                                 "--no-examples"])
    assert result.exit_code == 0, result.output
    assert out.exists() and "17 rows" in result.output
    snippets = tmp_path / "case.tsv"
    snippets.write_text("id\tEventSnippet\tSubType\n"
                        "1\tWarplanes struck a convoy outside the city.\tAIR_STRIKE\n"
                        "2\tStudents rallied peacefully against tuition fees.\tPEACE_PROTEST\n"
                        "3\tA cyclone flattened coastal villages.\tNATURAL_DISASTER\n",
                        encoding="utf-8")
    import json

    scored = runner.invoke(app, ["eval", "case2021", str(snippets), "--model", str(out),
                                 "--json", "--split", "all"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.output)
    assert report["model"] == "trained" and report["default"]["accuracy"] == 1.0
    assert report["default"]["rows"] == 2 and report["default"]["other_labels"]["rows"] == 1
    assert "trained" in report
    bad = runner.invoke(app, ["eval", "case2021", str(snippets), "--model", str(snippets)])
    assert bad.exit_code == 2


def _mentions(nlp, text: str, model: Path | None):
    from tocsin.mentions import find_events
    from tocsin.resources import Resources
    from tocsin.settings import Settings

    settings = Settings()
    settings.event_model_path = model
    resources = Resources(settings)
    resources.__dict__["nlp"] = nlp
    resources.__dict__["gazetteer"] = None
    document = Document(id="t", text=text, locator="t", format="text",
                        published=dt.date(2020, 5, 9))
    return find_events(document, nlp(text), [], resources)


def test_find_events_types_a_vague_trigger_with_the_model(nlp) -> None:
    text = "On 3 May, warplanes attacked a fuel convoy near the border, killing four drivers."
    assault = [m for m in _mentions(nlp, text, None) if m.event == "ASSAULT"]
    assert assault and assault[0].acled == ["Explosions/Remote violence", "Air/drone strike"]
    assert assault[0].mode == "aerial"


def test_find_events_uses_the_configured_trained_model(nlp, trained: Path) -> None:
    text = "On 3 May, an angry crowd attacked a suspected thief at the market in Garo."
    default = [m.acled for m in _mentions(nlp, text, None) if m.event == "ASSAULT"]
    mob = [m.acled for m in _mentions(nlp, text, trained) if m.event == "ASSAULT"]
    assert mob == [["Riots", "Mob violence"]]
    assert default and default != [None]


def test_a_specific_trigger_keeps_its_own_sub_type(nlp) -> None:
    # "military campaign" fixes a battle even though the sentence names airstrikes.
    text = ("Government troops backed by Russian airstrikes have launched a military campaign "
            "against the rebels.")
    assault = [m for m in _mentions(nlp, text, None) if m.event == "ASSAULT"]
    assert assault and assault[0].acled == ["Battles", "Armed clash"]


def test_news_text_takes_its_own_blend_and_a_rebalanced_prior(trained: Path) -> None:
    import numpy as np

    model = TrainedClassifier.load(trained, DEFAULT)
    assert model.label_shares and abs(sum(model.label_shares.values()) - 1) < 1e-9
    note = "On 3 May 2020, an angry crowd beat a suspected thief in Garo (Beru, Lomas)."
    news = "Soldiers and rebels exchanged fire near the river crossing on Tuesday."
    assert note_like(note) and not note_like(news)
    model.label_shares = {"Armed clash": 0.9, "Mob violence": 0.1}
    model.news_blend = model.blend
    model.news_prior_power = 0.0
    plain = model.probabilities([note, news])[1]
    model.news_prior_power = 1.0
    classes, rebalanced = model.probabilities([note, news])
    clash = classes.index("Armed clash")
    assert np.allclose(plain[0], rebalanced[0])  # notes keep the export's proportions
    assert rebalanced[1, clash] < plain[1, clash]  # news: the common label loses weight
    model.news_prior_power, model.news_blend = 0.0, 0.0
    default_classes, default = DEFAULT.probabilities([news])
    blended = model.probabilities([news])[1][0]
    assert blended[clash] == pytest.approx(default[0, default_classes.index("Armed clash")]
                                           / sum(default[0, default_classes.index(c)]
                                                 for c in classes))


class _SureDefault(DefaultClassifier):
    """A stand-in for the shipped model that rules clashes out for every text."""

    def probabilities(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        return ["Armed clash", "Mob violence"], np.array([[0.0, 1.0]] * len(texts))


def test_news_multiplies_the_two_models_so_a_vetoed_sub_type_stays_out(trained: Path) -> None:
    model = TrainedClassifier.load(trained, DEFAULT)
    assert model.news_combine == "product" and model.news_prior_power == 1.0  # saved, read back
    note = "On 3 May 2020, soldiers and rebels exchanged fire in Garo (Beru, Lomas)."
    news = "Soldiers and rebels exchanged fire near the river crossing on Tuesday."
    model.default = _SureDefault(MODEL)
    classes, product = model.probabilities([note, news])
    clash = classes.index("Armed clash")
    assert product[1, clash] < 0.05  # news: the default's veto holds
    model.news_combine = "linear"
    mixed = model.probabilities([note, news])[1]
    assert mixed[1, clash] > 0.3  # mixed, the trained model's clash keeps its share
    assert mixed[0] == pytest.approx(product[0])  # notes are always mixed


class _FirstClassModel:
    """A stand-in news model that is sure of the first class."""

    def predict_proba(self, features):
        import numpy as np

        return np.array([[1.0, 0.0]] * features.shape[0])


def test_news_text_is_read_by_the_news_model_and_notes_by_the_sub_type_model(
        trained: Path) -> None:
    model = TrainedClassifier.load(trained, DEFAULT)
    assert model.news_model is not None  # fitted by train_from_acled, saved and read back
    note = "On 3 May 2020, an angry crowd beat a suspected thief in Garo (Beru, Lomas)."
    news = "An angry crowd beat a suspected thief at the market on Tuesday."
    model.news_blend, model.news_prior_power = 1.0, 0.0
    before = model.probabilities([note, news])[1]
    model.news_model = _FirstClassModel()
    classes, after = model.probabilities([note, news])
    assert after[0] == pytest.approx(before[0])
    assert after[1, 0] == pytest.approx(1.0) and classes[0] == "Armed clash"
    assert before[1, 0] < 0.9  # the fitted news model read the crowd, not a clash
