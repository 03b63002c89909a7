"""RSS and Atom feeds: one Document per entry with its date and link; garbage fails cleanly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions, read_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def test_rss_entries_become_documents_with_date_link_and_clean_text() -> None:
    results = list(read_inputs([str(FIXTURES / "feed.rss")]))
    first, second, empty = results
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.locator == f"{FIXTURES / 'feed.rss'}#entry=1"
    assert first.format == "feed"
    assert first.title == "Shelling damages water station"
    assert first.published == dt.date(2024, 3, 5)
    assert first.url == "https://monitor.example.org/reports/water-station"
    assert first.source == "Regional Monitor"
    assert first.text == (
        "Shelling on Monday night damaged the main water pumping station serving the eastern "
        "districts, leaving about 40,000 people without running water.\n\n"
        "Engineers said repairs would take at least a week."
    )
    assert "<p>" not in second.text and "Share this" not in second.text
    assert second.published == dt.date(2024, 3, 6)
    assert isinstance(empty, Failure)
    assert empty.locator.endswith("#entry=3") and empty.reason == "feed entry has no text"


def test_atom_entries_use_content_or_summary() -> None:
    first, second = read_inputs([str(FIXTURES / "feed.atom")])
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.published == dt.date(2024, 5, 1)  # published wins over updated
    assert first.author == "Desk Editor"
    assert first.url == "https://desk.example.net/curfew"
    assert first.text.startswith("Authorities declared a dusk-to-dawn curfew")
    assert second.published == dt.date(2024, 5, 2)
    assert second.text.startswith("Delegations from both sides")


def test_option_source_and_date_override_the_feed() -> None:
    options = ReadOptions(source="Wire", published=dt.date(2024, 1, 1))
    docs = [r for r in read_inputs([str(FIXTURES / "feed.atom")], options)]
    assert {(d.source, d.published) for d in docs} == {("Wire", dt.date(2024, 1, 1))}


def test_garbage_feed_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("this is <not> a feed at all &&& <<<", "utf-8")
    [failure] = list(read_inputs([str(path)]))
    assert isinstance(failure, Failure)
    assert failure.reason.startswith("not a valid feed")
    assert "\n" not in failure.reason


def test_valid_feed_without_entries_yields_nothing(tmp_path: Path) -> None:
    path = tmp_path / "quiet.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    )
    assert list(read_inputs([str(path)])) == []


RSS_HEAD = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
    "<item><title>Water station hit</title><link>https://desk.example.org/1</link>"
    "<description>Shelling damaged the main water station on Monday.</description></item>"
)
ATOM_HEAD = (
    '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
    "<entry><title>Water station hit</title>"
    "<summary>Shelling damaged the main water station on Monday.</summary></entry>"
)


@pytest.mark.parametrize(
    "cut",
    [
        RSS_HEAD + "<item><title>Checkpoint attacked</title><link>https://desk.example.org/2"
        "</link><description>Gunmen attacked a police checkpoint outside Kidal on Monday, kil",
        RSS_HEAD + "<item><title>Checkpoint attacked</title><description>Gunmen attacked a "
        "police checkpoint outside Kidal on Monday.</description><pubDate>Mon, 06 May",
        ATOM_HEAD + '<entry><title>Checkpoint attacked</title><content type="html">&lt;p&gt;'
        "Gunmen attacked a police checkpoint outside Kidal",
    ],
)
def test_an_entry_cut_off_by_a_truncated_feed_is_a_failure_not_its_headline(
    tmp_path: Path, cut: str
) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(cut, "utf-8")
    first, second = read_inputs([str(path)])
    assert isinstance(first, Document) and first.text.startswith("Shelling damaged")
    assert isinstance(second, Failure), second  # not a Document holding only the title
    assert second.locator == f"{path}#entry=2"
    assert second.reason == (
        "the feed ends inside this entry (cut off); its text would be incomplete")


def test_a_feed_cut_between_entries_keeps_them_all(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text(RSS_HEAD + RSS_HEAD[RSS_HEAD.index("<item>"):] + "</chan", "utf-8")
    results = list(read_inputs([str(path)]))
    assert [type(r) for r in results] == [Document, Document]
