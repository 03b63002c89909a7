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
_MIDWORD_SYMBOL = re.compile(r"(?<=[^\W\d_])[^\w\s\x00-\x7f](?=[^\W\d_])")


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
    """Decode a single-byte legacy encoding; prefer Windows-1252 when it reads as well."""
    best = charset_normalizer.from_bytes(data[: 4 * _SAMPLE]).best()
    candidates: list[str] = []
    if best is not None:
        try:
            candidates.append(data.decode(best.encoding))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        candidates.append(data.decode("cp1252"))
    except UnicodeDecodeError:
        pass
    if not candidates:
        raise DecodeError("undecodable bytes: no character encoding fits")
    # Fewest symbols stuck inside words wins; on a tie, the later candidate (cp1252) wins.
    return min(reversed(candidates), key=lambda text: len(_MIDWORD_SYMBOL.findall(text)))


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
