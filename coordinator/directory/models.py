"""Directory models: areas, organisations, roles (functies), people and who-does-what.

Roles are the stable thing; people hold them through assignments and come and go.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.extensions import db

if TYPE_CHECKING:
    from coordinator.auth.models import User


class AreaKind(enum.StrEnum):
    CITY = "stad"
    DISTRICT = "stadsdeel"
    NEIGHBOURHOOD = "wijk"


class OrganisationKind(enum.StrEnum):
    FORMAL = "formeel"
    INFORMAL = "informeel"


class Infrastructure(enum.StrEnum):
    ARRIVAL = "aankomst"
    SOCIAL = "sociaal"
    BOTH = "beide"


class Visibility(enum.StrEnum):
    """Who may see an entry: everyone, logged-in partners, or the own organisation only."""

    PUBLIC = "openbaar"
    NETWORK = "netwerk"
    ORGANISATION = "organisatie"


class PersonKind(enum.StrEnum):
    STAFF = "medewerker"
    VOLUNTEER = "vrijwilliger"
    KEY_FIGURE = "sleutelfiguur"


organisation_areas = sa.Table(
    "organisation_areas",
    db.metadata,
    sa.Column(
        "organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_organisation_areas_area_id", "area_id"),
)

responsibility_topics = sa.Table(
    "responsibility_topics",
    db.metadata,
    sa.Column(
        "responsibility_id",
        sa.ForeignKey("responsibilities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("topic_id", sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    # The lookup starts from a topic (or area, or group): covering indexes (x, responsibility_id)
    # find its responsibilities without a table scan and without touching the table itself.
    sa.Index("ix_responsibility_topics_lookup", "topic_id", "responsibility_id"),
)

responsibility_target_groups = sa.Table(
    "responsibility_target_groups",
    db.metadata,
    sa.Column(
        "responsibility_id",
        sa.ForeignKey("responsibilities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "target_group_id", sa.ForeignKey("target_groups.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index("ix_responsibility_target_groups_lookup", "target_group_id", "responsibility_id"),
)

responsibility_areas = sa.Table(
    "responsibility_areas",
    db.metadata,
    sa.Column(
        "responsibility_id",
        sa.ForeignKey("responsibilities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_responsibility_areas_lookup", "area_id", "responsibility_id"),
)


class Area(db.Model):
    """The city, a stadsdeel or a wijk; ``parent`` links wijk → stadsdeel → stad."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier used in URLs and the API (e.g. ``zuidoost``).
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"), index=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.name")

    def lineage(self) -> list[Area]:
        """This area and every area above it, nearest first (wijk, stadsdeel, stad)."""
        chain: list[Area] = []
        node: Area | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Topic(db.Model):
    """A thema of help (huisvesting, taal/inburgering, ...); an editable taxonomy."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    #: Topics sharing a cluster are neighbours (e.g. "zorg": zorg/gezondheid, psychische hulp);
    #: an empty lookup suggests them as alternatives.
    cluster: Mapped[str | None] = mapped_column(sa.String(80))


class TargetGroup(db.Model):
    """A doelgroep (statushouders, ongedocumenteerden, ..., iedereen); an editable taxonomy."""

    __tablename__ = "target_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)


class Organisation(db.Model):
    """A formal or informal organisation in the network."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    infrastructure: Mapped[Infrastructure] = mapped_column(enum_column(Infrastructure))
    #: Free classification such as "welzijn", "zorg", "overheid", "wonen", "religie".
    sector: Mapped[str | None] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str | None] = mapped_column(sa.String(300))
    #: Functional (not personal) contact details.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.NETWORK
    )
    #: Collaborations die when a subsidy ends; the dashboard warns ahead of this date.
    funding_ends_on: Mapped[date | None]
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: True for rows created by ``seed-demo``; the seeder refuses to touch other data.
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    areas: Mapped[list[Area]] = relationship(secondary=organisation_areas, order_by=Area.name)
    roles: Mapped[list[Role]] = relationship(
        back_populates="organisation", order_by="Role.name", cascade="all, delete-orphan"
    )
    people: Mapped[list[Person]] = relationship(
        back_populates="organisation", foreign_keys="Person.organisation_id", order_by="Person.name"
    )
    responsibilities: Mapped[list[Responsibility]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class Role(db.Model):
    """A functie at an organisation (e.g. "Brugfunctionaris"); it outlives whoever holds it."""

    __tablename__ = "roles"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Functional contact of the role (a team mailbox survives turnover).
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.NETWORK
    )

    organisation: Mapped[Organisation] = relationship(back_populates="roles")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="role", order_by="Assignment.starts_on", cascade="all, delete-orphan"
    )

    def current_assignments(self, on: date | None = None) -> list[Assignment]:
        """Assignments in force on ``on`` (default today)."""
        day = on or date.today()  # noqa: DTZ011 - a calendar day, not an instant
        return [a for a in self.assignments if a.is_current(day)]

    @property
    def holders(self) -> list[Person]:
        """The people holding this role today; empty means vacant.

        Someone reported as left is no longer a holder from their last working day on, so the seat
        shows as vacant (and can be handed over) as soon as the leaving is reported.
        """
        return [a.person for a in self.current_assignments() if not a.person.has_left]


class Person(db.Model):
    """A professional, volunteer or key figure in the network (never a resident or newcomer)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind), default=PersonKind.STAFF)
    #: Who may see this person's personal contact details.
    contact_visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.NETWORK
    )
    #: Volunteers and key figures are listed beyond their organisation only with consent.
    consent_given_on: Mapped[date | None]
    #: Languages spoken, as ISO 639-1 codes (``["nl", "ar"]``).
    language_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: Optional, self-declared professional focus tags (e.g. "vrouwen", "LHBTIQ+").
    focus_tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    left_on: Mapped[date | None]
    #: Set when personal contact details were erased after leaving.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    organisation: Mapped[Organisation] = relationship(
        back_populates="people", foreign_keys=[organisation_id]
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="person", order_by="Assignment.starts_on", cascade="all, delete-orphan"
    )

    @property
    def has_left(self) -> bool:
        return self.left_on is not None and self.left_on <= date.today()  # noqa: DTZ011

    @property
    def display_name(self) -> str:
        return self.name or "(gegevens verwijderd)"


class Assignment(db.Model):
    """A person holds a role from a date to (optionally) a date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]

    person: Mapped[Person] = relationship(back_populates="assignments")
    role: Mapped[Role] = relationship(back_populates="assignments")

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Responsibility(db.Model):
    """A taak: a role or organisation handles, or explicitly does *not* handle, topics for groups."""

    __tablename__ = "responsibilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: Optional: the specific role that carries this task; else the organisation as a whole.
    role_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roles.id", ondelete="CASCADE"), index=True
    )
    #: True: "doet dit"; False: "doet dit niet" (a boundary).
    handles: Mapped[bool] = mapped_column(default=True)
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Why not, or under which condition (e.g. "geen BSN, geen hulp mogelijk").
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: How to refer well: warm handover tips.
    referral_tips: Mapped[str] = mapped_column(sa.Text, default="")
    opening_hours: Mapped[str] = mapped_column(sa.String(300), default="")
    language_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    waiting_time: Mapped[str] = mapped_column(sa.String(120), default="")
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    organisation: Mapped[Organisation] = relationship(back_populates="responsibilities")
    role: Mapped[Role | None] = relationship()
    verified_by: Mapped[Person | None] = relationship(foreign_keys=[verified_by_id])
    topics: Mapped[list[Topic]] = relationship(
        secondary=responsibility_topics, order_by=Topic.position
    )
    target_groups: Mapped[list[TargetGroup]] = relationship(
        secondary=responsibility_target_groups, order_by=TargetGroup.position
    )
    areas: Mapped[list[Area]] = relationship(secondary=responsibility_areas, order_by=Area.name)


class AuditAction(enum.StrEnum):
    CREATE = "aangemaakt"
    UPDATE = "gewijzigd"
    DELETE = "verwijderd"


class AuditEntry(db.Model):
    """One recorded change to the directory: who, when, which entity and field, old → new.

    Values are stored as display text. Personal contact details are never copied in here
    (people are referred to by id), so erasing a person also erases them from history.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_organisation_at", "organisation_id", "at"),
        sa.Index("ix_audit_entries_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The account that made the change; ``None`` for the system (scheduler, import).
    actor_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The organisation whose history shows this entry.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    #: "organisation", "role", "person", "assignment" or "responsibility".
    entity_type: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[int]
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    #: Short human label of the entity at the time (never a person's name).
    entity_label: Mapped[str] = mapped_column(sa.String(300), default="")
    field: Mapped[str | None] = mapped_column(sa.String(80))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")
    organisation: Mapped[Organisation | None] = relationship()
