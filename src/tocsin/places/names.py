"""Place-name normalisation shared by the gazetteer (to index) and the resolver (to look up).

``normalise_name`` maps every spelling a text or a gazetteer uses for one name to one key:
casefolded, diacritics and special letters folded to ASCII (ı -> i, ş -> s, ğ -> g, ß -> ss ...),
apostrophes and ayn/hamza marks dropped, hyphens, dashes, dots and underscores turned into spaces,
whitespace collapsed and a leading "the" dropped. ``variants`` then spells a normalised name the
other ways Arabic (and Persian, Kurdish, Turkish) names are transliterated, for a fuzzy fallback
when the exact key finds nothing; the set is bounded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into an ASCII base letter.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ə": "e",
        "Ə": "e",
    }
)
# Apostrophes, ayn and hamza marks, backticks, primes: dropped ("A`zaz", "A'zaz", "Aʿzaz" -> azaz).
_DROP = re.compile("['`´ʹʻʼʽʾʿˈ‘’‚‛′″\"“”„]")
# Hyphens, dashes, dots, slashes, commas, parentheses, underscores: word separators.
_SEPARATORS = re.compile(r"[\-‐‑‒–—―−_.,/\\()\[\]{}:;!?&+*#]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def normalise_name(text: str) -> str:
    """The lookup key for a place name: ``"the Bayır-Bucak"`` -> ``"bayir bucak"``."""
    if text.isascii():  # most names: nothing to fold (the gazetteer build indexes ~1M names)
        stripped = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
        stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
        stripped = stripped.translate(_FOLD).casefold()
    stripped = _DROP.sub("", stripped)
    stripped = _SEPARATORS.sub(" ", stripped)
    key = _SPACES.sub(" ", stripped).strip()
    if key.startswith("the ") and len(key) > 4:
        key = key[4:]
    return key


def ascii_name(text: str) -> str:
    """``text`` with diacritics folded to ASCII, case and punctuation kept (an asciiname)."""
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).translate(_FOLD)
    return plain.encode("ascii", "ignore").decode("ascii")


def may_hold_latin(text: str) -> bool:
    """False when ``text`` certainly normalises to a key without ASCII letters (a name written
    only in another script: Cyrillic, Arabic, CJK ...); a cheap test before ``normalise_name``."""
    return any(
        ch < "\u0250" or "\u1e00" <= ch < "\u1f00" or "\uff00" <= ch < "\uff60" for ch in text
    )


def has_latin_letter(key: str) -> bool:
    """True when a normalised key holds an ASCII letter (names in other scripts are not indexed)."""
    return any("a" <= ch <= "z" for ch in key)


# Arabic article forms as they appear in transliterations, after hyphens became spaces.
_ARTICLES = (
    "al", "el", "ul", "as", "ash", "ad", "adh", "an", "ar", "at", "ath", "az", "es", "esh",
    "ed", "en", "er", "et", "ez",
)
# Spelling substitutions (source, replacement), most common first; pairs are listed both ways.
_SWAPS: tuple[tuple[str, str], ...] = (
    ("q", "k"),
    ("k", "q"),
    ("ou", "u"),
    ("u", "ou"),
    ("oo", "u"),
    ("ee", "i"),
    ("i", "ee"),
    ("dh", "z"),
    ("z", "dh"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "h"),
    ("gh", "g"),
    ("dj", "j"),
    ("j", "dj"),
    ("sh", "ch"),
    ("ch", "sh"),
    ("ay", "ei"),
    ("ei", "ay"),
    ("aw", "ou"),
    ("y", "i"),
    ("i", "y"),
    ("e", "a"),
    ("a", "e"),
    ("w", "u"),
)
_DOUBLE = re.compile(r"([a-z])\1")


def _word_forms(key: str) -> set[str]:
    """The article and ending alternatives of one key (no letter swaps)."""
    forms = {key}
    words = key.split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        rest = " ".join(words[1:])
        forms.update({rest, "al " + rest, "el " + rest})
    elif len(words) == 1:
        forms.add("al " + key)
    # inner articles: "jabal al turkman" <-> "jabal turkman"
    for i, word in enumerate(words[1:-1], start=1):
        if word in _ARTICLES:
            forms.add(" ".join(words[:i] + words[i + 1 :]))
            forms.add(" ".join(words[:i] + ["al"] + words[i + 1 :]))
    more: set[str] = set()
    for form in forms:
        if form.endswith("ah"):
            more.add(form[:-1])
        elif form.endswith("eh"):
            more.update({form[:-2] + "a", form[:-2] + "ah"})
        elif form.endswith("a"):
            more.add(form + "h")
        more.add(form.replace(" ", ""))
    forms |= more
    return forms


def variants(name: str, limit: int = 48) -> list[str]:
    """Transliteration variants of ``name`` (normalised first), nearest first, at most ``limit``.

    Covers Arabic article forms (al-/el-/ash-/as-/ad-..., dropped, added or swapped), endings
    -a/-ah/-eh, doubled letters, and spelling pairs (ou/u, oo/u, ee/i, q/k, dh/z, th/t, kh/h, ...).
    The name itself is not part of the result.
    """
    key = normalise_name(name)
    if not key:
        return []
    seen: dict[str, None] = {}
    def order(form: str) -> tuple[bool, int, str]:
        glued = " " in key and " " not in form and len(form) >= len(key) - 1
        return (glued, len(key) - len(form), form)

    forms = sorted(_word_forms(key), key=order)
    for form in forms:
        seen.setdefault(form, None)
    seen.setdefault(_DOUBLE.sub(r"\1", key), None)
    swapped: dict[str, None] = {}
    for base in list(seen)[:8]:
        for src, dst in _SWAPS:
            if src in base:
                changed = base.replace(src, dst)
                swapped.setdefault(changed, None)
                swapped.setdefault(_DOUBLE.sub(r"\1", changed), None)
    for form in swapped:
        seen.setdefault(form, None)
    seen.pop(key, None)
    return list(seen)[:limit]
