"""The synthetic set of ``bench/fusion.py`` is frozen: the figures in BENCHMARKS (fusion's
pairwise precision/recall and the generator's ceiling, ``--oracle``) are measured on exactly
these mentions, so a change to the generator's code or seed must show here first."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # bench/ is a folder of the repository, not an installed package

from bench.fusion import generate, generate_in_order, oracle  # noqa: E402
from tocsin.fusion import MentionInput, pairwise_scores  # noqa: E402

# sha256 of the first 5,000 mentions of seed 7 (``_digest``), frozen on 2026-12-07.
FROZEN = "29e6bd7170ab0282aa366f287bf939b5195b4bb539cb7a322b5f46b1bd1099c2"


def _facts(item: MentionInput, label: str) -> str:
    m = item.mention
    place, date = m.location, m.date
    facts = (
        item.id, item.document_id, item.source, item.published, label, m.event,
        m.mode, m.acled, m.modality, m.confidence, m.counts.killed,
        [(a.text, a.country, a.sector) if a else None for a in (m.actor1, m.actor2)],
        place and (place.name, place.country, place.admin1, place.lat, place.lon,
                   place.precision),
        date and (date.start, date.end, date.precision), item.text_fingerprint,
    )  # fmt: skip
    return repr(facts)


def _digest(count: int, seed: int) -> str:
    items, gold = generate(count, 4.0, seed)
    digest = hashlib.sha256()
    for item in items:
        digest.update(_facts(item, gold[item.id]).encode())
    return digest.hexdigest()


def test_generator_code_and_seed_are_frozen() -> None:
    assert _digest(5000, 7) == FROZEN


def test_oracle_joins_no_two_events_and_is_the_ceiling_of_fusion() -> None:
    items, gold = generate(3000, 4.0, 7)
    scores = pairwise_scores(oracle(items, gold), gold)
    assert scores["precision"] == 1.0
    assert 0.9 < scores["recall"] < 1.0  # some reports of one event break the rules


def test_mentions_in_date_order_are_the_same_mentions() -> None:
    """``generate_in_order`` yields the multiset of ``generate`` (the same digest of each
    mention's facts), sorted by the start of the date window fusion gives each one."""
    from tocsin.fusion.profiles import build_profile
    from tocsin.fusion.rules import default_rules
    from tocsin.fusion.streaming import window_start

    items, gold = generate(5000, 4.0, 7)
    lazy = list(generate_in_order(5000, 4.0, 7))
    assert sorted(_facts(item, gold[item.id]) for item in items) == sorted(
        _facts(item, label) for item, label in lazy
    )
    starts = [window_start(build_profile(0, item, default_rules())) for item, _ in lazy]
    assert starts == sorted(starts)
