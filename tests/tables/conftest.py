"""Fixtures for the tables tests: a stadsdeel, its coordinator and five organisations' roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from coordinator.auth.models import User
from coordinator.directory.models import Area, Person, Role
from coordinator.tables.recurrence import Pattern, RuleSpec
from coordinator.tables.schedule import Schedule
from tests.factories import (
    AreaFactory,
    AssignmentFactory,
    CoordinatorFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
)

SECOND_TUESDAY = RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=2, weekday=1)


def next_year() -> int:
    return date.today().year + 1  # noqa: DTZ011 - a calendar year, far enough ahead


def second_tuesday_schedule(year: int | None = None) -> Schedule:
    """ "Every second Tuesday of the month 10:00–11:30" from 1 January next year."""
    return Schedule(SECOND_TUESDAY, date(year or next_year(), 1, 1), time(10, 0), 90)


@dataclass
class Network:
    area: Area
    coordinator: User
    roles: dict[str, Role]
    holders: dict[str, Person]
    coa_deputy: Person


@pytest.fixture
def network() -> Network:
    """Zuidoost with COA, Buurtteam, GGD, welzijn and an informal group, each with a holder."""
    area = AreaFactory(slug="zuidoost", name="Zuidoost")
    coordinator = CoordinatorFactory(areas=[area])
    roles: dict[str, Role] = {}
    holders: dict[str, Person] = {}
    for key, org_name, role_name in [
        ("coa", "COA", "participatie"),
        ("buurtteam", "Buurtteam Zuidoost", "brugfunctionaris"),
        ("ggd", "GGD", "publieke gezondheid"),
        ("welzijn", "Welzijn Zuidoost", "opbouwwerker"),
        ("zon", "ZON", "coördinator"),
    ]:
        organisation = OrganisationFactory(name=org_name, areas=[area])
        role = RoleFactory(organisation=organisation, name=role_name)
        person = PersonFactory(organisation=organisation)
        AssignmentFactory(person=person, role=role)
        roles[key], holders[key] = role, person
    deputy = PersonFactory(organisation=roles["coa"].organisation, name="Vervanger COA")
    return Network(area, coordinator, roles, holders, deputy)
