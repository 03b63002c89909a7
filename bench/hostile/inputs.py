"""The hostile inputs: malformed, mis-encoded, oversized, compressed and oddly named files,
each with the outcomes a clean run may give it.

A case is written into a folder by ``write_cases``; ``input_job`` runs ``tocsin run`` on the
folder and judges every case by the rows whose locator carries its stem (``h07-``...). Outcomes:
``failure`` (failure rows only), ``document`` (documents only), ``mixed`` (both, for files of
many records) and ``skipped`` (neither: the folder walk passes it over, e.g. a FIFO).
"""

from __future__ import annotations

import gzip
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# The cap the hostile run is given (TOCSIN_MAX_BYTES), small so "over the cap" is cheap to make.
MAX_BYTES = 2 * 1024 * 1024

ANY_READ = frozenset({"failure", "document", "mixed"})
FAILURE = frozenset({"failure"})
DOCUMENT = frozenset({"document"})

Judge = Callable[[list[dict], list[dict]], str | None]  # (failures, documents) -> problem


@dataclass(frozen=True)
class Case:
    """One hostile input: its stem, file name (bytes for a name that is not UTF-8), a writer,
    the outcomes allowed and an optional extra judgement of the stored rows."""

    stem: str
    name: str | bytes
    write: Callable[[Path], object]
    expect: frozenset[str]
    about: str
    judge: Judge | None = None
    slow: bool = False  # takes long to parse (left out of --quick)
    tags: tuple[str, ...] = field(default=())


def _report(n: int) -> str:
    places = ["Kafr Nabl", "Maarat al-Numan", "Jisr al-Shughur", "Saraqib", "Ariha",
              "Khan Shaykhun"]
    return (f"Report {n}: heavy shelling hit the town of {places[n % len(places)]} in Idlib "
            f"province on Tuesday, local medics said. At least {n + 2} people were killed and "
            f"{n + 5} were wounded in the strikes, case {n}.")


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], object]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _raw(content: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(content)


def _junk(seed: int, size: int = 64 * 1024) -> bytes:
    return random.Random(seed).randbytes(size)


def _gzip_of_zeros(header: bytes, zeros: int) -> Callable[[Path], None]:
    """A gzip stream of ``header`` then ``zeros`` zero bytes, written without holding them."""

    def write(path: Path) -> None:
        block = bytes(1024 * 1024)
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9) as z:
            z.write(header)
            for _ in range(zeros // len(block)):
                z.write(block)

    return write


def _warc_response(body: bytes, declared: int | None = None) -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    length = declared if declared is not None else len(http)
    return (b"WARC/1.0\r\nWARC-Type: response\r\n"
            b"WARC-Target-URI: http://example.org/hostile\r\n"
            b"WARC-Date: 2015-11-21T10:00:00Z\r\n"
            b"WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789abc>\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")


def _html(body: str) -> str:
    return ("<!doctype html><html><head><title>Hostile page</title></head>"
            f"<body>{body}</body></html>")


def _feed(items: str, head: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
            f"<title>Hostile desk</title><link>http://example.org/</link>"
            f"<description>feed</description>{items}</channel></rss>")


def _item(n: int, description: str | None = None) -> str:
    text = description if description is not None else _report(n)
    return (f"<item><title>Item {n}</title><link>http://example.org/item/{n}</link>"
            f"<pubDate>Sat, 21 Nov 2015 10:00:00 GMT</pubDate>"
            f"<description>{text}</description></item>")


_PROSE = (
    "The committee reviewed the budget for the coming year and agreed to publish its figures.",
    "Prices of flour and fuel rose again in the markets of the region over the past month.",
    "Teachers said that attendance in the schools of the district had improved since spring.",
    "The report describes the water network, the roads and the state of the clinics in detail.",
    "Farmers expect a smaller harvest after a dry winter and a late start to the rains.",
)


def _long_text(characters: int, seed: int, every: int = 12) -> str:
    """Paragraphs of plain prose, ``characters`` long, with a report of violence in one
    paragraph of ``every`` (a long report, not ten thousand wire stories)."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < characters:
        if len(parts) % every == every - 1:
            paragraph = _report(rng.randrange(10_000))
        else:
            paragraph = " ".join(rng.choice(_PROSE) for _ in range(rng.randint(2, 5)))
        parts.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(parts)[:characters]


def _no_passwd(failures: list[dict], documents: list[dict]) -> str | None:
    leaked = [d["locator"] for d in documents if "root:x:0:" in (d["text"] or "")]
    return f"/etc/passwd read into {leaked}" if leaked else None


def _not_expanded(failures: list[dict], documents: list[dict]) -> str | None:
    big = [len(d["text"] or "") for d in documents if (d["text"] or "").count("lol") > 1000]
    return f"entities expanded into a text of {big} characters" if big else None


def _over_limit(failures: list[dict], documents: list[dict]) -> str | None:
    reasons = " ".join(f["reason"] for f in failures).lower()
    return None if ("limit" in reasons or "over" in reasons) else f"reason: {reasons!r}"


def _long_kept(failures: list[dict], documents: list[dict]) -> str | None:
    if not documents:
        return "not stored"
    status = documents[0]["status"]
    return None if status == "ok" else f"stored with status {status}"


def _nested_divs(depth: int) -> str:
    return ("<div>" * depth + "Gunmen attacked a checkpoint in Kidal on Monday, nested deep."
            + "</div>" * depth)


def _jsonl(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: os.symlink(target, path)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def cases() -> list[Case]:
    """Every hostile case, controls first."""
    latin = ("Les habitants de Jisr al-Shughur ont fui vers la frontière après des frappes "
             "aériennes, a déclaré un médecin. Séisme politique à Alep : réunion annulée.")
    utf16 = ("Shelling killed three people in Ariha on Monday, rescuers said; about 200 families "
             "fled north toward the Turkish border.")
    mixed = (b"Troops entered Saraqib on Sunday, residents said. "
             + "Réfugiés à Idlib, 30 familles déplacées. ".encode("latin-1")
             + "“Quoted” — said the mayor of Ariha.".encode("cp1252")
             + " The café in Binnish was hit.".encode())
    bomb_header = _warc_response(b"")[:-4].replace(b"Content-Length: 0",
                                                   b"Content-Length: 67108864")
    deep = "[" * 100_000 + "]" * 100_000
    return [
        Case("h01", "h01-control-report.txt", _text(_report(1)), DOCUMENT, "a plain report"),
        Case("h02", "h02-control-page.html", _text(_html(f"<article><p>{_report(2)}</p>"
                                                         "</article>")), DOCUMENT, "an HTML page"),
        Case("h03", "h03-control-posts.jsonl",
             _text(_jsonl(f'{{"text": "{_report(3)}"}}', f'{{"text": "{_report(4)}"}}')),
             DOCUMENT, "two posts"),
        Case("h04", "h04-malformed.html",
             _text("<html><body><p>Shelling hit <b>Binnish<div> on Monday, killing <i>two"
                   "</p></span></table><p>people, medics said in Idlib"), ANY_READ,
             "unclosed and stray tags"),
        Case("h05", "h05-script-only.html",
             _text("<html><head><script>var x = 1;</script><style>p{}</style></head></html>"),
             ANY_READ, "a page without text"),
        Case("h06", "h06-binary-junk.txt", _raw(_junk(6)), FAILURE, "random bytes as .txt"),
        Case("h07", "h07-binary-junk.html", _raw(_junk(7)), ANY_READ, "random bytes as .html"),
        Case("h08", "h08-binary-no-extension", _raw(b"\x00\x01\x02" + _junk(8)), FAILURE,
             "random bytes without an extension (sniffed)"),
        Case("h09", "h09-latin-1.txt", _text(latin, "latin-1"), DOCUMENT, "Latin-1 text"),
        Case("h10", "h10-utf-16-le-no-bom.txt", _text(utf16, "utf-16-le"), ANY_READ,
             "UTF-16 LE without BOM"),
        Case("h11", "h11-utf-16-be-no-bom.txt", _text(utf16.replace("three", "four"),
                                                      "utf-16-be"), ANY_READ,
             "UTF-16 BE without BOM"),
        Case("h12", "h12-mixed-encodings.txt", _raw(mixed), DOCUMENT,
             "UTF-8, Latin-1 and cp1252 in one file"),
        Case("h13", "h13-empty.txt", _raw(b""), FAILURE, "an empty file"),
        Case("h14", "h14-whitespace.txt", _raw(b" \n\t\r\n  \n"), FAILURE, "whitespace only"),
        Case("h15", "h15-over-max-bytes.txt",
             _text(_long_text(MAX_BYTES + 512 * 1024, 15)), FAILURE,
             "a file over TOCSIN_MAX_BYTES", judge=_over_limit),
        Case("h16", b"h16-name-not-utf8-\xff\xfe.txt", _text(_report(16)), FAILURE,
             "a file name that is not UTF-8"),
        Case("h17", "h17-broken-feed.xml", _text(_feed(_item(17) + _item(18))[:-60]),
             ANY_READ, "an RSS feed cut off mid-channel"),
        Case("h18", "h18-truncated-entry.rss",
             _text(_feed(_item(19) + "<item><title>Cut</title><description>Shelling in Ariha k")),
             ANY_READ, "a feed whose last entry is cut off"),
        Case("h19", "h19-xxe-feed.xml",
             _text(_feed(_item(20, "&xxe; shelling in Saraqib"),
                         '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
             ANY_READ, "an external entity naming /etc/passwd", judge=_no_passwd),
        Case("h20", "h20-entity-bomb.xml",
             _text(_feed(_item(21, "&lol7; strikes near Ariha"),
                         '<!DOCTYPE rss [<!ENTITY lol "lol">'
                         + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'
                                   for i in range(1, 8)).replace("&lol0;", "&lol;")
                         + "]>")),
             ANY_READ, "entities nested to 30 M characters (billion laughs)", judge=_not_expanded),
        Case("h21", "h21-truncated.warc",
             _raw(_warc_response(_html(f"<p>{_report(22)}</p>").encode(), declared=50_000)[:400]),
             ANY_READ, "a WARC record cut short of its Content-Length"),
        Case("h22", "h22-bomb.warc.gz", _gzip_of_zeros(bomb_header, 64 * 1024 * 1024),
             FAILURE, "a WARC record inflating to 64 MiB of zeros", judge=_over_limit),
        Case("h23", "h23-zeros.warc.gz", _gzip_of_zeros(b"", 64 * 1024 * 1024), FAILURE,
             "64 MiB of gzipped zeros named .warc.gz"),
        Case("h24", "h24-not-gzip.warc.gz", _raw(b"\x1f\x8b\x08" + _junk(24, 4096)), FAILURE,
             "junk behind a gzip magic number"),
        Case("h25", "h25-broken-lines.jsonl",
             _text(_jsonl(f'{{"text": "{_report(25)}"}}', "{broken", "[]", '{"text": 5}',
                          '{"title": "no text"}', '{"text": "\u0000"}')),
             frozenset({"mixed"}), "good and broken JSON lines"),
        Case("h26", "h26-deep-nesting.jsonl",
             _text(_jsonl(deep, f'{{"text": "{_report(26)}"}}')), frozenset({"mixed"}),
             "a JSON line nested 100,000 deep"),
        Case("h27", "h27-over-a-million-characters.txt", _text(_long_text(1_100_000, 27)),
             DOCUMENT, "1.1 M characters in paragraphs (spaCy's limit is 1 M)",
             judge=_long_kept, slow=True),
        Case("h28", "h28-one-long-word.txt", _text("A" * 1_200_000), ANY_READ,
             "1.2 M characters without a space or a paragraph", slow=True),
        Case("h29", "h29-nul-and-controls.txt",
             _text("Gunmen\x00 attacked\x07 a market in\x1b[31m Ariha\x0c on Monday, killing "
                   "five people.\x00"), ANY_READ, "NUL and control characters"),
        Case("h30", "h30-charset-lie.html",
             _text('<html><head><meta charset="utf-16"></head><body><p>'
                   + _report(30) + "</p></body></html>"), DOCUMENT,
             "UTF-8 declaring itself UTF-16"),
        Case("h31", "h31-deep-tags.html", _text(_nested_divs(50_000)), ANY_READ,
             "50,000 nested <div> elements"),
        Case("h32", "h32-pdf-as.html", _raw(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + _junk(32)),
             ANY_READ, "a PDF named .html"),
        Case("h33", "h33-huge-line.jsonl",
             _text('{"text": "' + "x" * (MAX_BYTES + 1024) + '"}\n'
                   + f'{{"text": "{_report(33)}"}}\n'),
             frozenset({"mixed"}), "a JSON line over the cap, then a good one"),
        Case("h34", "h34-dangling-link.txt", _symlink("/nonexistent/h34"),
             frozenset({"skipped", "failure"}), "a symbolic link to nothing"),
        Case("h35", "h35-loop", _symlink("."), frozenset({"skipped", "failure"}),
             "a symbolic link to its own folder"),
        Case("h36", "h36-fifo.txt", _fifo, frozenset({"skipped", "failure"}),
             "a named pipe (reading it would block)"),
    ]


def write_cases(folder: Path, chosen: list[Case]) -> None:
    """Write each case into ``folder`` (a name that is not UTF-8 through its bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in chosen:
        name = case.name if isinstance(case.name, bytes) else case.name.encode()
        case.write(Path(os.fsdecode(os.fsencode(folder) + b"/" + name)))

