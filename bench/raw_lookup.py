"""The "wie doet wat?" answer computed with hand-written SQL: the benchmark's baseline.

Same question as :func:`coordinator.directory.lookup.lookup`: responsibilities for a topic and a
target group (or "iedereen") in an area or any area above it (wijk → stadsdeel → stad), valid
today; ranked by how exactly they match (area distance, exact target group, language), with the
current holders of the role and the functional contact. Visibility is not applied (the benchmark
reads as a beheerder). Two round trips: the ranked responsibilities, then the holders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

STALE_AFTER = timedelta(days=183)

RESPONSIBILITIES = sa.text(
    """
    WITH RECURSIVE lineage(id, depth) AS (
        SELECT id, 0 FROM areas WHERE slug = :area
        UNION ALL
        SELECT a.parent_id, l.depth + 1
        FROM areas a JOIN lineage l ON a.id = l.id
        WHERE a.parent_id IS NOT NULL
    ),
    matches AS (
        SELECT ra.responsibility_id AS id, MIN(l.depth) AS depth
        FROM responsibility_areas ra JOIN lineage l ON l.id = ra.area_id
        GROUP BY ra.responsibility_id
    )
    SELECT r.id, r.handles, r.summary, r.reason, r.referral_tips, r.opening_hours,
           r.language_codes, r.waiting_time, r.verified_at, r.role_id,
           o.id AS organisation_id, o.name AS organisation, o.email AS org_email,
           o.phone AS org_phone, ro.name AS role, ro.email AS role_email, ro.phone AS role_phone,
           m.depth,
           EXISTS (
               SELECT 1 FROM responsibility_target_groups rg
               JOIN target_groups tg ON tg.id = rg.target_group_id
               WHERE rg.responsibility_id = r.id AND tg.slug = :group
           ) AS exact_group
    FROM matches m
    JOIN responsibilities r ON r.id = m.id
    JOIN organisations o ON o.id = r.organisation_id
    LEFT JOIN roles ro ON ro.id = r.role_id
    WHERE EXISTS (
            SELECT 1 FROM responsibility_topics rt JOIN topics t ON t.id = rt.topic_id
            WHERE rt.responsibility_id = r.id AND t.slug = :topic)
      AND EXISTS (
            SELECT 1 FROM responsibility_target_groups rg
            JOIN target_groups tg ON tg.id = rg.target_group_id
            WHERE rg.responsibility_id = r.id AND tg.slug IN (:group, 'iedereen'))
      AND (r.valid_from IS NULL OR r.valid_from <= :today)
      AND (r.valid_until IS NULL OR r.valid_until >= :today)
    """
)

HOLDERS = sa.text(
    """
    SELECT a.role_id, p.name, p.email, p.phone, p.language_codes
    FROM assignments a JOIN people p ON p.id = a.person_id
    WHERE a.role_id IN :role_ids
      AND a.starts_on <= :today AND (a.ends_on IS NULL OR a.ends_on >= :today)
      AND p.erased_at IS NULL
    ORDER BY p.name
    """
).bindparams(sa.bindparam("role_ids", expanding=True))


@dataclass
class Entry:
    id: int
    organisation: str
    role: str | None
    handles: bool
    depth: int
    exact_group: bool
    language_match: bool
    reason: str
    contact: str | None
    possibly_outdated: bool
    holders: list[dict] = field(default_factory=list)

    def rank(self) -> tuple:
        return (
            self.depth,
            not self.exact_group,
            not self.language_match,
            self.organisation,
            self.id,
        )


def _codes(value: object) -> list[str]:
    if isinstance(value, str):
        return json.loads(value)
    return list(value or [])


def _instant(value: object) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value  # type: ignore[return-value]


def raw_lookup(
    connection: Connection,
    *,
    topic: str,
    target_group: str,
    area: str,
    language: str | None = None,
    today: date,
) -> dict[str, list[Entry]]:
    """``{"handles": [...], "does_not_handle": [...]}``, each ranked most exact first."""
    rows = (
        connection.execute(
            RESPONSIBILITIES, {"area": area, "topic": topic, "group": target_group, "today": today}
        )
        .mappings()
        .all()
    )
    role_ids = sorted({row["role_id"] for row in rows if row["role_id"] is not None})
    holders: dict[int, list[dict]] = {}
    if role_ids:
        for h in connection.execute(HOLDERS, {"role_ids": role_ids, "today": today}).mappings():
            holders.setdefault(h["role_id"], []).append(dict(h))
    stale_before = datetime.combine(today, datetime.min.time()) - STALE_AFTER
    answer: dict[str, list[Entry]] = {"handles": [], "does_not_handle": []}
    for row in rows:
        role_holders = holders.get(row["role_id"], [])
        spoken = set(_codes(row["language_codes"]))
        for h in role_holders:
            spoken.update(_codes(h["language_codes"]))
        verified = _instant(row["verified_at"])
        entry = Entry(
            id=row["id"],
            organisation=row["organisation"],
            role=row["role"],
            handles=bool(row["handles"]),
            depth=row["depth"],
            exact_group=bool(row["exact_group"]),
            language_match=language is None or language in spoken,
            reason=row["reason"],
            contact=row["role_email"] or row["org_email"],
            possibly_outdated=verified is None or verified.replace(tzinfo=None) < stale_before,
            holders=role_holders,
        )
        answer["handles" if entry.handles else "does_not_handle"].append(entry)
    for entries in answer.values():
        entries.sort(key=Entry.rank)
    return answer
