"""The lookup's database side: candidate rows, scoring inputs and loading what is shown.

Every function issues a fixed number of queries regardless of data size; see
:mod:`coordinator.directory.lookup` for the rules and :mod:`.ranking` for the scoring.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coordinator.directory.models import (
    Area,
    Assignment,
    Organisation,
    Person,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
    responsibility_areas,
    responsibility_target_groups,
    responsibility_topics,
)
from coordinator.directory.ranking import (
    AREA_ANY,
    AREA_CITY,
    AREA_WEIGHT,
    GROUP_ANY,
    GROUP_EVERYONE,
    GROUP_EXACT,
    GROUP_WEIGHT,
    AreaScope,
    Scored,
)
from coordinator.directory.visibility import Viewer, organisation_clause
from coordinator.extensions import db

_AREA_BY_WEIGHT = {weight: kind for kind, weight in AREA_WEIGHT.items()}
_GROUP_BY_WEIGHT = {weight: kind for kind, weight in GROUP_WEIGHT.items()}


class Candidates:
    """Plain, already scored rows for one question (one query), before any ORM loading.

    Each row carries the best area weight and target-group weight of its links, computed in
    SQL through the association tables' primary keys (one index probe per candidate).
    """

    def __init__(
        self,
        topic_ids: list[int],
        group: TargetGroup | None,
        everyone_id: int | None,
        scope: AreaScope,
        viewer: Viewer,
        today: date,
        *,
        with_languages: bool = True,
    ) -> None:
        self.scope = scope
        self.group = group
        r = Responsibility
        rt, rtg, ra = responsibility_topics, responsibility_target_groups, responsibility_areas
        topic_match = rt.c.topic_id.in_(topic_ids)
        area_weight: sa.ColumnElement[Any] = sa.null()
        group_weight: sa.ColumnElement[Any] = sa.null()
        if scope.area is not None:
            # Driven by the area index joined to the topic index (both covering), plus the
            # few entries without any area (citywide); never a scan of all responsibilities.
            ids = sa.union(
                sa.select(ra.c.responsibility_id)
                .join(rt, sa.and_(rt.c.responsibility_id == ra.c.responsibility_id, topic_match))
                .where(ra.c.area_id.in_(list(scope.kinds))),
                sa.select(rt.c.responsibility_id).where(
                    topic_match,
                    ~sa.exists().where(ra.c.responsibility_id == rt.c.responsibility_id),
                ),
            )
            weights = {area_id: AREA_WEIGHT[kind] for area_id, kind in scope.kinds.items()}
            area_weight = (
                sa.select(sa.func.max(sa.case(weights, value=ra.c.area_id)))
                .where(ra.c.responsibility_id == r.id, ra.c.area_id.in_(list(scope.kinds)))
                .scalar_subquery()
            )
        else:
            ids = sa.select(rt.c.responsibility_id).where(topic_match)
        if group is not None:
            group_ids = [group.id] + ([everyone_id] if everyone_id else [])
            group_weight = (
                sa.select(
                    sa.func.max(
                        sa.case(
                            (rtg.c.target_group_id == group.id, GROUP_WEIGHT[GROUP_EXACT]),
                            else_=GROUP_WEIGHT[GROUP_EVERYONE],
                        )
                    )
                )
                .where(rtg.c.responsibility_id == r.id, rtg.c.target_group_id.in_(group_ids))
                .scalar_subquery()
            )
        stmt = (
            sa.select(
                r.id,
                r.organisation_id,
                r.role_id,
                r.handles,
                r.language_codes if with_languages else sa.null().label("language_codes"),
                area_weight.label("area_weight"),
                group_weight.label("group_weight"),
            )
            .join(Organisation, Organisation.id == r.organisation_id)
            .where(
                r.id.in_(ids),
                sa.or_(r.valid_from.is_(None), r.valid_from <= today),
                sa.or_(r.valid_until.is_(None), r.valid_until >= today),
                organisation_clause(viewer),
            )
        )
        if group is not None:
            stmt = stmt.where(
                sa.or_(
                    group_weight.is_not(None),
                    ~sa.exists().where(rtg.c.responsibility_id == r.id),
                )
            )
        self.rows = db.session.execute(stmt).all()

    def area_match(self, row: sa.Row[Any]) -> str:
        if self.scope.area is None:
            return AREA_ANY
        if row.area_weight is None:  # no areas at all: citywide
            return AREA_CITY
        return _AREA_BY_WEIGHT[row.area_weight]

    def group_match(self, row: sa.Row[Any]) -> str:
        if self.group is None:
            return GROUP_ANY
        if row.group_weight is None:  # no target groups at all: iedereen
            return GROUP_EVERYONE
        return _GROUP_BY_WEIGHT[row.group_weight]


def holder_languages(role_ids: set[int], today: date) -> dict[int, set[str]]:
    """Languages spoken by each role's current holders (one query)."""
    if not role_ids:
        return {}
    rows = db.session.execute(
        sa.select(Assignment.role_id, Person.language_codes)
        .join(Person, Person.id == Assignment.person_id)
        .where(
            Assignment.role_id.in_(role_ids),
            Assignment.starts_on <= today,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= today),
        )
    )
    spoken: dict[int, set[str]] = defaultdict(set)
    for role_id, codes in rows:
        spoken[role_id].update(codes or [])
    return spoken


def score_rows(cands: Candidates, language: str | None, today: date) -> list[Scored]:
    spoken = (
        holder_languages({row.role_id for row in cands.rows if row.role_id}, today)
        if language
        else {}
    )
    scored = []
    for row in cands.rows:
        language_match = None
        if language:
            language_match = language in (row.language_codes or []) or language in spoken.get(
                row.role_id, set()
            )
        scored.append(
            Scored(
                row.id,
                row.organisation_id,
                row.role_id,
                row.handles,
                cands.area_match(row),
                cands.group_match(row),
                language_match,
            )
        )
    return scored


def taxonomy_links(
    ids: list[int], table: sa.Table, column: str, model: type[Any]
) -> dict[int, list[Any]]:
    """Responsibility id → linked taxonomy objects, from one pair query.

    The pairs come first; the taxonomy objects they name are taken from the session's
    identity map, and only those it does not hold yet are loaded (taxonomies are small and
    shared by every answer). This avoids an ORM join per collection for every entry shown.
    """
    pairs = db.session.execute(
        sa.select(table.c.responsibility_id, table.c[column]).where(
            table.c.responsibility_id.in_(ids)
        )
    ).all()
    mapper = sa.inspect(model)
    by_id: dict[int, Any] = {}
    for target_id in {target for _rid, target in pairs}:
        held = db.session.identity_map.get(mapper.identity_key_from_primary_key([target_id]))
        if held is not None:
            by_id[target_id] = held
    missing = {target for _rid, target in pairs} - by_id.keys()
    if missing:
        by_id |= {
            o.id: o for o in db.session.scalars(sa.select(model).where(model.id.in_(missing)))
        }
    links: dict[int, list[Any]] = defaultdict(list)
    for rid, target_id in pairs:
        links[rid].append(by_id[target_id])
    return links


def load_entries(ids: list[int]) -> dict[int, Responsibility]:
    """The entries to show, with organisation, role, holders and taxonomies in a few queries."""
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Responsibility)
        .where(Responsibility.id.in_(ids))
        .options(
            joinedload(Responsibility.organisation),
            selectinload(Responsibility.role)
            .selectinload(Role.assignments)
            .joinedload(Assignment.person)
            .joinedload(Person.organisation),
        )
    ).unique()
    loaded = {r.id: r for r in rows}
    for attribute, table, column, model, order in (
        ("topics", responsibility_topics, "topic_id", Topic, lambda t: (t.position, t.id)),
        (
            "target_groups",
            responsibility_target_groups,
            "target_group_id",
            TargetGroup,
            lambda g: (g.position, g.id),
        ),
        ("areas", responsibility_areas, "area_id", Area, lambda a: (a.name, a.id)),
    ):
        links = taxonomy_links(ids, table, column, model)
        for rid, resp in loaded.items():
            set_committed_value(resp, attribute, sorted(links.get(rid, []), key=order))
    return loaded
