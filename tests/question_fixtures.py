"""A small Nieuw-West for question-board tests: who does cycling lessons, who sits at which table.

Built for the issue's scenario "fietsles, statushouders, Nieuw-West".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coordinator.auth.models import AccountRole, User
from coordinator.directory.models import Area, AreaKind, Organisation, Person, Role, Visibility
from coordinator.tables.models import Table
from tests.directory_fixtures import organisation, responsibility
from tests.factories import (
    AreaFactory,
    AssignmentFactory,
    PersonFactory,
    QuestionPreferenceFactory,
    RoleFactory,
    SeatFactory,
    TableFactory,
    TargetGroupFactory,
    TopicFactory,
    UserFactory,
)


@dataclass
class NieuwWest:
    amsterdam: Area
    nieuw_west: Area
    geuzenveld: Area
    zuidoost: Area
    asker: User
    #: Holds the role "Coördinator fietsles" at the Centrum voor nieuwkomers (matching role).
    centrum_holder: User
    centrum: Organisation
    centrum_role: Role
    #: Holds another matching role but has no account: mailed at the work address only.
    no_account_holder: Person
    #: Redacteur of the Welzijn organisation, whose organisation-wide entry matches.
    welzijn_editor: User
    #: A plain partner at Welzijn: not a listing keeper, not notified.
    welzijn_partner: User
    #: Seat holder at the Geuzenveld matchtafel who opted in.
    vrouwencentrum_holder: User
    vrouwencentrum: Organisation
    vrouwencentrum_editor: User
    #: Seat holder at the same table who did not opt in.
    quiet_holder: User
    #: Opted-in seat holder at a Zuidoost table (another stadsdeel).
    zuidoost_holder: User
    #: Holds a matching role in Zuidoost only.
    fietsschool_holder: User
    #: The buurtteam explicitly does not do this.
    buurtteam_holder: User
    #: Holds a matching role but has left.
    left_holder: User
    #: Holds a matching role that only its own organisation may see.
    hidden_holder: User
    table: Table
    topics: dict
    groups: dict

    @property
    def expected_inbox(self) -> set[str]:
        """Accounts that find the question in their inbox (and get a mail)."""
        return {
            self.centrum_holder.email,
            self.welzijn_editor.email,
            self.vrouwencentrum_holder.email,
        }

    @property
    def expected_recipients(self) -> set[str]:
        """Every address the question is mailed to."""
        return self.expected_inbox | {self.no_account_holder.email}


def member(
    org: Organisation, email: str, role: AccountRole = AccountRole.PARTNER, **person
) -> User:
    return UserFactory(person=PersonFactory(organisation=org, email=email, **person), role=role)


def holder(role: Role, email: str, **person) -> User:
    user = member(role.organisation, email, **person)
    AssignmentFactory(person=user.person, role=role, starts_on=date(2024, 1, 1))
    return user


def build_nieuw_west() -> NieuwWest:
    amsterdam = AreaFactory(slug="amsterdam", name="Amsterdam", kind=AreaKind.CITY)
    nieuw_west = AreaFactory(slug="nieuw-west", name="Nieuw-West", parent=amsterdam)
    geuzenveld = AreaFactory(
        slug="geuzenveld", name="Geuzenveld", kind=AreaKind.NEIGHBOURHOOD, parent=nieuw_west
    )
    zuidoost = AreaFactory(slug="zuidoost", name="Zuidoost", parent=amsterdam)
    topics = {
        "fietsles": TopicFactory(slug="fietsles", name="Fietsles", cluster="bewegen"),
        "taal": TopicFactory(slug="taal", name="Taal en inburgering"),
    }
    groups = {
        "statushouders": TargetGroupFactory(slug="statushouders", name="Statushouders"),
        "iedereen": TargetGroupFactory(slug="iedereen", name="Iedereen"),
    }
    cycling, refugees, everyone = topics["fietsles"], groups["statushouders"], groups["iedereen"]

    dynamo = organisation("Dynamo Welzijn")
    asker = member(dynamo, "opbouwwerker@dynamo.example.org", name="Opbouwwerker Dynamo")

    centrum = organisation("Centrum voor nieuwkomers")
    centrum_role = RoleFactory(organisation=centrum, name="Coördinator fietsles")
    centrum_holder = holder(centrum_role, "fietsles@centrum.example.org")
    responsibility(
        centrum, role=centrum_role, topics=[cycling], groups=[refugees], areas=[nieuw_west]
    )
    # A second matching role without any account: nobody to notify, no error.
    no_account_role = RoleFactory(organisation=centrum, name="Vrijwilliger fietsles")
    no_account_holder = PersonFactory(
        organisation=centrum, email="vrijwilliger@centrum.example.org"
    )
    AssignmentFactory(role=no_account_role, person=no_account_holder)
    responsibility(
        centrum, role=no_account_role, topics=[cycling], groups=[refugees], areas=[geuzenveld]
    )

    welzijn = organisation("Welzijn West")
    welzijn_editor = member(welzijn, "redactie@welzijn.example.org", AccountRole.EDITOR)
    welzijn_partner = member(welzijn, "collega@welzijn.example.org")
    responsibility(welzijn, topics=[cycling], groups=[everyone], areas=[])  # citywide

    vrouwencentrum = organisation("Vrouwencentrum Geuzenveld")
    seat_role = RoleFactory(organisation=vrouwencentrum, name="Activiteitenbegeleider")
    vrouwencentrum_holder = holder(seat_role, "activiteiten@vrouwencentrum.example.org")
    QuestionPreferenceFactory(user_id=vrouwencentrum_holder.id)
    vrouwencentrum_editor = member(
        vrouwencentrum, "redactie@vrouwencentrum.example.org", AccountRole.EDITOR
    )
    table = TableFactory(name="Matchtafel Geuzenveld", area=geuzenveld)
    SeatFactory(table=table, role=seat_role)
    ggd = organisation("GGD")
    quiet_role = RoleFactory(organisation=ggd, name="Jeugdverpleegkundige")
    quiet_holder = holder(quiet_role, "jgz@ggd.example.org")
    SeatFactory(table=table, role=quiet_role)

    zuidoost_org = organisation("Hushu House")
    zuidoost_role = RoleFactory(organisation=zuidoost_org, name="Dagcoördinator")
    zuidoost_holder = holder(zuidoost_role, "dag@hushu.example.org")
    QuestionPreferenceFactory(user_id=zuidoost_holder.id)
    SeatFactory(table=TableFactory(name="Matchtafel Zuidoost", area=zuidoost), role=zuidoost_role)

    fietsschool = organisation("Fietsschool Zuidoost")
    fietsschool_role = RoleFactory(organisation=fietsschool, name="Fietsdocent")
    fietsschool_holder = holder(fietsschool_role, "docent@fietsschool.example.org")
    responsibility(
        fietsschool, role=fietsschool_role, topics=[cycling], groups=[refugees], areas=[zuidoost]
    )

    buurtteam = organisation("Buurtteam Nieuw-West")
    buurtteam_role = RoleFactory(organisation=buurtteam, name="Brugfunctionaris")
    buurtteam_holder = holder(buurtteam_role, "brug@buurtteam.example.org")
    responsibility(
        buurtteam,
        role=buurtteam_role,
        topics=[cycling],
        groups=[everyone],
        areas=[nieuw_west],
    )
    responsibility(
        buurtteam,
        role=buurtteam_role,
        topics=[cycling],
        groups=[refugees],
        areas=[nieuw_west],
        handles=False,
        reason="Geen activiteiten; wij verwijzen door naar het buurthuis.",
    )

    sport = organisation("Sportbuurtwerk")
    sport_role = RoleFactory(organisation=sport, name="Sportcoach")
    left_holder = holder(sport_role, "coach@sport.example.org", left_on=date(2025, 1, 1))
    responsibility(sport, role=sport_role, topics=[cycling], groups=[refugees], areas=[nieuw_west])

    closed = organisation("Interne Dienst")
    hidden_role = RoleFactory(
        organisation=closed, name="Interne functie", visibility=Visibility.ORGANISATION
    )
    hidden_holder = holder(hidden_role, "intern@dienst.example.org")
    responsibility(
        closed, role=hidden_role, topics=[cycling], groups=[refugees], areas=[nieuw_west]
    )

    return NieuwWest(
        amsterdam=amsterdam,
        nieuw_west=nieuw_west,
        geuzenveld=geuzenveld,
        zuidoost=zuidoost,
        asker=asker,
        centrum_holder=centrum_holder,
        centrum=centrum,
        centrum_role=centrum_role,
        no_account_holder=no_account_holder,
        welzijn_editor=welzijn_editor,
        welzijn_partner=welzijn_partner,
        vrouwencentrum_holder=vrouwencentrum_holder,
        vrouwencentrum=vrouwencentrum,
        vrouwencentrum_editor=vrouwencentrum_editor,
        quiet_holder=quiet_holder,
        zuidoost_holder=zuidoost_holder,
        fietsschool_holder=fietsschool_holder,
        buurtteam_holder=buurtteam_holder,
        left_holder=left_holder,
        hidden_holder=hidden_holder,
        table=table,
        topics=topics,
        groups=groups,
    )
