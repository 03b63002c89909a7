"""Bytes to text: encodings decoded right, junk refused with a one-line reason."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from tocsin.records import Failure
from tocsin.sources import read_inputs
from tocsin.sources.decoding import DecodeError, decode_bytes

SENTENCE = "The café near the old bridge was shelled on Friday, witnesses said."


def test_utf8_with_and_without_bom() -> None:
    assert decode_bytes(SENTENCE.encode("utf-8")) == SENTENCE
    assert decode_bytes(codecs.BOM_UTF8 + SENTENCE.encode("utf-8")) == SENTENCE


def test_utf16_with_bom() -> None:
    assert decode_bytes(SENTENCE.encode("utf-16")) == SENTENCE


def test_cp1252_file_is_decoded_right() -> None:
    text = "Le café fermé – “the café was closed”, residents said.\n" + SENTENCE
    assert decode_bytes(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Der Bürgermeister sagte, die Straße sei gesperrt und die Brücke zerstört.", "cp1252"),
        ("Bayır köyünde çatışma çıktı, şehirde sokağa çıkma yasağı ilan edildi.", "cp1254"),
        ("Żołnierze zostali ranni w pobliżu granicy, powiedział rzecznik.", "cp1250"),
        ("Город обстреляли ночью, сообщили местные власти.", "cp1251"),
        ("Η πόλη βομβαρδίστηκε τη νύχτα, ανέφεραν οι τοπικές αρχές.", "cp1253"),
    ],
)
def test_legacy_code_pages_are_told_apart(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


def test_declared_charset_is_used_when_it_fits() -> None:
    text = "Привет, город обстреляли ночью."
    assert decode_bytes(text.encode("koi8-r"), declared="koi8-r") == text


def test_mixed_utf8_and_cp1252_is_decoded_piecewise() -> None:
    data = "Bayır-Bucak: ".encode() + "the café".encode("cp1252") + " – report".encode()
    assert decode_bytes(data) == "Bayır-Bucak: the café – report"


def test_random_binary_is_refused() -> None:
    junk = random.Random(7).randbytes(4000)
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(junk)


def test_text_with_nul_bytes_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"PK\x03\x04\x00\x00\x00" + b"a" * 200 + b"\x00" * 50)


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(b"")


def test_cp1252_file_read_through_read_inputs(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(SENTENCE.encode("cp1252"))
    [document] = list(read_inputs([str(path)]))
    assert document.text == SENTENCE


def test_binary_file_gives_failure_not_exception(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(random.Random(3).randbytes(3000))
    [failure] = list(read_inputs([str(path)]))
    assert isinstance(failure, Failure)
    assert failure.stage == "read" and "binary" in failure.reason
    assert "\n" not in failure.reason
