"""Start-up cost of ``tocsin extract`` against a bare spaCy load-and-parse of the same text.

    python bench/startup.py [--runs 3] [--nice 10] [--file FILE]

FILE defaults to the demo corpus's istanbul-consulate-protest.html (2,894 characters of HTML).

Each run is a whole process, measured from outside with ``/usr/bin/time -v`` (wall clock and
peak resident memory; ``os.wait4``'s figures when that program is missing):

- bare: ``python -c`` that loads the spaCy pipeline Tocsin would load
  (``tocsin.resources.load_spacy``) and parses the document's text;
- tocsin: ``python -m tocsin extract FILE --json``, output discarded.

The two alternate (bare, tocsin, bare, tocsin, ...) after one untimed warm-up of each, so a
change in the machine's load touches both alike; the figures are medians. The text the bare run
parses is the text Tocsin reads from the file (markup removed), written to a temporary file.
Prints one JSON object with the medians, the ratios (tocsin / bare), every run, and the load
averages before and after. CPU seconds (user + system) are printed too: on a loaded machine
they vary less than wall time. Set ``TOCSIN_GAZETTEER`` to time another gazetteer file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "src" / "tocsin" / "demo" / "corpus"
DEFAULT_FILE = DEMO / "istanbul-consulate-protest.html"
BARE = (
    "import sys\n"
    "from tocsin.resources import load_spacy\n"
    "nlp = load_spacy(sys.argv[2] if len(sys.argv) > 2 else None)\n"
    "with open(sys.argv[1], encoding='utf-8') as handle:\n"
    "    doc = nlp(handle.read())\n"
    "print(len(doc))\n"
)
_WALL = re.compile(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): (\d+(?:\.\d+)?)")


def document_text(path: Path) -> str:
    from tocsin.sources import read_inputs

    texts = [getattr(d, "text", "") or "" for d in read_inputs([str(path)])]
    return "\n\n".join(t for t in texts if t)


def measure(command: list[str], nice: int) -> dict[str, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    prefix = ["nice", "-n", str(nice)] if nice else []
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        done = subprocess.run([timer, "-v", *prefix, *command], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        wall, rss = _WALL.search(done.stderr), _RSS.search(done.stderr)
        if done.returncode != 0 or wall is None or rss is None:
            raise SystemExit(f"{command} failed:\n{done.stderr[-2000:]}")
        hours, minutes, seconds = wall.groups()
        elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
        cpu = sum(float(x) for x in _CPU.findall(done.stderr))
        return {"wall_s": round(elapsed, 2), "cpu_s": round(cpu, 2),
                "peak_mb": round(int(rss.group(1)) / 1024, 1)}
    started = time.perf_counter()
    process = subprocess.Popen([*prefix, *command], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command} failed with status {status}")
    return {"wall_s": round(elapsed, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the runs (0: none)")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: Tocsin's)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        text_file = Path(folder) / "text.txt"
        text = document_text(args.file)
        text_file.write_text(text, encoding="utf-8")
        model = [args.model] if args.model else []
        bare = [sys.executable, "-c", BARE, str(text_file), *model]
        tocsin = [sys.executable, "-m", "tocsin", "extract", str(args.file), "--json",
                  *(["--model", args.model] if args.model else [])]
        measure(bare, args.nice)  # warm-up: files into the page cache, caches built
        measure(tocsin, args.nice)
        runs: dict[str, list[dict[str, float]]] = {"bare": [], "tocsin": []}
        for _ in range(args.runs):
            runs["bare"].append(measure(bare, args.nice))
            runs["tocsin"].append(measure(tocsin, args.nice))
    medians = {
        side: {key: statistics.median(r[key] for r in rows)
               for key in ("wall_s", "cpu_s", "peak_mb")}
        for side, rows in runs.items()
    }
    print(json.dumps({
        "file": str(args.file),
        "file_chars": len(args.file.read_text(encoding="utf-8", errors="replace")),
        "text_chars": len(text),
        "runs": args.runs,
        "nice": args.nice,
        "bare": medians["bare"],
        "tocsin": medians["tocsin"],
        "wall_ratio": round(medians["tocsin"]["wall_s"] / medians["bare"]["wall_s"], 2),
        "peak_ratio": round(medians["tocsin"]["peak_mb"] / medians["bare"]["peak_mb"], 2),
        "cpu_ratio": round(medians["tocsin"]["cpu_s"] / medians["bare"]["cpu_s"], 2),
        "every_run": runs,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
