"""Load the demo network (:mod:`coordinator.seed.data`) idempotently.

Every row is looked up by its natural key (slug, e-mail, role name, series UID) and only
created when missing, so running the seeder twice changes nothing. It refuses to touch a
database that already holds real (non-demo) organisations, people or tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator.auth.models import AccountRole, User
from coordinator.auth.passwords import hash_password
from coordinator.db import now_utc
from coordinator.directory.models import (
    Area,
    Assignment,
    Infrastructure,
    Organisation,
    OrganisationKind,
    Person,
    PersonKind,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
    Visibility,
)
from coordinator.errors import Conflict
from coordinator.extensions import db
from coordinator.seed import data
from coordinator.seed.reference import ensure_reference_data
from coordinator.tables import recurrence, schedule
from coordinator.tables.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    Seat,
    Table,
    TableKind,
    TableSeries,
)


@dataclass
class SeedReport:
    """What one run created (zero everywhere on a second run)."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, created: int = 1) -> None:
        """Add ``created`` (a number, or whether one was created) to the tally of ``what``."""
        self.created[what] = self.created.get(what, 0) + int(created)

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def __str__(self) -> str:
        if not self.total:
            return _("De demogegevens zijn al aanwezig; er is niets veranderd.")
        parts = ", ".join(f"{what}: {n}" for what, n in self.created.items() if n)
        return _("Demogegevens aangemaakt (%(parts)s).", parts=parts)


def seed_demo(today: date | None = None) -> SeedReport:
    """Create the demo district in one transaction; raise :class:`Conflict` on real data."""
    today = today or date.today()  # noqa: DTZ011 - a calendar day
    _refuse_real_data()
    report = SeedReport()
    try:
        report.created["referentiegegevens"] = ensure_reference_data()
        loader = _Loader(report, today)
        for spec in data.ORGANISATIONS:
            loader.organisation(spec)
        for spec in data.TABLES:
            loader.table(spec)
        for spec in data.ACCOUNTS:
            loader.account(spec)
        report.created["uitnodigingen"] = queue_demo_invites()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def queue_demo_invites() -> int:
    """Queue the first REQUEST of every demo table to each seat holder (issue 5).

    The demo builds seats directly rather than through the seat service, so this step does
    what the ``seat_filled`` subscriber would have done. Idempotent: dedup keys skip mails
    queued by an earlier run.
    """
    from coordinator.calendaring.invites import invite_all_holders

    db.session.flush()
    tables = db.session.scalars(sa.select(Table).where(Table.is_demo.is_(True)).order_by(Table.id))
    return sum(len(invite_all_holders(table)) for table in tables)


def _refuse_real_data() -> None:
    for model in (Organisation, Person, Table):
        real = db.session.scalar(sa.select(sa.func.count()).where(model.is_demo.is_(False)))
        if real:
            raise Conflict(
                _(
                    "Deze database bevat echte gegevens; de demo wordt alleen in een lege "
                    "of demo-database geladen."
                )
            )


class _Loader:
    def __init__(self, report: SeedReport, today: date) -> None:
        self.report = report
        self.today = today
        self.now = now_utc()
        self.areas = {a.slug: a for a in db.session.scalars(sa.select(Area))}
        self.topics = {t.slug: t for t in db.session.scalars(sa.select(Topic))}
        self.groups = {g.slug: g for g in db.session.scalars(sa.select(TargetGroup))}

    def _get(self, model: type, **key: object) -> object | None:
        return db.session.scalar(sa.select(model).filter_by(**key))

    def organisation(self, spec: data.OrganisationSpec) -> None:
        organisation = self._get(Organisation, slug=spec.slug)
        created = organisation is None
        if created:
            funding = (
                self.today + timedelta(days=spec.funding_ends_in_days)
                if spec.funding_ends_in_days is not None
                else None
            )
            organisation = Organisation(
                slug=spec.slug,
                name=spec.name,
                kind=OrganisationKind(spec.kind),
                infrastructure=Infrastructure(spec.infrastructure),
                sector=spec.sector,
                description=spec.description,
                website=f"https://{spec.domain}",
                email=f"info@{spec.domain}",
                phone=spec.phone,
                visibility=Visibility(spec.visibility),
                funding_ends_on=funding,
                verified_at=self.now - timedelta(days=20),
                is_demo=True,
                areas=[self.areas[slug] for slug in spec.areas],
            )
            db.session.add(organisation)
        self.report.count("organisaties", created)
        db.session.flush()

        roles = {role.name: role for role in organisation.roles}
        for name, description in spec.roles:
            if name not in roles:
                roles[name] = Role(
                    organisation=organisation,
                    name=name,
                    description=description,
                    email=f"{_mailbox(name)}@{spec.domain}",
                )
                db.session.add(roles[name])
                self.report.count("functies")
        db.session.flush()

        for person_spec in spec.people:
            self.person(organisation, roles, person_spec)
        for task in spec.tasks:
            self.task(organisation, roles, task)

    def person(
        self, organisation: Organisation, roles: dict[str, Role], spec: data.PersonSpec
    ) -> None:
        person = self._get(Person, email=spec.email)
        if person is not None or (spec.left_days_ago and self._erased(organisation, roles, spec)):
            return
        left_on = self.today - timedelta(days=spec.left_days_ago) if spec.left_days_ago else None
        person = Person(
            organisation=organisation,
            name=spec.name,
            email=spec.email,
            phone=spec.phone,
            kind=PersonKind(spec.kind),
            contact_visibility=Visibility(spec.visibility),
            consent_given_on=self.today - timedelta(days=60) if spec.consent else None,
            language_codes=list(spec.languages),
            focus_tags=list(spec.focus),
            left_on=left_on,
            is_demo=True,
        )
        db.session.add(person)
        starts_on = self.today - timedelta(days=400)
        for role_name in spec.roles:
            db.session.add(
                Assignment(
                    person=person, role=roles[role_name], starts_on=starts_on, ends_on=left_on
                )
            )
        self.report.count("personen")

    def _erased(
        self, organisation: Organisation, roles: dict[str, Role], spec: data.PersonSpec
    ) -> bool:
        """Whether this departed person is still here, erased (no name or e-mail) by the job.

        The daily erasure keeps the row and its assignments; recognise it by its roles.
        """
        role_ids = [roles[name].id for name in spec.roles]
        return (
            db.session.scalar(
                sa.select(Person.id)
                .join(Assignment, Assignment.person_id == Person.id)
                .where(
                    Person.organisation_id == organisation.id,
                    Person.is_demo.is_(True),
                    Person.erased_at.is_not(None),
                    Assignment.role_id.in_(role_ids),
                )
                .limit(1)
            )
            is not None
        )

    def task(self, organisation: Organisation, roles: dict[str, Role], spec: data.TaskSpec) -> None:
        existing = self._get(
            Responsibility,
            organisation_id=organisation.id,
            summary=spec.summary,
            handles=spec.handles,
        )
        if existing is not None:
            return
        db.session.add(
            Responsibility(
                organisation=organisation,
                role=roles[spec.role] if spec.role else None,
                handles=spec.handles,
                summary=spec.summary,
                reason=spec.reason,
                referral_tips=spec.tips,
                opening_hours=spec.hours,
                language_codes=list(spec.languages),
                waiting_time=spec.waiting,
                verified_at=self.now - timedelta(days=30 * spec.verified_months_ago),
                topics=[self.topics[slug] for slug in spec.topics],
                target_groups=[self.groups[slug] for slug in spec.groups],
                areas=[self.areas[slug] for slug in spec.areas],
            )
        )
        self.report.count("taken")

    def table(self, spec: data.TableSpec) -> None:
        uid = f"{spec.key}@demo.matchtafel"
        if self._get(TableSeries, uid=uid) is not None:
            return
        table = Table(
            name=spec.name,
            kind=TableKind(spec.kind),
            area=self.areas[spec.area],
            purpose=spec.purpose,
            location=spec.location,
            online_url=spec.online_url,
            agenda_template=spec.agenda_template,
            is_demo=True,
        )
        table.series.append(
            TableSeries(
                uid=uid,
                dtstart=datetime.fromisoformat(spec.dtstart),
                duration_minutes=spec.duration_minutes,
                rrule=spec.rrule,
            )
        )
        for seat_spec in spec.seats:
            organisation = self._get(Organisation, slug=seat_spec.organisation)
            role = self._get(Role, organisation_id=organisation.id, name=seat_spec.role)
            deputy = (
                self._get(Person, email=seat_spec.deputy_email) if seat_spec.deputy_email else None
            )
            table.seats.append(
                Seat(
                    organisation=organisation,
                    role=role,
                    deputy=deputy,
                    is_coordinator=seat_spec.coordinator,
                )
            )
        db.session.add(table)
        self.report.count("tafels")
        db.session.flush()
        # The seats were set up before the first meeting, not today ("since last time").
        first = recurrence.localize(table.series[0].dtstart, recurrence.zone(table.timezone))
        for seat in table.seats:
            seat.created_at = first - timedelta(days=14)
        if spec.history is not None:
            self.history(table, spec.history)

    def history(self, table: Table, spec: data.HistorySpec) -> None:
        """Meetings, attendance, minutes and open afspraken of the table's recent past."""
        tz = recurrence.zone(table.timezone)
        series = table.series[0]
        past = [
            occurrence
            for occurrence in schedule.occurrences(
                table,
                recurrence.localize(series.dtstart, tz),
                recurrence.localize(datetime.combine(self.today, time.min), tz),
            )
            if occurrence.is_happening
        ][-spec.meetings :]
        if not past:
            return
        seats = table.seats
        meetings = []
        for occurrence in past:
            latest = occurrence is past[-1]
            meeting = Meeting(
                table=table,
                series=series,
                recurrence_id=occurrence.recurrence_id,
                agenda=table.agenda_template,
                minutes=spec.minutes if latest else "",
            )
            for index, seat in enumerate(seats):
                status = AttendanceStatus.PRESENT
                if index in spec.absent:
                    status = AttendanceStatus.ABSENT
                elif latest and index in spec.deputy:
                    status = AttendanceStatus.DEPUTY
                elif latest and index in spec.excused:
                    status = AttendanceStatus.EXCUSED
                meeting.attendances.append(Attendance(seat=seat, status=status))
            db.session.add(meeting)
            meetings.append(meeting)
        for action in spec.actions:
            db.session.add(
                ActionItem(
                    table=table,
                    seat=seats[action.seat],
                    meeting=meetings[-1],
                    description=action.description,
                    due_on=self.today + timedelta(days=action.due_in_days),
                )
            )
        self.report.count("bijeenkomsten", len(meetings))
        self.report.count("afspraken", len(spec.actions))

    def account(self, spec: data.AccountSpec) -> None:
        if self._get(User, email=spec.email) is not None:
            return
        db.session.add(
            User(
                email=spec.email,
                password_hash=hash_password(data.DEMO_PASSWORD),
                role=AccountRole(spec.role),
                person=self._get(Person, email=spec.person_email),
                areas=[self.areas[slug] for slug in spec.areas],
            )
        )
        self.report.count("accounts")


def _mailbox(role_name: str) -> str:
    """A functional mailbox name from a role name: "Klantmanager statushouders" → "klantmanager"."""
    word = role_name.split()[0].lower()
    return "".join(ch for ch in word if ch.isalnum()) or "info"
