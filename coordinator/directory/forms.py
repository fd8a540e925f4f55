"""Forms of the directory pages; choice lists come from the taxonomies in the database."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from coordinator.directory.models import (
    Area,
    Infrastructure,
    OrganisationKind,
    PersonKind,
    TargetGroup,
    Topic,
    Visibility,
)
from coordinator.extensions import db
from coordinator.privacy import NoPersonalData

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Openbaar (ook op de openbare sociale kaart)"),
    Visibility.NETWORK: _l("Netwerk (alle ingelogde partners)"),
    Visibility.ORGANISATION: _l("Alleen de eigen organisatie"),
}
KIND_LABELS = {
    OrganisationKind.FORMAL: _l("Formeel"),
    OrganisationKind.INFORMAL: _l("Informeel (zelforganisatie, initiatief)"),
}
INFRASTRUCTURE_LABELS = {
    Infrastructure.ARRIVAL: _l("Aankomstinfrastructuur"),
    Infrastructure.SOCIAL: _l("Sociale infrastructuur"),
    Infrastructure.BOTH: _l("Beide"),
}
PERSON_KIND_LABELS = {
    PersonKind.STAFF: _l("Medewerker"),
    PersonKind.VOLUNTEER: _l("Vrijwilliger"),
    PersonKind.KEY_FIGURE: _l("Sleutelfiguur"),
}


def topic_choices(blank: str | None = None) -> list[SelectChoice]:
    rows = db.session.scalars(sa.select(Topic).order_by(Topic.position, Topic.name))
    return _blank(blank) + [SelectChoice(t.slug, t.name) for t in rows]


def group_choices(blank: str | None = None) -> list[SelectChoice]:
    rows = db.session.scalars(sa.select(TargetGroup).order_by(TargetGroup.position))
    return _blank(blank) + [SelectChoice(g.slug, g.name) for g in rows]


def area_choices(blank: str | None = None, key: str = "slug") -> list[SelectChoice]:
    """Areas as a tree: the city, each stadsdeel, and its wijken indented below it."""
    areas = list(db.session.scalars(sa.select(Area).order_by(Area.name)))
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    result: list[SelectChoice] = _blank(blank)

    def walk(parent_id: int | None, depth: int) -> None:
        for area in children.get(parent_id, []):
            label = ("— " * depth) + area.name
            result.append(SelectChoice(getattr(area, key), label))
            walk(area.id, depth + 1)

    walk(None, 0)
    return result


def _enum_choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, label) for member, label in labels.items()]


def _blank(label: str | None) -> list[SelectChoice]:
    return [SelectChoice("", label)] if label else []


class LookupForm(FlaskForm):
    """The "Wie doet wat?" question; a GET form (no CSRF needed, nothing changes)."""

    class Meta:
        csrf = False

    topic = SelectField(_l("Thema"), validators=[DataRequired(_l("Kies een thema."))])
    target_group = SelectField(_l("Doelgroep"), validators=[Optional()])
    area = SelectField(_l("Wijk of stadsdeel"), validators=[Optional()])
    language = StringField(
        _l("Taal (optioneel, bijv. ar, ti, tr)"), validators=[Optional(), Length(max=3)]
    )

    def fill_choices(self) -> None:
        self.topic.choices = topic_choices(str(_l("Kies een thema")))
        self.target_group.choices = group_choices(str(_l("Alle doelgroepen")))
        self.area.choices = area_choices(str(_l("Heel Amsterdam")))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Zoek op naam"), validators=[Optional()])
    topic = SelectField(_l("Thema"), validators=[Optional()])
    area = SelectField(_l("Gebied"), validators=[Optional()])
    kind = SelectField(_l("Soort"), validators=[Optional()])
    language = StringField(_l("Taal"), validators=[Optional(), Length(max=3)])

    def fill_choices(self) -> None:
        self.topic.choices = topic_choices(str(_l("Alle thema's")))
        self.area.choices = area_choices(str(_l("Alle gebieden")))
        self.kind.choices = _blank(str(_l("Formeel en informeel"))) + _enum_choices(KIND_LABELS)


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)]
    )
    kind = SelectField(_l("Soort"), choices=_enum_choices(KIND_LABELS))
    infrastructure = SelectField(_l("Infrastructuur"), choices=_enum_choices(INFRASTRUCTURE_LABELS))
    sector = StringField(_l("Sector (bijv. welzijn, zorg, wonen)"), validators=[Length(max=80)])
    description = TextAreaField(
        _l("Wat doet de organisatie?"), validators=[NoPersonalData(), Length(max=5000)]
    )
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    email = EmailField(
        _l("Functioneel e-mailadres"),
        validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres."))],
    )
    phone = StringField(_l("Functioneel telefoonnummer"), validators=[Length(max=40)])
    visibility = SelectField(_l("Zichtbaarheid"), choices=_enum_choices(VISIBILITY_LABELS))
    funding_ends_on = DateField(_l("Subsidie loopt af op (optioneel)"), validators=[Optional()])
    areas = SelectMultipleField(_l("Werkgebied"), coerce=int, validators=[Optional()])

    def fill_choices(self) -> None:
        self.areas.choices = area_choices(key="id")


class RoleForm(FlaskForm):
    name = StringField(
        _l("Naam van de functie"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=160)]
    )
    description = TextAreaField(_l("Omschrijving"), validators=[NoPersonalData()])
    email = EmailField(
        _l("Functioneel e-mailadres (teammailbox)"),
        validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres."))],
    )
    phone = StringField(_l("Functioneel telefoonnummer"), validators=[Length(max=40)])
    visibility = SelectField(_l("Zichtbaarheid"), choices=_enum_choices(VISIBILITY_LABELS))


class PersonForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=200)]
    )
    kind = SelectField(_l("Soort"), choices=_enum_choices(PERSON_KIND_LABELS))
    email = EmailField(
        _l("E-mailadres (werk)"),
        validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres."))],
    )
    phone = StringField(_l("Telefoon (werk)"), validators=[Length(max=40)])
    contact_visibility = SelectField(
        _l("Wie mag deze contactgegevens zien?"), choices=_enum_choices(VISIBILITY_LABELS)
    )
    consent_given_on = DateField(
        _l("Toestemming gegeven op (vrijwilligers en sleutelfiguren)"), validators=[Optional()]
    )
    language_codes = StringField(_l("Talen (ISO 639, bijv. nl, ar, ti)"))
    focus_tags = StringField(_l("Aandachtsgebieden (optioneel, zelf gekozen)"))


class AssignForm(FlaskForm):
    person = SelectField(_l("Persoon"), coerce=int)
    starts_on = DateField(_l("Vanaf"), validators=[DataRequired(_l("Kies een datum."))])


def amsterdam_today() -> date:
    """Today in Amsterdam, the default for dates a user picks."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


class LeaveForm(FlaskForm):
    on_date = DateField(
        _l("Laatste werkdag"),
        default=amsterdam_today,
        validators=[DataRequired(_l("Kies een datum."))],
    )


class ResponsibilityForm(FlaskForm):
    handles = RadioField(
        _l("Soort"),
        choices=[SelectChoice("1", _l("Doet dit")), SelectChoice("0", _l("Doet dit níet (grens)"))],
        default="1",
    )
    role = SelectField(_l("Functie (optioneel)"), coerce=int)
    topics = SelectMultipleField(
        _l("Thema's"), validators=[DataRequired(_l("Kies minstens één thema."))]
    )
    target_groups = SelectMultipleField(_l("Doelgroepen"), validators=[Optional()])
    areas = SelectMultipleField(_l("Gebieden (leeg = heel de stad)"), validators=[Optional()])
    summary = StringField(_l("Korte omschrijving"), validators=[NoPersonalData(), Length(max=300)])
    reason = TextAreaField(
        _l("Waarom niet, of onder welke voorwaarde"), validators=[NoPersonalData()]
    )
    referral_tips = TextAreaField(
        _l("Zo verwijst u goed (warme overdracht)"), validators=[NoPersonalData()]
    )
    opening_hours = StringField(
        _l("Openingstijden / spreekuur"), validators=[NoPersonalData(), Length(max=300)]
    )
    language_codes = StringField(_l("Talen (ISO 639, bijv. nl, ar)"))
    waiting_time = StringField(_l("Wachttijd"), validators=[Length(max=120)])
    valid_from = DateField(_l("Geldig vanaf"), validators=[Optional()])
    valid_until = DateField(_l("Geldig tot"), validators=[Optional()])

    def fill_choices(self, roles: list) -> None:
        self.role.choices = [SelectChoice(0, str(_l("De hele organisatie")))] + [
            SelectChoice(r.id, r.name) for r in roles
        ]
        self.topics.choices = topic_choices()
        self.target_groups.choices = group_choices()
        self.areas.choices = area_choices()


class ConfirmForm(FlaskForm):
    """A button-only POST (CSRF-protected)."""


class TaxonomyNameForm(FlaskForm):
    """Add or rename a thema or doelgroep: the name only (the slug is generated once)."""

    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=120)]
    )


class AreaNameForm(TaxonomyNameForm):
    """Add a gebied: its name and the stadsdeel (or the city) it lies in."""

    parent = SelectField(
        _l("Valt onder"),
        validators=[DataRequired(_l("Kies waar dit gebied onder valt."))],
    )

    def fill_choices(self) -> None:
        self.parent.choices = [
            SelectChoice(str(c.value), c.label)
            for c in area_choices(str(_l("Kies een gebied")), key="id")
        ]
