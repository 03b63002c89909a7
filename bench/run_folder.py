"""``tocsin run`` over a folder of news articles against a process that loads spaCy and pipes the
same texts (issue 18: "as a user sees it").

    python bench/run_folder.py [--texts ../shared/data/geoparsing/GWN.xml] [--count 80]
                               [--runs 3] [--nice 10]

The first COUNT articles of the corpus file (read with the geoparsing corpus reader; the texts
stay in a temporary folder, never in the repository) are written one per ``.txt`` file. Each run
is a whole process, measured from outside as ``startup.py`` measures (wall clock, CPU seconds,
peak memory):

- bare: ``python -c`` that loads the spaCy pipeline Tocsin would load and runs ``nlp.pipe``
  over the files' texts;
- tocsin: ``python -m tocsin run FOLDER --db sqlite:///TMP`` into a new SQLite file (start-up,
  reading, extraction, storing, fusion).

The two alternate after one untimed warm-up of each; the figures are medians, the ratio is
bare / tocsin wall time (above 1: Tocsin is faster). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import measure  # noqa: E402  (the same whole-process timer)

BARE = (
    "import sys, pathlib\n"
    "from tocsin.resources import load_spacy\n"
    "nlp = load_spacy()\n"
    "texts = [p.read_text(encoding='utf-8') for p in sorted(pathlib.Path(sys.argv[1]).glob("
    "'*.txt'))]\n"
    "print(sum(len(doc) for doc in nlp.pipe(texts, batch_size=32)))\n"
)


def write_texts(corpus: Path, count: int, folder: Path) -> int:
    from tocsin.evaluation.geoparse_corpora import read_corpus

    _, articles = read_corpus(corpus)
    chosen = [a.text for a in articles if a.text.strip()][:count]
    for number, text in enumerate(chosen):
        (folder / f"article-{number:03d}.txt").write_text(text, encoding="utf-8")
    return sum(len(t) for t in chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data"
                        / "geoparsing" / "GWN.xml")
    parser.add_argument("--count", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nice", type=int, default=10)
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "articles"
        folder.mkdir()
        chars = write_texts(args.texts, args.count, folder)
        bare = [sys.executable, "-c", BARE, str(folder)]
        runs: dict[str, list[dict[str, float]]] = {"bare": [], "tocsin": []}

        def tocsin(run: str) -> list[str]:
            return [sys.executable, "-m", "tocsin", "run", str(folder), "--db",
                    f"sqlite:///{work}/run-{run}.sqlite", "--published", "2020-01-01"]

        measure(bare, args.nice)  # warm-up
        measure(tocsin("warm-up"), args.nice)
        for run in range(args.runs):
            runs["bare"].append(measure(bare, args.nice))
            runs["tocsin"].append(measure(tocsin(str(run)), args.nice))
    medians = {side: {key: statistics.median(r[key] for r in rows)
                      for key in ("wall_s", "cpu_s", "peak_mb")}
               for side, rows in runs.items()}
    print(json.dumps({
        "texts": str(args.texts),
        "articles": args.count,
        "chars": chars,
        "runs": args.runs,
        "bare": medians["bare"],
        "tocsin": medians["tocsin"],
        "speed_ratio": round(medians["bare"]["wall_s"] / medians["tocsin"]["wall_s"], 3),
        "cpu_ratio": round(medians["bare"]["cpu_s"] / medians["tocsin"]["cpu_s"], 3),
        "every_run": runs,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
