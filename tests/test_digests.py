"""Issue 6 part 5: the weekly continuity digest and the monthly "controleer uw gegevens" mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from coordinator.auth.models import AccountRole
from coordinator.db import now_utc
from coordinator.digests.continuity import send_continuity_digests, top_areas
from coordinator.digests.periods import iso_week, month
from coordinator.digests.verification import send_verification_requests
from coordinator.directory.models import AreaKind
from coordinator.extensions import db
from coordinator.scheduling.registry import load_jobs
from coordinator.tables.models import TableStatus
from tests.conftest import queued_mail
from tests.factories import (
    AreaFactory,
    AssignmentFactory,
    CoordinatorFactory,
    OrganisationFactory,
    PersonFactory,
    ResponsibilityFactory,
    RoleFactory,
    SeatFactory,
    TableFactory,
    UserFactory,
)

AMS = ZoneInfo("Europe/Amsterdam")
#: Monday 11 January 2027, 07:00 in Amsterdam (ISO week 2027-W02).
MONDAY = datetime(2027, 1, 11, 7, 0, tzinfo=AMS)
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


# --- pure ------------------------------------------------------------------------------------


def test_periods_are_local_weeks_and_months():
    # Sunday 23:30 UTC is already Monday in Amsterdam: the next ISO week.
    assert iso_week(datetime(2027, 1, 10, 23, 30, tzinfo=UTC), AMS) == "2027-W02"
    assert iso_week(datetime(2027, 1, 10, 22, 30, tzinfo=UTC), AMS) == "2027-W01"
    # ISO years: 1 January 2027 (a Friday) belongs to 2026-W53.
    assert iso_week(datetime(2027, 1, 1, 12, 0, tzinfo=UTC), AMS) == "2026-W53"
    assert month(datetime(2027, 1, 31, 23, 30, tzinfo=UTC), AMS) == "2027-02"


def test_top_areas_drops_a_wijk_below_a_chosen_stadsdeel():
    city = AreaFactory(kind=AreaKind.CITY)
    district = AreaFactory(parent=city)
    wijk = AreaFactory(parent=district, kind=AreaKind.NEIGHBOURHOOD)
    other = AreaFactory(parent=city)
    assert top_areas([district, wijk, other]) == [district, other]
    assert top_areas([wijk]) == [wijk]


# --- weekly continuity digest ------------------------------------------------------------------


@pytest.fixture
def zuidoost():
    """A coordinator of Zuidoost, whose table has a vacant seat and funding ending soon."""
    area = AreaFactory(slug="zuidoost", name="Zuidoost")
    coordinator = CoordinatorFactory(areas=[area])
    welzijn = OrganisationFactory(name="Welzijn Zuidoost", areas=[area], verified_at=MONDAY)
    table = TableFactory(area=area, name="Matchtafel Zuidoost", funding_ends_on=date(2027, 2, 1))
    held = RoleFactory(organisation=welzijn, name="opbouwwerker")
    AssignmentFactory(role=held, person=PersonFactory(organisation=welzijn))
    SeatFactory(table=table, role=held)
    SeatFactory(table=table, role=RoleFactory(organisation=welzijn, name="aandachtsfunctionaris"))
    TableFactory(
        area=area, name="Taalcafé-overleg", status=TableStatus.PAUSED, pause_reason="Geen zaal"
    )
    OrganisationFactory(name="Stichting Kümbet", areas=[area], verified_at=LONG_AGO)
    return coordinator


def test_the_digest_lists_what_needs_attention_in_the_coordinators_areas(zuidoost):
    counts = send_continuity_digests(now=MONDAY)
    assert counts["queued"] == 1
    (mail,) = queued_mail("continuity-digest")
    assert mail["To"] == zuidoost.email
    assert mail["Subject"] == "Continuïteit deze week: Zuidoost"
    text = text_of(mail)
    assert "== Zuidoost ==" in text
    assert (
        "Vacante zetels:\n- Matchtafel Zuidoost: Welzijn Zuidoost – aandachtsfunctionaris" in text
    )
    assert "opbouwwerker" not in text, "a held seat is not vacant"
    assert "Financiering loopt binnen 60 dagen af:\n- Matchtafel Zuidoost: " in text
    assert "Gepauzeerde tafels:\n- Taalcafé-overleg: Geen zaal" in text
    assert "- Stichting Kümbet (" in text
    assert "Welzijn Zuidoost (" not in text, "verified this week: not stale"
    assert "https://matchtafel.example.org/tafels/continuiteit/zuidoost" in text


def test_the_digest_goes_once_per_week(zuidoost):
    assert send_continuity_digests(now=MONDAY)["queued"] == 1
    again = send_continuity_digests(now=MONDAY + timedelta(days=3))
    assert again["queued"] == 0
    assert again["already"] == 1
    assert send_continuity_digests(now=MONDAY + timedelta(days=7))["queued"] == 1
    assert len(queued_mail("continuity-digest")) == 2


def test_no_digest_when_all_is_clear_or_for_other_accounts(zuidoost):
    quiet = AreaFactory(name="Noord")
    CoordinatorFactory(areas=[quiet])
    CoordinatorFactory(areas=[])
    disabled = CoordinatorFactory(areas=[zuidoost.areas[0]])
    disabled.disabled_at = now_utc()
    UserFactory(role=AccountRole.PARTNER)
    db.session.commit()
    counts = send_continuity_digests(now=MONDAY)
    assert counts == {"coordinators": 2, "queued": 1, "already": 0, "all_clear": 1, "raced": 0}
    assert [m["To"] for m in queued_mail("continuity-digest")] == [zuidoost.email]


# --- monthly verification request --------------------------------------------------------------


@pytest.fixture
def editors():
    """An editor of a stale organisation and one of an up-to-date organisation."""
    stale_org = OrganisationFactory(
        name="Buurtteam Zuidoost", verified_at=LONG_AGO, created_at=LONG_AGO
    )
    ResponsibilityFactory(
        organisation=stale_org,
        handles=False,
        summary="Geen hulp zonder BSN",
        verified_at=LONG_AGO,
        created_at=LONG_AGO,
    )
    ResponsibilityFactory(organisation=stale_org, summary="Schuldhulp", verified_at=MONDAY)
    # Never verified but created last week: not stale yet.
    ResponsibilityFactory(organisation=stale_org, summary="Taalcafé", created_at=MONDAY)
    stale_editor = UserFactory(
        role=AccountRole.EDITOR, person=PersonFactory(organisation=stale_org)
    )
    fresh_org = OrganisationFactory(name="GGD", verified_at=MONDAY, created_at=LONG_AGO)
    ResponsibilityFactory(organisation=fresh_org, verified_at=MONDAY)
    fresh_editor = UserFactory(
        role=AccountRole.EDITOR, person=PersonFactory(organisation=fresh_org)
    )
    # A partner (not a redacteur) of the stale organisation gets nothing.
    UserFactory(role=AccountRole.PARTNER, person=PersonFactory(organisation=stale_org))
    return stale_editor, fresh_editor


def test_only_editors_of_stale_entries_are_asked_to_check_them(editors):
    stale_editor, _fresh = editors
    counts = send_verification_requests(now=MONDAY)
    assert counts == {"editors": 2, "queued": 1, "already": 0, "up_to_date": 1, "raced": 0}
    (mail,) = queued_mail("verify-entries")
    assert mail["To"] == stale_editor.email
    assert mail["Subject"] == "Controleer uw gegevens: Buurtteam Zuidoost"
    text = text_of(mail)
    assert "- De gegevens van de organisatie zelf (gecontroleerd op" in text
    assert "- Doet niet: Geen hulp zonder BSN (gecontroleerd op" in text
    assert "Schuldhulp" not in text
    assert "Taalcafé" not in text
    slug = stale_editor.person.organisation.slug
    assert f"https://matchtafel.example.org/wie-doet-wat/organisaties/{slug}\n" in text


def test_the_verification_request_goes_once_per_month(editors):
    assert send_verification_requests(now=MONDAY)["queued"] == 1
    assert send_verification_requests(now=MONDAY + timedelta(days=14))["already"] == 1
    assert send_verification_requests(now=datetime(2027, 2, 1, 7, 0, tzinfo=AMS))["queued"] == 1
    assert len(queued_mail("verify-entries")) == 2


def test_stale_after_days_comes_from_the_config(app, editors, monkeypatch):
    monkeypatch.setitem(app.config, "STALE_AFTER_DAYS", 800)
    assert send_verification_requests(now=MONDAY)["queued"] == 0


# --- registration ------------------------------------------------------------------------------


def test_digest_jobs_are_registered_with_cron_triggers(app):
    registry = load_jobs()
    weekly = registry.get("continuity-digest").build_trigger(app)
    monthly = registry.get("verification-requests").build_trigger(app)
    assert isinstance(weekly, CronTrigger)
    assert isinstance(monthly, CronTrigger)
    after = datetime(2027, 1, 12, 12, 0, tzinfo=AMS)
    assert weekly.get_next_fire_time(None, after) == datetime(2027, 1, 18, 7, 0, tzinfo=AMS)
    assert monthly.get_next_fire_time(None, after) == datetime(2027, 2, 1, 7, 0, tzinfo=AMS)
