"""The demo corpus ships in the package and each file is well-formed for its format."""

from __future__ import annotations

import json
import re

import feedparser

from tocsin.demo import CORPUS_FILES, UNSUPPORTED_LANGUAGE_FILE, corpus_path
from tocsin.document_id import document_id

PUBLISHED_META = re.compile(
    r'<meta\s+property="article:published_time"\s+content="(\d{4}-\d{2}-\d{2})', re.I
)


def test_corpus_directory_holds_exactly_the_listed_files() -> None:
    root = corpus_path()
    assert root.is_dir()
    assert sorted(p.name for p in root.iterdir()) == sorted(CORPUS_FILES)
    assert all((root / name).stat().st_size > 0 for name in CORPUS_FILES)


def test_rss_feed_parses_into_dated_entries() -> None:
    feed = feedparser.parse(str(corpus_path() / "crisis-desk-feed.xml"))
    assert not feed.bozo
    assert len(feed.entries) == 4
    for entry in feed.entries:
        assert entry.published_parsed is not None
        assert len(entry.description.split()) >= 60


def test_json_lines_posts_are_valid_and_have_text() -> None:
    lines = (corpus_path() / "social-posts.jsonl").read_text(encoding="utf-8").splitlines()
    posts = [json.loads(line) for line in lines]
    assert len(posts) == 4
    for post in posts:
        assert post["text"].strip()
        assert {"title", "url", "published", "source", "id"} <= post.keys()
    assert len({p["id"] for p in posts}) == len(posts)


def test_every_html_page_has_a_publication_date_meta() -> None:
    pages = [name for name in CORPUS_FILES if name.endswith(".html")]
    assert len(pages) >= 2
    for name in pages:
        html = (corpus_path() / name).read_text(encoding="utf-8")
        assert PUBLISHED_META.search(html), name


def test_one_report_is_shipped_twice_with_the_same_body_and_date() -> None:
    import datetime as dt

    from tocsin.sources import ReadOptions, read_inputs

    root = corpus_path()
    lines = (root / "social-posts.jsonl").read_text(encoding="utf-8").splitlines()
    post = next(json.loads(line) for line in lines if '"demo-post-002"' in line)
    (wire,) = read_inputs([str(root / "red-crescent-aid-wire.txt")], ReadOptions())
    assert wire.id == document_id(post["text"])  # the dateline is metadata, not body text
    assert wire.published == dt.date.fromisoformat(post["published"][:10])


def test_every_plain_text_report_has_a_dateline() -> None:
    from tocsin.sources import ReadOptions, read_inputs

    texts = [n for n in CORPUS_FILES if n.endswith(".txt") and n != UNSUPPORTED_LANGUAGE_FILE]
    documents = list(read_inputs([str(corpus_path() / n) for n in texts], ReadOptions()))
    assert len(documents) == len(texts) == 3
    assert all(d.published is not None for d in documents)
    assert not any("Posted on" in d.text for d in documents)


def test_blogs_carry_boilerplate_for_the_cleaner_to_remove() -> None:
    for name in ("turkmen-mountain-blog.txt", "yayladag-crossing-blog.txt"):
        text = (corpus_path() / name).read_text(encoding="utf-8")
        assert "Leave a Reply" in text and "Connecting to %s" in text
        assert re.search(r"^.+ \\ [A-Z][\w ]+$", text, re.M), name


def test_the_non_english_report_is_french() -> None:
    text = (corpus_path() / UNSUPPORTED_LANGUAGE_FILE).read_text(encoding="utf-8")
    assert " les " in text and " the " not in text
