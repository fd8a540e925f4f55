"""The "Wie doet wat?" lookup: who handles a topic for a target group in an area, and who not.

Matching rules:

* **Area**: a wijk includes its stadsdeel and citywide entries; a stadsdeel also includes the
  wijken below it; asking for the whole city gives the citywide entries. A responsibility
  without areas counts as citywide.
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

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from coordinator.db import now_utc
from coordinator.directory.candidates import Candidates, load_entries, score_rows
from coordinator.directory.models import (
    Area,
    AreaKind,
    Organisation,
    Person,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
)
from coordinator.directory.ranking import (
    AREA_PART,
    AreaScope,
    Scored,
    apply_boundaries,
    area_scope,
    is_stale,
    score,
)
from coordinator.directory.visibility import (
    Viewer,
    person_contact_visible,
    person_listed,
    role_visible,
    verifier_name,
)
from coordinator.errors import DomainError, NotFound
from coordinator.extensions import db

#: Slug of the target group that means "everyone".
EVERYONE_SLUG = "iedereen"
#: At most this many entries per list in one answer.
MAX_RESULTS = 25
MAX_ALTERNATIVES = 5


@dataclass(frozen=True)
class LookupQuery:
    """The question, as slugs (as in the UI form and the API)."""

    topic: str
    target_group: str | None = None
    area: str | None = None
    language: str | None = None


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
    #: Who last confirmed the entry, as the viewer may see it (see :func:`verifier_name`).
    verified_by: str | None = None

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


def _matches(
    groups: list[list[Scored]], viewer: Viewer, today: date, limit: int = MAX_RESULTS
) -> list[list[Match]]:
    """Rank each list, keep its top ``limit``, and load all of them in one go."""
    ranked = [sorted(scored, key=lambda s: -s.score)[:limit] for scored in groups]
    loaded = load_entries([s.id for group in ranked for s in group])
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
                    verifier_name(resp, viewer),
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

    cands = Candidates(
        [topic.id], group, everyone_id, scope, viewer, day, with_languages=language is not None
    )
    scored = apply_boundaries(score_rows(cands, language, day))
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
    seen: set[int] = set()
    if scope.area is not None:
        # Nearest first: elsewhere in the same stadsdeel (sibling wijken), then the city.
        tiers = [AreaScope(None, {})]
        district = _district_of(scope)
        if district is not None and district.id != scope.area.id:
            tiers.insert(0, area_scope(district, all_areas))
        for tier in tiers:
            elsewhere = Candidates([topic.id], group, everyone_id, tier, viewer, today)
            scored = [
                s
                for s in apply_boundaries(score_rows(elsewhere, language, today))
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
        # An entry covering several neighbouring topics is offered once, at its best score,
        # and not again when it is already offered for the same question elsewhere.
        best: dict[int, Scored] = {}
        for neighbour_id in neighbour_ids:  # boundaries apply per topic
            near = Candidates([neighbour_id], group, everyone_id, scope, viewer, today)
            for s in apply_boundaries(score_rows(near, language, today)):
                if (
                    s.handles
                    and s.id not in seen
                    and (s.id not in best or s.score > best[s.id].score)
                ):
                    best[s.id] = s
        alternatives += [
            Alternative(_("Verwant thema"), m)
            for m in _matches([list(best.values())], viewer, today, MAX_ALTERNATIVES)[0]
        ]
    return alternatives
