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
from typing import NamedTuple

from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.rules import FusionRules

Label = tuple[str, str, str]  # modality, family, country ("*": every country, "~": unplaced)
_EVERY = "*"
_UNPLACED = "~"


class LabelKey(NamedTuple):
    """What decides a mention's labels: its category, mode and modality, its place's country
    (None without a place or with a metonymic one; "" for a place of no country) and the
    countries its actors name. The store reads these columns alone to plan a fusion."""

    event: str
    mode: str | None
    modality: str
    place_country: str | None
    actor_countries: tuple[str, ...]


def label_key(item: MentionInput) -> LabelKey:
    """The label key of a fusion input."""
    mention = item.mention
    place = mention.location
    country = place.country if place is not None and not place.metonym else None
    actors = (mention.actor1, mention.actor2)
    named = tuple(sorted({a.country for a in actors if a is not None and a.country}))
    return LabelKey(mention.event, mention.mode, mention.modality, country, named)


def _labels(key: LabelKey, rules: FusionRules) -> list[Label]:
    family = rules.family(key.event, key.mode)
    modality = key.modality
    if family in rules.cross_border_families:
        return [(modality, family, _EVERY)]
    country = key.place_country
    if country:
        return [(modality, family, country)]
    if country is not None:  # an empty country: no border separates it from anything
        return [(modality, family, _EVERY)]
    named = sorted(set(key.actor_countries))
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


class LabelGroups:
    """The labels of a set of mentions merged into groups no compatible pair crosses, from
    their distinct label keys (every mention that fusion may reach: stored and pending). Two
    mentions whose keys fall in different groups are never compared, so neither are their
    components; ``tie`` merges the groups of mentions that must be fused together."""

    def __init__(self, keys: Iterable[LabelKey], rules: FusionRules) -> None:
        self.rules = rules
        self._merged = _Merged()
        self._first: dict[LabelKey, Label] = {}
        everywhere: set[tuple[str, str]] = set()
        for key in keys:
            labels = self._labels(key)
            if labels[0][2] == _EVERY:
                everywhere.add(labels[0][:2])
            self._merged.union(labels)
        for label in list(self._merged.parent):
            if label[:2] in everywhere:  # an unplaced mention naming no country
                self._merged.union([label, (label[0], label[1], _EVERY)])

    def _labels(self, key: LabelKey) -> list[Label]:
        labels = _labels(key, self.rules)
        self._first.setdefault(key, labels[0])
        return labels

    def tie(self, keys: Iterable[LabelKey]) -> None:
        """Put the groups of ``keys`` (keys given to the constructor) in one group."""
        labels = [self._first[k] for k in keys]
        if len(labels) > 1:
            self._merged.union(labels)

    def group(self, key: LabelKey) -> Label:
        """The group of a key given to the constructor (named by its smallest label)."""
        return self._merged.find(self._first[key])


def pack_groups(groups: Iterable[Sequence[str]], size: int) -> list[list[str]]:
    """Whole groups of mention ids packed into tasks of about ``size`` mentions (a group is
    never split): the largest group first, each into the task that holds the fewest mentions
    among those it fits in, so that the longest tasks start first; ids sorted in each task."""
    ordered = sorted((sorted(g) for g in groups if g), key=lambda g: (-len(g), g[0]))
    tasks: list[list[str]] = []
    for group in ordered:
        open_tasks = [t for t in tasks if len(t) + len(group) <= size]
        if open_tasks and len(group) < size:
            min(open_tasks, key=len).extend(group)
        else:
            tasks.append(list(group))
    return [sorted(t) for t in tasks]


def separate_groups(
    items: Mapping[str, MentionInput],
    rules: FusionRules,
    together: Iterable[Iterable[str]] = (),
    size: int = 5_000,
) -> list[list[str]]:
    """The mention ids of ``items`` in groups that fusion can fuse apart (each sorted), packed
    in a fixed order into groups of about ``size`` mentions (a group is never split).
    ``together``: sets of mention ids that must share a group (corrections, stored Events)."""
    key_of = {mention_id: label_key(item) for mention_id, item in items.items()}
    labels = LabelGroups(set(key_of.values()), rules)
    for members in together:
        labels.tie([key_of[m] for m in members if m in key_of])
    by_root: dict[Label, list[str]] = {}
    for mention_id, key in key_of.items():
        by_root.setdefault(labels.group(key), []).append(mention_id)
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
