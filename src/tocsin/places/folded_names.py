"""A second, looser lookup key for romanised names: one key for the many ways English-language
news spells the same Arabic, Persian, Pashto, Kurdish, Turkish or Russian place name.

``fold_name`` works on a ``normalise_name`` key and applies regularities of romanisation, not
a list of names:

- the Arabic article and its assimilated forms ("al", "el", "an", "ash", "ez" ...) are dropped
  as separate words, and the words are joined ("Jisr ash-Shughur", "Jisr Shughur" -> one key;
  "Kafr Nabl", "Kafranbel" -> one key);
- a final "h" after a vowel (the feminine ending written -ah/-eh) is dropped per word;
- digraphs become one letter: kh -> k, gh -> g, sh/ch -> s, th/dh -> t (both interdentals),
  ph -> f, dj/j -> g (Egyptian and Sudanese g), q/c/x -> k;
- vowels, and w/y inside words, are dropped; a name that begins with a vowel keeps one "a" for
  it (so "Ubari", "Awbari" and "Obari" meet, but "Obama" does not meet "Bam");
- doubled letters collapse ("Maarrat", "Maarat").

Keys shorter than three letters are not made (too many names would share them). The gazetteer
stores the key of every indexed name (table ``folded_names``); ``Gazetteer.lookup_folded`` answers
only places in the countries whose names are romanised (``data/places/romanised_countries.toml``,
``romanised_countries``), and the resolver uses it only when the exact name finds nothing inside
the area the text places the name in, or nothing at all in a document about such a country;
such candidates are scored as weaker matches.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources as package_files

from tocsin.places.names import normalise_name

MIN_KEY = 3
ARTICLES = frozenset({
    "al", "el", "il", "ul", "an", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "ed", "en",
    "er", "es", "esh", "et", "ez",
})
_FINAL_H = re.compile(r"([aeiou])h\b")
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "t"),
             ("ph", "f"), ("dj", "g"))
_LETTERS = str.maketrans({"j": "g", "q": "k", "c": "k", "x": "k"})
_INNER_VOWELS = re.compile(r"[aeiouwy]")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def fold_key(key: str) -> str:
    """The folded form of a normalised key ("" when too short to be useful)."""
    words = [w for w in key.split(" ") if w]
    if len(words) > 1:
        words = [w for w in words if w not in ARTICLES] or words
    joined = "".join(_FINAL_H.sub(r"\1", w) for w in words)
    if not joined.isascii() or not joined.isalpha():
        joined = "".join(ch for ch in joined if "a" <= ch <= "z")
    for source, target in _DIGRAPHS:
        joined = joined.replace(source, target)
    joined = joined.translate(_LETTERS)
    if not joined:
        return ""
    head = "a" if joined[0] in "aeiou" else joined[0]
    folded = _DOUBLE.sub(r"\1", head + _INNER_VOWELS.sub("", joined[1:]))
    return folded if len(folded) >= MIN_KEY else ""


def fold_name(text: str) -> str:
    """``fold_key(normalise_name(text))``: "Maarat al-Numan" and "Ma'arrat an Nu'man" ->
    the same key."""
    return fold_key(normalise_name(text))


@lru_cache(maxsize=1)
def romanised_countries() -> frozenset[str]:
    """ISO2 codes of the countries whose names the folded key is for."""
    path = package_files.files("tocsin").joinpath("data", "places", "romanised_countries.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return frozenset(code for codes in data["romanised"].values() for code in codes)
