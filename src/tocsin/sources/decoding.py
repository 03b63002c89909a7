"""Bytes to text: UTF-8 (with or without BOM), a declared charset, or a best guess; junk refused.

``decode_bytes`` raises ``DecodeError`` with a one-line reason when the bytes are not text
(binary data, or no encoding makes sense of them). Mostly-UTF-8 text with stray Windows-1252
bytes (a common mix in scraped files) is decoded piecewise rather than refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 control bytes other than tab, newline, vertical tab, form feed, carriage return; and DEL.
_CONTROL_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 32)) | {127}
_SAMPLE = 64 * 1024
_MAX_CONTROL_RATIO = 0.02  # share of control bytes (or replacement characters) tolerated
_SURROGATE_ESCAPE = re.compile("[\udc80-\udcff]")


class DecodeError(ValueError):
    """The bytes are not text we can read; ``str(error)`` is a one-line reason."""


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text, or raise ``DecodeError``.

    Order: a byte-order mark; the ``declared`` charset (HTTP header or HTML meta) when it decodes
    cleanly; UTF-8; UTF-8 mixed with Windows-1252; the best guess of charset-normalizer.
    """
    if not data:
        raise DecodeError("empty input (0 bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} after its byte-order mark") from exc
    _refuse_binary(data)
    if declared:
        try:
            return _checked(data.decode(_codec_name(declared)))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall through to detection
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    valid_multibyte = sum(1 for ch in escaped if ord(ch) > 0x7F and not _is_escape(ch))
    if valid_multibyte:
        return _checked(_SURROGATE_ESCAPE.sub(_cp1252_char, escaped))
    return _checked(_guess(data))


def _codec_name(declared: str) -> str:
    name = codecs.lookup(declared.strip().strip("\"'")).name
    # Browsers read "iso-8859-1" and "ascii" declarations as Windows-1252; so do we.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _is_escape(ch: str) -> bool:
    return "\udc80" <= ch <= "\udcff"


def _cp1252_char(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:
        return byte.decode("latin-1")


def _refuse_binary(data: bytes) -> None:
    sample = data[:_SAMPLE]
    if sample.startswith(b"\x1f\x8b"):
        raise DecodeError("binary content (gzip-compressed data), not text")
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    # NUL bytes never occur in text files: a few of them (beyond a stray one) mean binary data.
    limit = 0.001 if b"\x00" in sample else _MAX_CONTROL_RATIO
    if controls / len(sample) > limit:
        raise DecodeError(f"binary content ({controls} control bytes in the first {len(sample)})")


def _guess(data: bytes) -> str:
    """Decode a legacy single-byte encoding: the candidate whose text reads most like words.

    charset-normalizer's guess is one candidate; the Windows code pages of the languages most
    often met in conflict reporting are the others. The decoding that reads most like words wins
    (see ``_plausibility``).
    """
    best = charset_normalizer.from_bytes(data[: 4 * _SAMPLE]).best()
    names = list(_CANDIDATES)
    if best is not None:  # on equal scores, charset-normalizer's guess, then cp1252, wins
        names = [best.encoding, *(name for name in names if name != best.encoding)]
    decoded: list[str] = []
    for name in names:
        try:
            decoded.append(data.decode(name))
        except (LookupError, UnicodeDecodeError):
            continue
    if not decoded:
        raise DecodeError("undecodable bytes: no character encoding fits")
    return max(decoded, key=_plausibility)  # max keeps the first of equals


# Windows code pages tried for non-UTF-8 text: Western, Central European, Cyrillic, Greek, Turkish.
_CANDIDATES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254")
_COMMON_LETTERS = frozenset(
    "àáâãäåæçèéêëíîïñòóôõöùúûüÿßœ"  # Western European
    "ąćęłńśźżčďěňřšťůžý"  # Central European
    "ıışğ"  # Turkish
)
_COMMON_SYMBOLS = frozenset("“”‘’–—…€«»°·§©®\u00a0£¥±×÷")
_SCRIPTS = ((0x0370, 0x03FF), (0x0400, 0x04FF), (0x0590, 0x05FF), (0x0600, 0x06FF))
_WORD = re.compile(r"[^\W\d_]+")


def _plausibility(text: str) -> int:
    """Common accented letters score; stray symbols, mixed-script words, odd capitals cost."""
    score = 0
    for ch in text[:_SAMPLE]:
        if ch < "\x80" or ch in _COMMON_SYMBOLS:
            continue
        if ch.lower() in _COMMON_LETTERS or _script(ch):
            score += 1
        elif not ch.isalpha():
            score -= 2
    for word in _WORD.findall(text[:_SAMPLE]):
        if word.isascii():
            continue
        scripts = {_script(ch) for ch in word}
        if len(scripts) > 1:
            score -= 3
        score -= 2 * sum(
            1 for a, b in zip(word, word[1:], strict=False) if a.islower() and b.isupper()
        )
    return score


def _script(ch: str) -> int:
    """1-4 for Greek, Cyrillic, Hebrew, Arabic; 0 for anything else (Latin)."""
    code = ord(ch)
    for number, (low, high) in enumerate(_SCRIPTS, start=1):
        if low <= code <= high:
            return number
    return 0


def _checked(text: str) -> str:
    """Refuse decoded text that is mostly replacement or control characters."""
    sample = text[:_SAMPLE]
    if not sample:
        return text
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    )
    if bad / len(sample) > _MAX_CONTROL_RATIO:
        raise DecodeError(f"undecodable or binary content ({bad} bad characters)")
    return text
