"""Blocks of the store: which stored mentions a new mention must be compared with.

The pairs fusion compares are chosen by ``tocsin.fusion.candidates`` (finer keys, swept in time);
these coarser blocks index stored mentions so that the store can load, for new mentions, every
stored mention that could fuse with them. A mention is filed under (modality, country, family,
time bucket) for every bucket its date window covers. An unplaced mention (no place, or a place of
unknown country) is filed under its actors' countries, which need not be where the event happened
("Russian jets bombed ..." in Syria), so it also wants every mention of its modality, family and
time bucket (the block of any country, ``ANY_COUNTRY``); so does a mention of a family that
crosses borders (``cross_border_families``). Mentions too vague in time (no window) have no
block. Two mentions that ``compare`` could accept always share a block: ``filed_blocks`` are the
keys the store files a mention under, ``wanted_blocks`` those whose stored mentions a new mention
loads.
"""

from __future__ import annotations

from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules

ANY_COUNTRY = "*"  # every mention of a modality, family and time bucket
UNPLACED = "~"  # the roaming mentions (unplaced, or crossing borders) of a modality, family, bucket

Block = tuple[str, str, str, int]  # modality, country (or ANY_COUNTRY/UNPLACED), family, bucket


def roaming(p: Profile, rules: FusionRules) -> bool:
    """The mention must meet mentions of every country: it has no place country, or its family
    crosses borders (a flight placed where people arrived)."""
    return p.place_country is None or p.family in rules.cross_border_families


def _buckets(p: Profile, rules: FusionRules) -> range:
    assert p.start is not None and p.end is not None
    return range(p.start // rules.bucket_days, p.end // rules.bucket_days + 1)


def filed_blocks(p: Profile, rules: FusionRules) -> list[Block]:
    """The blocks a mention is filed under (none without a date window)."""
    if p.start is None or p.end is None:
        return []
    countries = [*p.block_countries, ANY_COUNTRY] + ([UNPLACED] if roaming(p, rules) else [])
    return [(p.modality, c, p.family, b) for c in countries for b in _buckets(p, rules)]


def wanted_blocks(p: Profile, rules: FusionRules) -> list[Block]:
    """The blocks whose mentions a new mention must be compared with."""
    if p.start is None or p.end is None:
        return []
    countries = [ANY_COUNTRY] if roaming(p, rules) else [*p.block_countries, UNPLACED]
    return [(p.modality, c, p.family, b) for c in countries for b in _buckets(p, rules)]
