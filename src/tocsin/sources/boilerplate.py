"""Plain-text cleaner: moderate whitespace normalisation and removal of scraped boilerplate.

What counts as boilerplate (comment forms, social log-in widgets, share bars, "related" blocks,
photo captions and credits, site navigation, links to other stories) is data, in
``tocsin/data/boilerplate.toml``; this module only knows how to apply its three kinds of rule
(``line``, ``section``, ``tail``) to whole lines, and how to tell a headline-like line (short, no
sentence end) that links to another story once the article's body has begun. The cleaned text
is what the rest of the pipeline sees, so every character offset refers to it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

ACTIONS = ("line", "section", "tail")

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width and invisible characters that only get in the way (ZWNJ/ZWJ are kept: some
# scripts need them).
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_LIST_ITEM = re.compile(r"^([-–•*·▪]|\d{1,2}[.)])\s")


@dataclass(frozen=True)
class Rule:
    """One named group of line patterns and what to do with a line that matches."""

    name: str
    action: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int | None = None
    after_body: bool = False  # only once a line of prose has been kept

    def matches(self, line: str) -> bool:
        if self.max_words is not None and len(line.split()) > self.max_words:
            return False
        return any(pattern.fullmatch(line) for pattern in self.patterns)


@dataclass(frozen=True)
class Boilerplate:
    """The rules of a boilerplate file and its limits."""

    rules: tuple[Rule, ...]
    prose_min_words: int = 10
    section_max_lines: int = 40
    # [link_lines]: headline-like lines after the body has begun are links to other stories
    link_max_words: int = 0  # 0: the rule is off
    link_min_run: int = 2

    @classmethod
    def from_toml(cls, text: str) -> Boilerplate:
        data = tomllib.loads(text)
        rules = []
        for entry in data.get("rule", []):
            action = entry.get("action", "line")
            if action not in ACTIONS:
                raise ValueError(f"boilerplate rule {entry.get('name')!r}: bad action {action!r}")
            flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
            patterns = tuple(re.compile(p, flags) for p in entry.get("patterns", []))
            rules.append(Rule(entry.get("name", "?"), action, patterns, entry.get("max_words"),
                              bool(entry.get("after_body", False))))
        limits = data.get("limits", {})
        links = data.get("link_lines", {})
        return cls(
            rules=tuple(rules),
            prose_min_words=int(limits.get("prose_min_words", 10)),
            section_max_lines=int(limits.get("section_max_lines", 40)),
            link_max_words=int(links.get("max_words", 0)),
            link_min_run=int(links.get("min_run", 2)),
        )

    def rule_for(self, line: str, in_body: bool = True) -> Rule | None:
        """The first rule whose patterns match the whole (normalised) ``line``; rules that wait
        for the body only once ``in_body``."""
        for rule in self.rules:
            if (in_body or not rule.after_body) and rule.matches(line):
                return rule
        return None

    def is_headline_like(self, line: str) -> bool:
        """A short line that does not end like a sentence, a heading of a list (":") or a list
        item: the shape of a link to another story."""
        words = line.split()
        if not self.link_max_words or not 2 <= len(words) <= self.link_max_words:
            return False
        if _SENTENCE_END.search(line) or line.endswith(":") or _LIST_ITEM.match(line):
            return False
        return any(ch.isalpha() for ch in line)

    def is_prose(self, line: str) -> bool:
        """A long line that ends like a sentence: real text, which ends a widget section."""
        return len(line.split()) >= self.prose_min_words and bool(_SENTENCE_END.search(line))


@lru_cache(maxsize=1)
def default_boilerplate() -> Boilerplate:
    """The rules shipped in ``tocsin/data/boilerplate.toml``."""
    text = resources.files("tocsin.data").joinpath("boilerplate.toml").read_text("utf-8")
    return Boilerplate.from_toml(text)


def normalise_lines(text: str) -> list[str]:
    """NFC, one kind of newline, no invisible or control characters, single inner spaces."""
    text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", text))
    text = _CONTROLS.sub("", _INVISIBLE.sub("", text))
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def join_paragraphs(lines: list[str]) -> str:
    """Lines back to text, with at most one blank line between paragraphs and none at the ends."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def clean_text(text: str, boilerplate: Boilerplate | None = None) -> str:
    """``text`` with whitespace normalised and boilerplate lines removed."""
    rules = boilerplate or default_boilerplate()
    lines = normalise_lines(text)
    kept: list[str] = []
    index = 0
    in_body = False
    while index < len(lines):
        line = lines[index]
        index += 1
        rule = rules.rule_for(line, in_body) if line else None
        if rule is None:
            kept.append(line)
            in_body = in_body or rules.is_prose(line)
            continue
        if rule.action == "tail":
            break
        if rule.action == "section":
            index = _skip_section(lines, index, rules)
    return join_paragraphs(_drop_link_lines(kept, rules))


def _drop_link_lines(lines: list[str], rules: Boilerplate) -> list[str]:
    """``lines`` without the links to other stories: headline-like lines after the first line
    of prose that come two or more in a row (blank lines apart), or that nothing but such lines
    follows to the end of the text."""
    if not rules.link_max_words:
        return lines
    filled = [i for i, line in enumerate(lines) if line]
    first_prose = next((i for i in filled if rules.is_prose(lines[i])), None)
    if first_prose is None:
        return lines
    drop: set[int] = set()
    run: list[int] = []
    for position, i in enumerate([*filled, -1]):
        if i > first_prose and rules.is_headline_like(lines[i]):
            run.append(i)
            continue
        at_end = position == len(filled)
        if run and (len(run) >= rules.link_min_run or at_end):
            drop.update(run)
        run = []
    return [line for i, line in enumerate(lines) if i not in drop]


def _skip_section(lines: list[str], index: int, rules: Boilerplate) -> int:
    """Index of the first line after the widget section that starts before ``index``."""
    removed = 0
    while index < len(lines) and removed < rules.section_max_lines:
        line = lines[index]
        if line and rules.is_prose(line) and rules.rule_for(line) is None:
            break
        if line:
            removed += 1
        index += 1
    return index
