"""Which mentions fusion can fuse apart: groups no compatible pair, correction or stored Event
crosses.

``compare`` never accepts two mentions of another modality or type family, nor two placed
mentions of two countries unless their family crosses borders; a mention without a place country
meets only the countries its actors name (every country when they name none) and the other
unplaced mentions. So each mention gets a *label* — (modality, family, place country), the whole
(modality, family) for families that cross borders — and the labels a mention may join are
merged: an unplaced mention merges its actors' countries with the family's unplaced label, or
the whole family. Corrections and stored Events merge the labels of their mentions too. The
groups of merged labels hold whole components, so fusing each apart gives the Events of fusing
them all at once (``tocsin.distributed.fusion_tasks`` sends each to a worker).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.rules import FusionRules

Label = tuple[str, str, str]  # modality, family, country ("*": every country, "~": unplaced)
_EVERY = "*"
_UNPLACED = "~"


def _labels(item: MentionInput, rules: FusionRules) -> list[Label]:
    mention = item.mention
    family = rules.family(mention.event, mention.mode)
    modality = mention.modality
    if family in rules.cross_border_families:
        return [(modality, family, _EVERY)]
    place = mention.location
    country = place.country if place is not None and not place.metonym else None
    if country:
        return [(modality, family, country)]
    if country is not None:  # an empty country: no border separates it from anything
        return [(modality, family, _EVERY)]
    named = sorted(
        {a.country for a in (mention.actor1, mention.actor2) if a is not None and a.country}
    )
    if not named:
        return [(modality, family, _EVERY)]
    return [(modality, family, _UNPLACED)] + [(modality, family, c) for c in named]


class _Merged:
    def __init__(self) -> None:
        self.parent: dict[Label, Label] = {}

    def find(self, x: Label) -> Label:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, labels: Sequence[Label]) -> None:
        roots = sorted({self.find(x) for x in labels})
        for other in roots[1:]:
            self.parent[other] = roots[0]


def separate_groups(
    items: Mapping[str, MentionInput],
    rules: FusionRules,
    together: Iterable[Iterable[str]] = (),
    size: int = 5_000,
) -> list[list[str]]:
    """The mention ids of ``items`` in groups that fusion can fuse apart (each sorted), packed
    in a fixed order into groups of about ``size`` mentions (a group is never split).
    ``together``: sets of mention ids that must share a group (corrections, stored Events)."""
    merged = _Merged()
    label_of: dict[str, Label] = {}
    families_everywhere: set[tuple[str, str]] = set()
    for mention_id, item in items.items():
        labels = _labels(item, rules)
        if labels[0][2] == _EVERY:
            families_everywhere.add(labels[0][:2])
        merged.union(labels)
        label_of[mention_id] = labels[0]
    for label in list(merged.parent):
        if label[:2] in families_everywhere:  # an unplaced mention naming no country
            merged.union([label, (label[0], label[1], _EVERY)])
    for members in together:
        labels = [label_of[m] for m in members if m in label_of]
        if len(labels) > 1:
            merged.union(labels)
    by_root: dict[Label, list[str]] = {}
    for mention_id, label in label_of.items():
        by_root.setdefault(merged.find(label), []).append(mention_id)
    groups: list[list[str]] = []
    current: list[str] = []
    for root in sorted(by_root):
        current.extend(by_root[root])
        if len(current) >= size:
            groups.append(sorted(current))
            current = []
    if current:
        groups.append(sorted(current))
    return groups
