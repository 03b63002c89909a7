"""The demo corpus shipped inside the package: a dozen short reports in several input formats.

The reports were written for the demo (see README.md next to this module); `tocsin demo` runs
the pipeline over the directory that `corpus_path()` returns.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

CORPUS_FILES: tuple[str, ...] = (
    "latakia-karlov-summoned.html",
    "istanbul-consulate-protest.html",
    "borno-village-attack.html",
    "turkmen-mountain-blog.txt",
    "yayladag-crossing-blog.txt",
    "red-crescent-aid-wire.txt",
    "latakia-depeche-fr.txt",
    "crisis-desk-feed.xml",
    "social-posts.jsonl",
)
"""The corpus files, by name, relative to `corpus_path()`."""

DUPLICATE_PAIR: tuple[str, str] = ("red-crescent-aid-wire.txt", "social-posts.jsonl#demo-post-002")
"""The one report shipped twice (as plain text and as a JSON Lines post), same body text."""

UNSUPPORTED_LANGUAGE_FILE = "latakia-depeche-fr.txt"
"""The one report not in English (French), to show a stored-and-marked unsupported language."""


def corpus_path() -> Path:
    """The directory holding the demo corpus files (and nothing else)."""
    resource = files(__package__).joinpath("corpus")
    with as_file(resource) as path:
        return Path(path)
