"""The "Wie doet wat?" lookup: area inclusion, boundaries, ranking, staleness, visibility."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coordinator.auth.models import AccountRole
from coordinator.directory import lookup as lk
from coordinator.directory import ranking as rk
from coordinator.directory.lookup import LookupQuery, lookup
from coordinator.directory.models import OrganisationKind, Visibility
from coordinator.directory.visibility import ANONYMOUS, Viewer
from coordinator.errors import NotFound
from coordinator.extensions import db
from tests.directory_fixtures import build_city, organisation, responsibility
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    RoleFactory,
    TopicFactory,
    UserFactory,
)

NETWORK = Viewer(authenticated=True, organisation_id=None)

BSN_REASON = "Geen BSN, geen hulp mogelijk. Voor medische zorg: verwijs naar de huisarts."


def names(matches: list[lk.Match]) -> list[str]:
    return [m.organisation.name for m in matches]


@pytest.fixture
def zuidoost():
    """Issue 3's demo question: huisvesting, ongedocumenteerden, Zuidoost."""
    city = build_city()
    housing, undocumented, everyone = (
        city.topics["huisvesting"],
        city.groups["ongedocumenteerden"],
        city.groups["iedereen"],
    )
    buurtteam = organisation("Buurtteam Zuidoost")
    responsibility(buurtteam, topics=[housing], groups=[everyone], areas=[city.zuidoost])
    responsibility(
        buurtteam,
        topics=[housing],
        groups=[undocumented],
        areas=[city.amsterdam],
        handles=False,
        reason=BSN_REASON,
    )
    hushu = organisation("Hushu House", kind=OrganisationKind.INFORMAL)
    responsibility(hushu, topics=[housing], groups=[undocumented], areas=[city.amsterdam])
    wijk = organisation("Stichting Bijlmer Wonen")
    responsibility(wijk, topics=[housing], groups=[undocumented], areas=[city.bijlmer])
    noord = organisation("Noord Woonhulp")
    responsibility(noord, topics=[housing], groups=[undocumented], areas=[city.noord])
    return city


def test_issue_3_buurtteam_does_not_handle_undocumented_housing(zuidoost):
    result = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "zuidoost"), NETWORK)
    assert names(result.handles) == ["Stichting Bijlmer Wonen", "Hushu House"]
    assert names(result.does_not_handle) == ["Buurtteam Zuidoost"]
    assert result.does_not_handle[0].responsibility.reason == BSN_REASON
    assert "Noord Woonhulp" not in names(result.handles)


def test_buurtteam_still_handles_housing_for_other_groups(zuidoost):
    result = lookup(LookupQuery("huisvesting", "statushouders", "zuidoost"), NETWORK)
    assert names(result.handles) == ["Buurtteam Zuidoost"]
    assert result.handles[0].area_match == rk.AREA_EXACT
    assert result.does_not_handle == []


def test_without_a_target_group_both_handles_and_boundary_show(zuidoost):
    result = lookup(LookupQuery("huisvesting", None, "zuidoost"), NETWORK)
    assert "Buurtteam Zuidoost" in names(result.handles)
    assert names(result.does_not_handle) == ["Buurtteam Zuidoost"]


def test_a_wijk_includes_its_stadsdeel_and_citywide_ranked_by_exactness(zuidoost):
    result = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "bijlmer-centrum"), NETWORK)
    assert [(m.organisation.name, m.area_match) for m in result.handles] == [
        ("Stichting Bijlmer Wonen", rk.AREA_EXACT),
        ("Hushu House", rk.AREA_CITY),
    ]
    # Another wijk of the same stadsdeel does not see the Bijlmer-only entry.
    other = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "holendrecht"), NETWORK)
    assert names(other.handles) == ["Hushu House"]


def test_asking_for_the_city_gives_citywide_entries_only(zuidoost):
    result = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "amsterdam"), NETWORK)
    assert [(m.organisation.name, m.area_match) for m in result.handles] == [
        ("Hushu House", rk.AREA_EXACT)
    ]
    assert names(result.does_not_handle) == ["Buurtteam Zuidoost"]  # its boundary is citywide


def test_stale_entries_are_flagged(zuidoost):
    city = zuidoost
    old = organisation("Oud Loket")
    responsibility(
        old,
        topics=[city.topics["huisvesting"]],
        groups=[city.groups["ongedocumenteerden"]],
        areas=[city.zuidoost],
        verified_days_ago=200,
    )
    result = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "zuidoost"), NETWORK)
    stale = {m.organisation.name: m.stale for m in result.handles}
    assert stale == {"Oud Loket": True, "Stichting Bijlmer Wonen": False, "Hushu House": False}


def test_expired_entries_are_left_out(zuidoost):
    city = zuidoost
    gone = organisation("Afgelopen Project")
    responsibility(
        gone,
        topics=[city.topics["huisvesting"]],
        groups=[city.groups["ongedocumenteerden"]],
        areas=[city.zuidoost],
        valid_until=date.today() - timedelta(days=1),  # noqa: DTZ011
    )
    result = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "zuidoost"), NETWORK)
    assert "Afgelopen Project" not in names(result.handles)


def test_language_of_a_current_holder_ranks_first(zuidoost):
    city = zuidoost
    for name, language in [("Arabisch Loket", "ar"), ("Tigrinya Loket", "ti")]:
        org = organisation(name)
        role = RoleFactory(organisation=org, name="Klantmanager")
        AssignmentFactory(
            role=role, person=PersonFactory(organisation=org, language_codes=["nl", language])
        )
        responsibility(
            org,
            role=role,
            topics=[city.topics["taal"]],
            groups=[city.groups["statushouders"]],
            areas=[city.zuidoost],
        )
    ti = lookup(LookupQuery("taal", "statushouders", "zuidoost", "ti"), NETWORK)
    assert names(ti.handles) == ["Tigrinya Loket", "Arabisch Loket"]
    assert [m.language_match for m in ti.handles] == [True, False]
    ar = lookup(LookupQuery("taal", "statushouders", "zuidoost", "ar"), NETWORK)
    assert names(ar.handles)[0] == "Arabisch Loket"
    assert ar.handles[0].holders
    assert ar.handles[0].role.name == "Klantmanager"


def test_vacant_role_is_marked(zuidoost):
    city = zuidoost
    org = organisation("Vacant Loket")
    role = RoleFactory(organisation=org, name="Brugfunctionaris")
    AssignmentFactory(
        role=role,
        person=PersonFactory(organisation=org),
        ends_on=date.today() - timedelta(days=3),  # noqa: DTZ011
    )
    responsibility(org, role=role, topics=[city.topics["zorg"]], groups=[], areas=[city.zuidoost])
    match = lookup(LookupQuery("zorg", "statushouders", "zuidoost"), NETWORK).handles[0]
    assert match.vacant
    assert match.group_match == rk.GROUP_EVERYONE  # no groups counts as iedereen


def test_visibility_tiers_filter_the_answer(zuidoost):
    city = zuidoost
    public = organisation("Openbaar Loket", visibility=Visibility.PUBLIC)
    private = organisation("Eigen Kring", visibility=Visibility.ORGANISATION)
    for org in (public, private):
        responsibility(
            org,
            topics=[city.topics["huisvesting"]],
            groups=[city.groups["ongedocumenteerden"]],
            areas=[city.zuidoost],
        )
    query = LookupQuery("huisvesting", "ongedocumenteerden", "zuidoost")
    assert names(lookup(query, ANONYMOUS).handles) == ["Openbaar Loket"]
    assert "Eigen Kring" not in names(lookup(query, NETWORK).handles)
    own = Viewer(authenticated=True, organisation_id=private.id)
    assert "Eigen Kring" in names(lookup(query, own).handles)


def test_empty_answer_offers_alternatives_and_the_coordinator(zuidoost):
    city = zuidoost
    care = organisation("GGZ Noord")
    responsibility(
        care,
        topics=[city.topics["psychische-hulp"]],
        groups=[city.groups["iedereen"]],
        areas=[city.zuidoost],
    )
    elsewhere = organisation("Zorgpunt Noord")
    responsibility(
        elsewhere,
        topics=[city.topics["zorg"]],
        groups=[city.groups["statushouders"]],
        areas=[city.noord],
    )
    coordinator = UserFactory(role=AccountRole.COORDINATOR, areas=[city.zuidoost])
    result = lookup(LookupQuery("zorg", "statushouders", "bijlmer-centrum"), NETWORK)
    assert result.empty
    reasons = {a.match.organisation.name: a.reason for a in result.alternatives}
    assert reasons == {
        "Zorgpunt Noord": "Zelfde vraag, in een ander gebied",
        "GGZ Noord": "Verwant thema",
    }
    assert [p.id for p in result.coordinators] == [coordinator.person.id]


def test_an_alternative_covering_several_neighbouring_topics_is_listed_once(zuidoost):
    city = zuidoost
    trauma = TopicFactory(slug="trauma", name="Trauma", cluster="zorg", position=9)
    both = organisation("GGZ Breed")
    responsibility(
        both,
        topics=[city.topics["psychische-hulp"], trauma],
        groups=[city.groups["iedereen"]],
        areas=[city.zuidoost],
    )
    result = lookup(LookupQuery("zorg", "statushouders", "bijlmer-centrum"), NETWORK)
    assert result.empty
    assert [(a.reason, a.match.organisation.name) for a in result.alternatives] == [
        ("Verwant thema", "GGZ Breed")
    ]


def test_alternatives_elsewhere_start_in_the_same_stadsdeel(zuidoost):
    city = zuidoost
    far = organisation("Aaa Ver Weg")
    responsibility(
        far, topics=[city.topics["taal"]], groups=[city.groups["iedereen"]], areas=[city.noord]
    )
    near = organisation("Zzz Dichtbij")
    responsibility(
        near, topics=[city.topics["taal"]], groups=[city.groups["iedereen"]], areas=[city.bijlmer]
    )
    result = lookup(LookupQuery("taal", "statushouders", "holendrecht"), NETWORK)
    assert result.empty
    assert [a.match.organisation.name for a in result.alternatives] == [
        "Zzz Dichtbij",
        "Aaa Ver Weg",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (LookupQuery("huisvesting", "marsmannetjes"), "target_group"),
        (LookupQuery("sterrenkijken"), "topic"),
        (LookupQuery("huisvesting", area="atlantis"), "area"),
    ],
)
def test_unknown_slug_is_refused(query, field):
    build_city()
    with pytest.raises(NotFound) as info:
        lookup(query, NETWORK)
    assert info.value.field == field
    assert getattr(query, field) in info.value.message


def test_query_count_does_not_grow_with_the_data(zuidoost):
    city = zuidoost
    for i in range(40):
        org = organisation(f"Extra {i}")
        role = RoleFactory(organisation=org)
        AssignmentFactory(role=role, person=PersonFactory(organisation=org))
        responsibility(
            org,
            role=role,
            topics=[city.topics["huisvesting"]],
            groups=[city.groups["ongedocumenteerden"]],
            areas=[city.zuidoost],
        )
    db.session.expire_all()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        result = lookup(LookupQuery("huisvesting", "ongedocumenteerden", "zuidoost", "ar"), NETWORK)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(result.handles) == lk.MAX_RESULTS
    assert result.handles_total == 42
    assert len(statements) <= 16, "\n\n".join(s[:150] for s in statements)


# --- pure parts ----------------------------------------------------------------------------


def _scored(org: int, handles: bool, group: str, role: int | None = None) -> rk.Scored:
    return rk.Scored(0, org, role, handles, rk.AREA_DISTRICT, group, None)


def test_boundary_overrules_broader_handles_of_the_same_organisation_only():
    rows = [
        _scored(1, True, rk.GROUP_EVERYONE),
        _scored(1, False, rk.GROUP_EXACT),
        _scored(2, True, rk.GROUP_EVERYONE),
    ]
    kept = rk.apply_boundaries(rows)
    assert [(r.organisation_id, r.handles) for r in kept] == [(1, False), (2, True)]


def test_specific_handles_beats_a_general_boundary():
    rows = [_scored(1, True, rk.GROUP_EXACT), _scored(1, False, rk.GROUP_EVERYONE)]
    assert len(rk.apply_boundaries(rows)) == 2


def test_role_specific_boundary_leaves_other_roles_alone():
    rows = [_scored(1, True, rk.GROUP_EVERYONE, role=7), _scored(1, False, rk.GROUP_EXACT, role=8)]
    assert [r.role_id for r in rk.apply_boundaries(rows)] == [7, 8]


def test_score_orders_area_before_group():
    assert rk.score(rk.AREA_EXACT, rk.GROUP_EVERYONE, None) > rk.score(
        rk.AREA_DISTRICT, rk.GROUP_EXACT, None
    )
    assert rk.score(rk.AREA_CITY, rk.GROUP_EXACT, True) > rk.score(
        rk.AREA_DISTRICT, rk.GROUP_EXACT, False
    )
