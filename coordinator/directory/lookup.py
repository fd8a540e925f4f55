"""The "Wie doet wat?" lookup: who handles a topic for a target group in an area, and who not.

Matching rules:

* **Area**: a wijk includes its stadsdeel and citywide entries; a stadsdeel also includes the
  wijken below it. A responsibility without areas counts as citywide.
* **Target group**: exact, or "iedereen" (:data:`EVERYONE_SLUG`) or none (counts as iedereen).
* **Language** (optional) ranks, it does not filter: the entry or a current holder speaks it.
* **Boundaries win**: an organisation's explicit "does not handle" for this question hides its
  broader "handles" entries (same role or organisation-wide) with a less specific target group.
  That is how "huisvesting, ongedocumenteerden, Zuidoost" shows the buurtteam under
  *does not handle* with its BSN reason instead of under *handles*.
* **Ranking** by :func:`score`: area exactness first, then language, then target group.
* Entries not verified within ``STALE_AFTER_DAYS`` are flagged ``stale``.

An empty answer carries alternatives (the same question elsewhere, neighbouring topics of the
same cluster) and the area's coordinators.

Cost: a fixed handful of queries whatever the data size: taxonomy resolution, one filtered
query over the indexed association tables returning plain rows, two small tuple queries for
scoring, then ORM loading of only the top entries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coordinator.db import now_utc
from coordinator.directory.models import (
    Area,
    AreaKind,
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
from coordinator.directory.visibility import (
    Viewer,
    organisation_clause,
    person_contact_visible,
    person_listed,
    role_visible,
)
from coordinator.errors import DomainError, NotFound
from coordinator.extensions import db

#: Slug of the target group that means "everyone".
EVERYONE_SLUG = "iedereen"
#: At most this many entries per list in one answer.
MAX_RESULTS = 25
MAX_ALTERNATIVES = 5

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
class LookupQuery:
    """The question, as slugs (as in the UI form and the API)."""

    topic: str
    target_group: str | None = None
    area: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class AreaScope:
    """The queried area with the areas whose entries count, and how exactly."""

    area: Area | None
    #: area id → match kind.
    kinds: dict[int, str]


@dataclass
class Match:
    """One entry in the answer, with what the viewer may see of it."""

    responsibility: Responsibility
    area_match: str
    group_match: str
    language_match: bool | None
    stale: bool
    role_shown: bool
    holders: list[Person] = field(default_factory=list)
    holder_contacts: set[int] = field(default_factory=set)

    @property
    def score(self) -> int:
        return score(self.area_match, self.group_match, self.language_match)

    @property
    def organisation(self) -> Organisation:
        return self.responsibility.organisation

    @property
    def role(self) -> Role | None:
        return self.responsibility.role if self.role_shown else None

    @property
    def vacant(self) -> bool:
        return self.role is not None and not self.holders


@dataclass
class Alternative:
    """A suggestion for an empty answer and why it is suggested."""

    reason: str
    match: Match


@dataclass
class LookupResult:
    topic: Topic
    target_group: TargetGroup | None
    area: Area | None
    language: str | None
    handles: list[Match]
    does_not_handle: list[Match]
    alternatives: list[Alternative] = field(default_factory=list)
    coordinators: list[Person] = field(default_factory=list)
    coordinator_contacts: set[int] = field(default_factory=set)
    #: How many entries matched before the list was cut to ``limit``.
    handles_total: int = 0
    does_not_handle_total: int = 0

    @property
    def empty(self) -> bool:
        return not self.handles


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
    """Which areas count for ``area``: itself, its ancestors and its descendants (pure)."""
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
    stack = list(children[area.id])
    while stack:
        child_id = stack.pop()
        if child_id not in kinds:
            kinds[child_id] = AREA_PART
            stack.extend(children[child_id])
    return AreaScope(area, kinds)


def _best(kinds: list[str], weights: dict[str, int]) -> str:
    return max(kinds, key=lambda k: weights[k])


class _Candidates:
    """Plain rows for one question, scored before any ORM loading."""

    def __init__(
        self,
        topic_ids: list[int],
        group: TargetGroup | None,
        everyone_id: int | None,
        scope: AreaScope,
        viewer: Viewer,
        today: date,
    ) -> None:
        self.scope = scope
        self.group = group
        self.everyone_id = everyone_id
        r = Responsibility
        rt, rtg, ra = responsibility_topics, responsibility_target_groups, responsibility_areas
        topic_match = rt.c.topic_id.in_(topic_ids)
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
        else:
            ids = sa.select(rt.c.responsibility_id).where(topic_match)
        stmt = (
            sa.select(r.id, r.organisation_id, r.role_id, r.handles, r.language_codes)
            .join(Organisation, Organisation.id == r.organisation_id)
            .where(
                r.id.in_(ids),
                sa.or_(r.valid_from.is_(None), r.valid_from <= today),
                sa.or_(r.valid_until.is_(None), r.valid_until >= today),
                organisation_clause(viewer),
            )
        )
        if group is not None:
            group_ids = [group.id] + ([everyone_id] if everyone_id else [])
            stmt = stmt.where(
                sa.or_(
                    sa.exists().where(
                        rtg.c.responsibility_id == r.id, rtg.c.target_group_id.in_(group_ids)
                    ),
                    ~sa.exists().where(rtg.c.responsibility_id == r.id),
                )
            )
        self.rows = db.session.execute(stmt).all()
        ids = [row.id for row in self.rows]
        self.area_kinds: dict[int, list[str]] = defaultdict(list)
        self.group_kinds: dict[int, list[str]] = defaultdict(list)
        if ids and scope.area is not None:
            for rid, area_id in db.session.execute(
                sa.select(ra.c.responsibility_id, ra.c.area_id).where(
                    ra.c.responsibility_id.in_(ids), ra.c.area_id.in_(list(scope.kinds))
                )
            ):
                self.area_kinds[rid].append(scope.kinds[area_id])
        if ids and group is not None:
            for rid, group_id in db.session.execute(
                sa.select(rtg.c.responsibility_id, rtg.c.target_group_id).where(
                    rtg.c.responsibility_id.in_(ids),
                    rtg.c.target_group_id.in_([group.id, everyone_id or -1]),
                )
            ):
                self.group_kinds[rid].append(
                    GROUP_EXACT if group_id == group.id else GROUP_EVERYONE
                )

    def area_match(self, rid: int) -> str:
        if self.scope.area is None:
            return AREA_ANY
        return _best(self.area_kinds.get(rid) or [AREA_CITY], AREA_WEIGHT)

    def group_match(self, rid: int) -> str:
        if self.group is None:
            return GROUP_ANY
        return _best(self.group_kinds.get(rid) or [GROUP_EVERYONE], GROUP_WEIGHT)


def _holder_languages(role_ids: set[int], today: date) -> dict[int, set[str]]:
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


@dataclass
class _Scored:
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


def apply_boundaries(scored: list[_Scored]) -> list[_Scored]:
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


def _score_rows(cands: _Candidates, language: str | None, today: date) -> list[_Scored]:
    spoken = (
        _holder_languages({row.role_id for row in cands.rows if row.role_id}, today)
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
            _Scored(
                row.id,
                row.organisation_id,
                row.role_id,
                row.handles,
                cands.area_match(row.id),
                cands.group_match(row.id),
                language_match,
            )
        )
    return scored


def _taxonomy_links(
    ids: list[int], table: sa.Table, column: str, model: type[Any]
) -> dict[int, list[Any]]:
    """Responsibility id → linked taxonomy objects, from one pair query.

    Taxonomies are small, so all their rows come from (or go into) the identity map at once;
    this avoids an ORM join per collection for every entry shown.
    """
    by_id = {obj.id: obj for obj in db.session.scalars(sa.select(model))}
    links: dict[int, list[Any]] = defaultdict(list)
    for rid, target_id in db.session.execute(
        sa.select(table.c.responsibility_id, table.c[column]).where(
            table.c.responsibility_id.in_(ids)
        )
    ):
        links[rid].append(by_id[target_id])
    return links


def _load(ids: list[int]) -> dict[int, Responsibility]:
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
        links = _taxonomy_links(ids, table, column, model)
        for rid, resp in loaded.items():
            set_committed_value(resp, attribute, sorted(links.get(rid, []), key=order))
    return loaded


def _matches(
    groups: list[list[_Scored]], viewer: Viewer, today: date, limit: int = MAX_RESULTS
) -> list[list[Match]]:
    """Rank each list, keep its top ``limit``, and load all of them in one go."""
    ranked = [sorted(scored, key=lambda s: -s.score)[:limit] for scored in groups]
    loaded = _load([s.id for group in ranked for s in group])
    now = now_utc()
    stale_days = int(current_app.config["STALE_AFTER_DAYS"])
    answers = []
    for group in ranked:
        result = []
        for s in group:
            resp = loaded[s.id]
            role_shown = resp.role is not None and role_visible(resp.role, viewer)
            holders: list[Person] = []
            contacts: set[int] = set()
            if role_shown:
                for assignment in resp.role.assignments:
                    person = assignment.person
                    if assignment.is_current(today) and person_listed(person, viewer):
                        holders.append(person)
                        if person_contact_visible(person, viewer):
                            contacts.add(person.id)
            result.append(
                Match(
                    resp,
                    s.area_match,
                    s.group_match,
                    s.language_match,
                    is_stale(resp.verified_at, now, stale_days),
                    role_shown,
                    holders,
                    contacts,
                )
            )
        result.sort(key=lambda m: (-m.score, m.organisation.name.lower(), m.responsibility.id))
        answers.append(result)
    return answers


def _coordinators(scope: AreaScope, viewer: Viewer) -> tuple[list[Person], set[int]]:
    from coordinator.auth.models import AccountRole, User, coordinator_areas

    if scope.area is None:
        return [], set()
    area_ids = [aid for aid, kind in scope.kinds.items() if kind != AREA_PART]
    people = db.session.scalars(
        sa.select(Person)
        .join(User, User.person_id == Person.id)
        .join(coordinator_areas, coordinator_areas.c.user_id == User.id)
        .where(
            coordinator_areas.c.area_id.in_(area_ids),
            User.role == AccountRole.COORDINATOR,
            User.disabled_at.is_(None),
            Person.left_on.is_(None),
        )
        .options(joinedload(Person.organisation))
        .order_by(Person.name)
    ).unique()
    listed = [p for p in people if person_listed(p, viewer)]
    return listed, {p.id for p in listed if person_contact_visible(p, viewer)}


def lookup(
    query: LookupQuery,
    viewer: Viewer,
    *,
    today: date | None = None,
    limit: int = MAX_RESULTS,
) -> LookupResult:
    """Answer "who handles this, here, for this group" for ``viewer``.

    :param limit: at most this many entries per list (best first); totals are reported.
    """
    day = today or date.today()  # noqa: DTZ011 - a calendar day
    if not query.topic:
        raise DomainError(_("Kies een thema."), field="topic")
    topic = db.session.scalar(sa.select(Topic).where(Topic.slug == query.topic))
    if topic is None:
        raise NotFound(_("Onbekend thema: %(slug)s.", slug=query.topic), field="topic")
    groups = {
        g.slug: g
        for g in db.session.scalars(
            sa.select(TargetGroup).where(
                TargetGroup.slug.in_([query.target_group or EVERYONE_SLUG, EVERYONE_SLUG])
            )
        )
    }
    group = groups.get(query.target_group) if query.target_group else None
    if query.target_group and group is None:
        raise NotFound(
            _("Onbekende doelgroep: %(slug)s.", slug=query.target_group), field="target_group"
        )
    everyone_id = groups[EVERYONE_SLUG].id if EVERYONE_SLUG in groups else None
    area = None
    all_areas: list[Area] = []
    if query.area:
        # Areas are few (stadsdelen and wijken): one query gives the slug and the hierarchy.
        all_areas = list(db.session.scalars(sa.select(Area)))
        area = next((a for a in all_areas if a.slug == query.area), None)
        if area is None:
            raise NotFound(_("Onbekend gebied: %(slug)s.", slug=query.area), field="area")
    language = (query.language or "").strip().lower() or None
    scope = area_scope(area, all_areas)

    cands = _Candidates([topic.id], group, everyone_id, scope, viewer, day)
    scored = apply_boundaries(_score_rows(cands, language, day))
    helping = [s for s in scored if s.handles]
    refusing = [s for s in scored if not s.handles]
    handles, refusals = _matches([helping, refusing], viewer, day, limit)
    result = LookupResult(
        topic=topic,
        target_group=group,
        area=area,
        language=language,
        handles=handles,
        does_not_handle=refusals,
        handles_total=len(helping),
        does_not_handle_total=len(refusing),
    )
    if result.empty:
        result.alternatives = _alternatives(
            topic, group, everyone_id, scope, all_areas, viewer, language, day
        )
        result.coordinators, result.coordinator_contacts = _coordinators(scope, viewer)
    return result


def _district_of(scope: AreaScope) -> Area | None:
    """The stadsdeel of the queried area (itself when it is one)."""
    node: Area | None = scope.area
    while node is not None and node.kind != AreaKind.DISTRICT:
        node = node.parent
    return node


def _alternatives(
    topic: Topic,
    group: TargetGroup | None,
    everyone_id: int | None,
    scope: AreaScope,
    all_areas: list[Area],
    viewer: Viewer,
    language: str | None,
    today: date,
) -> list[Alternative]:
    """The nearest help for an empty answer: elsewhere in the city, then neighbouring topics."""
    alternatives: list[Alternative] = []
    if scope.area is not None:
        # Nearest first: elsewhere in the same stadsdeel (sibling wijken), then the city.
        tiers = [AreaScope(None, {})]
        district = _district_of(scope)
        if district is not None and district.id != scope.area.id:
            tiers.insert(0, area_scope(district, all_areas))
        seen: set[int] = set()
        for tier in tiers:
            elsewhere = _Candidates([topic.id], group, everyone_id, tier, viewer, today)
            scored = [
                s
                for s in apply_boundaries(_score_rows(elsewhere, language, today))
                if s.handles and s.id not in seen
            ]
            room = MAX_ALTERNATIVES - len(seen)
            if room <= 0:
                break
            for m in _matches([scored], viewer, today, room)[0]:
                seen.add(m.responsibility.id)
                alternatives.append(Alternative(_("Zelfde vraag, in een ander gebied"), m))
    if topic.cluster:
        neighbour_ids = list(
            db.session.scalars(
                sa.select(Topic.id).where(Topic.cluster == topic.cluster, Topic.id != topic.id)
            )
        )
        scored = []
        for neighbour_id in neighbour_ids:  # boundaries apply per topic
            near = _Candidates([neighbour_id], group, everyone_id, scope, viewer, today)
            scored += [s for s in apply_boundaries(_score_rows(near, language, today)) if s.handles]
        alternatives += [
            Alternative(_("Verwant thema"), m)
            for m in _matches([scored], viewer, today, MAX_ALTERNATIVES)[0]
        ]
    return alternatives
