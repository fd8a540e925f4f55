"""factory_boy factories over the shared session; ``create()`` flushes, services commit."""

from __future__ import annotations

from datetime import date, datetime
from email.headerregistry import Address

import factory
from factory.alchemy import SQLAlchemyModelFactory

from coordinator.auth.models import AccountRole, User
from coordinator.auth.passwords import hash_password
from coordinator.directory.models import (
    Area,
    AreaKind,
    Assignment,
    Infrastructure,
    Organisation,
    OrganisationKind,
    Person,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
)
from coordinator.extensions import db
from coordinator.mail.compose import build_message
from coordinator.mail.models import OutboxMessage
from coordinator.tables.models import ActionItem, Seat, Table, TableSeries

#: Password of every user made by :class:`UserFactory` (hashing is slow; done once).
PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class AreaFactory(Base):
    class Meta:
        model = Area

    slug = factory.Sequence(lambda n: f"gebied-{n}")
    name = factory.Sequence(lambda n: f"Gebied {n}")
    kind = AreaKind.DISTRICT


class TopicFactory(Base):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"thema-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")


class TargetGroupFactory(Base):
    class Meta:
        model = TargetGroup

    slug = factory.Sequence(lambda n: f"doelgroep-{n}")
    name = factory.Sequence(lambda n: f"Doelgroep {n}")


class OrganisationFactory(Base):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.FORMAL
    infrastructure = Infrastructure.SOCIAL
    email = factory.Sequence(lambda n: f"info{n}@org.example.org")


class RoleFactory(Base):
    class Meta:
        model = Role

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Functie {n}")


class PersonFactory(Base):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Medewerker {n}")
    email = factory.Sequence(lambda n: f"medewerker{n}@org.example.org")
    language_codes = factory.LazyFunction(lambda: ["nl"])


class AssignmentFactory(Base):
    class Meta:
        model = Assignment

    person = factory.SubFactory(PersonFactory)
    role = factory.SubFactory(
        RoleFactory, organisation=factory.SelfAttribute("..person.organisation")
    )
    starts_on = date(2024, 1, 1)


class UserFactory(Base):
    class Meta:
        model = User

    person = factory.SubFactory(PersonFactory)
    email = factory.LazyAttribute(lambda o: o.person.email)
    role = AccountRole.PARTNER
    password_hash = _PASSWORD_HASH


class ResponsibilityFactory(Base):
    class Meta:
        model = Responsibility

    organisation = factory.SubFactory(OrganisationFactory)
    handles = True
    summary = "Hulp"


class TableFactory(Base):
    class Meta:
        model = Table

    name = factory.Sequence(lambda n: f"Matchtafel {n}")
    area = factory.SubFactory(AreaFactory)


class TableSeriesFactory(Base):
    class Meta:
        model = TableSeries

    table = factory.SubFactory(TableFactory)
    uid = factory.Sequence(lambda n: f"series-{n}@matchtafel.example.org")
    dtstart = datetime(2026, 1, 13, 10, 0)  # noqa: DTZ001 - local wall-clock time by design
    duration_minutes = 90
    rrule = "FREQ=MONTHLY;BYDAY=2TU"


class SeatFactory(Base):
    class Meta:
        model = Seat

    table = factory.SubFactory(TableFactory)
    role = factory.SubFactory(RoleFactory)
    organisation = factory.SelfAttribute("role.organisation")


# --- tables capability ----------------------------------------------------------------------


class CoordinatorFactory(UserFactory):
    """A coördinator account running the given ``areas`` (pass ``areas=[area]``)."""

    role = AccountRole.COORDINATOR


class ActionItemFactory(Base):
    class Meta:
        model = ActionItem

    seat = factory.SubFactory(SeatFactory)
    table = factory.SelfAttribute("seat.table")
    description = factory.Sequence(lambda n: f"Afspraak {n}")


# --- Scheduler and delivery (issue 6) ---


class OutboxMessageFactory(Base):
    """A queued plain-text mail; ``build_batch`` + ``add_all`` for many at once."""

    class Meta:
        model = OutboxMessage

    kind = "test"
    recipient = factory.Sequence(lambda n: f"deelnemer{n}@partner.example.org")
    subject = factory.Sequence(lambda n: f"Uitnodiging matchtafel {n}")
    message_id = factory.Sequence(lambda n: f"<test-{n}@matchtafel.example.org>")
    raw = factory.LazyAttribute(
        lambda o: build_message(
            sender=Address("Matchtafel", addr_spec="matchtafel@example.org"),
            to=o.recipient,
            subject=o.subject,
            text="U bent uitgenodigd voor de matchtafel.",
            message_id=o.message_id,
        ).as_bytes()
    )


# --- questions (the question board) ------------------------------------------------------------

from coordinator.questions.models import Answer, Question, QuestionPreference  # noqa: E402


class QuestionFactory(Base):
    class Meta:
        model = Question

    asker = factory.SubFactory(UserFactory)
    asker_organisation = factory.SelfAttribute("asker.person.organisation")
    topic = factory.SubFactory(TopicFactory)
    target_group = factory.SubFactory(TargetGroupFactory)
    area = factory.SubFactory(AreaFactory)
    text = factory.Sequence(lambda n: f"Waar kan een groep terecht voor les {n}?")


class AnswerFactory(Base):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("author.person.organisation")
    text = factory.Sequence(lambda n: f"Bij ons, elke woensdag (antwoord {n}).")


class QuestionPreferenceFactory(Base):
    class Meta:
        model = QuestionPreference

    notify_questions = True
