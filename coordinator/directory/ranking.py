"""Pure ranking rules of the lookup: area scope, exactness score, staleness, boundaries.

No database and no Flask: everything here works on plain values and is tested without an app.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from coordinator.directory.models import AreaKind

if TYPE_CHECKING:
    from coordinator.directory.models import Area

# Area match kinds, with their weight in the score.
AREA_EXACT, AREA_DISTRICT, AREA_PART, AREA_CITY, AREA_ANY = (
    "exact",
    "stadsdeel",
    "deelgebied",
    "stad",
    "overal",
)
AREA_WEIGHT = {AREA_EXACT: 8, AREA_DISTRICT: 6, AREA_PART: 5, AREA_CITY: 4, AREA_ANY: 0}
GROUP_EXACT, GROUP_EVERYONE, GROUP_ANY = "exact", "iedereen", "alle"
GROUP_WEIGHT = {GROUP_EXACT: 2, GROUP_EVERYONE: 1, GROUP_ANY: 0}
LANGUAGE_WEIGHT = 3


@dataclass(frozen=True)
class AreaScope:
    """The queried area with the areas whose entries count, and how exactly."""

    area: Area | None
    #: area id → match kind.
    kinds: dict[int, str]


def score(area_match: str, group_match: str, language_match: bool | None) -> int:
    """Higher is a more exact match (pure)."""
    return (
        AREA_WEIGHT[area_match]
        + GROUP_WEIGHT[group_match]
        + (LANGUAGE_WEIGHT if language_match else 0)
    )


def is_stale(verified_at: datetime | None, now: datetime, stale_after_days: int) -> bool:
    """Not verified at all, or longer ago than the limit (pure)."""
    return verified_at is None or verified_at < now - timedelta(days=stale_after_days)


def area_scope(area: Area | None, all_areas: list[Area]) -> AreaScope:
    """Which areas count for ``area``: itself, its ancestors and, below a stadsdeel or wijk,
    its descendants (pure)."""
    if area is None:
        return AreaScope(None, {})
    by_id = {a.id: a for a in all_areas}
    children: dict[int, list[int]] = defaultdict(list)
    for a in all_areas:
        if a.parent_id is not None:
            children[a.parent_id].append(a.id)
    kinds = {area.id: AREA_EXACT}
    parent_id = area.parent_id
    while parent_id is not None and parent_id not in kinds:
        parent = by_id[parent_id]
        kinds[parent.id] = AREA_CITY if parent.kind == AreaKind.CITY else AREA_DISTRICT
        parent_id = parent.parent_id
    # A stadsdeel also covers its wijken; the city does not pull in every wijk of the city
    # (that would be the whole directory), only what is citywide.
    stack = list(children[area.id]) if area.kind != AreaKind.CITY else []
    while stack:
        child_id = stack.pop()
        if child_id not in kinds:
            kinds[child_id] = AREA_PART
            stack.extend(children[child_id])
    return AreaScope(area, kinds)


def best(kinds: list[str], weights: dict[str, int]) -> str:
    return max(kinds, key=lambda k: weights[k])


@dataclass
class Scored:
    id: int
    organisation_id: int
    role_id: int | None
    handles: bool
    area_match: str
    group_match: str
    language_match: bool | None

    @property
    def score(self) -> int:
        return score(self.area_match, self.group_match, self.language_match)


def apply_boundaries(scored: list[Scored]) -> list[Scored]:
    """Drop "handles" rows overruled by an equally or more specific "does not handle" (pure)."""
    # Without a target group in the question a refusal covers only some groups: show both.
    refusals = [s for s in scored if not s.handles and s.group_match != GROUP_ANY]
    kept = []
    for s in scored:
        if s.handles and any(
            n.organisation_id == s.organisation_id
            and (n.role_id is None or n.role_id == s.role_id)
            and GROUP_WEIGHT[n.group_match] >= GROUP_WEIGHT[s.group_match]
            for n in refusals
        ):
            continue
        kept.append(s)
    return kept
