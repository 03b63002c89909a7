"""The plain-text boilerplate cleaner: the worked example, the data file, whitespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tocsin.sources import ReadOptions, read_inputs, read_text
from tocsin.sources.boilerplate import Boilerplate, clean_text, default_boilerplate

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def _paragraphs(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def test_worked_example_loses_all_boilerplate_and_keeps_every_paragraph(
    example_text: str, example_gold: dict
) -> None:
    cleaned = read_text(example_text, ReadOptions(published=None)).text
    boilerplate = example_gold["boilerplate"]
    for phrase in boilerplate["must_not_remain"]:
        assert phrase not in cleaned, phrase
    for caption in boilerplate["captions"]:
        assert caption not in cleaned, caption
        assert caption.split(" \\ ")[0] not in cleaned, caption
    kept = set(_paragraphs(cleaned))
    # The gold lists phrases; the social log-in widget also leaves these lines.
    widget_lines = ["Twitter picture", "Facebook photo"]
    for line in widget_lines:
        assert line not in cleaned
    removable = [*boilerplate["must_not_remain"], *boilerplate["captions"], *widget_lines]
    for paragraph in _paragraphs(example_text):
        if any(marker in paragraph for marker in removable) or paragraph.startswith("#"):
            continue  # boilerplate, or the hashtag line (optional either way)
        assert paragraph in kept, paragraph[:60]
    for item in example_gold["events"] + example_gold["qualified"]:
        assert item["evidence"] in cleaned, item["evidence"]


def test_worked_example_read_as_a_file_is_cleaned_the_same(
    shared_dir: Path, example_text: str
) -> None:
    [document] = list(read_inputs([str(shared_dir / "examples" / "latakia-2015.txt")]))
    assert document.text == read_text(example_text).text
    assert document.format == "text"
    assert document.title == "Turkmen villages under attack!"


def test_scraped_fixture_keeps_the_report_and_drops_widgets() -> None:
    cleaned = clean_text((FIXTURES / "scraped.txt").read_text("utf-8"))
    assert _paragraphs(cleaned) == [
        "Aid convoy reaches besieged town",
        "An aid convoy of twelve trucks reached the besieged town on Tuesday, carrying flour, "
        "medicine and blankets for an estimated 8,000 residents.",
        "The local council said it was the first delivery in four months and that residents "
        "had been rationing bread since the spring.",
        "Aid groups warned that further deliveries depend on guarantees of safe passage from "
        "all parties to the conflict.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Protesters outside the embassy \\ Reuters",
        "Smoke over the old city \\ AFP/Getty Images",
        "Photo: Anadolu Agency",
        "Image copyright EPA",
        "Click to share on WhatsApp (Opens in new window)",
        "Like Loading...",
        "Loading...",
        "Twitter picture",
        "You are commenting using your Twitter account. Log Out /  Change )",
    ],
)
def test_single_boilerplate_lines_are_removed(line: str) -> None:
    text = f"First real sentence of the report.\n\n{line}\n\nSecond real sentence."
    assert clean_text(text) == "First real sentence of the report.\n\nSecond real sentence."


@pytest.mark.parametrize(
    "line",
    [
        "The minister shared the statement on Twitter and Facebook on Sunday.",
        "Leave a reply to the ministry's letter was the advice of the envoy.",
        "The path C:\\ drive is irrelevant here but has a backslash and many words after it",
        "Related talks between the two delegations will continue in Geneva next week.",
    ],
)
def test_prose_that_mentions_widget_words_stays(line: str) -> None:
    assert clean_text(line) == line


def test_related_block_ends_at_the_next_paragraph() -> None:
    text = (
        "Opening paragraph of the story.\n\nRelated\n\nTalks stall again\nMay 2, 2021\n"
        'In "Africa"\n\nThe army said the operation would continue until the road is reopened.'
    )
    assert _paragraphs(clean_text(text)) == [
        "Opening paragraph of the story.",
        "The army said the operation would continue until the road is reopened.",
    ]


def test_reader_comments_after_their_heading_are_dropped() -> None:
    text = (
        "The report itself ends here.\n\n3 thoughts on “Floods in the valley”\n\n"
        "A reader wrote a long comment that is prose and mentions many things at length."
    )
    assert clean_text(text) == "The report itself ends here."


def test_whitespace_is_normalised_but_paragraphs_kept() -> None:
    text = (
        "\ufeff  Title\u00a0line \r\n\r\n\r\n\r\n"
        "Body  text\twith\u200b gaps.\r\nSame paragraph.\n\n\n"
    )
    assert clean_text(text) == "Title line\n\nBody text with gaps.\nSame paragraph."


def test_rules_come_from_the_data_file() -> None:
    rules = default_boilerplate()
    names = {rule.name for rule in rules.rules}
    assert "photo caption with agency credit" in names
    assert all(rule.action in ("line", "section", "tail") for rule in rules.rules)


def test_a_custom_rule_file_changes_what_is_removed() -> None:
    custom = Boilerplate.from_toml(
        '[[rule]]\nname = "house style"\naction = "line"\n'
        "patterns = ['--- ?end of dispatch ?---']\n"
    )
    text = "A report.\n\n--- End of dispatch ---\n\nShare this:"
    assert clean_text(text, custom) == "A report.\n\nShare this:"


def test_bad_action_in_rule_file_is_refused() -> None:
    with pytest.raises(ValueError, match="bad action"):
        Boilerplate.from_toml('[[rule]]\nname = "x"\naction = "explode"\npatterns = []\n')
