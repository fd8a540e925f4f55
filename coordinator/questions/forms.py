"""Forms of the question board; every free-text field carries the privacy guard."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from coordinator.directory.models import Area, AreaKind, Role, TargetGroup, Topic
from coordinator.extensions import db
from coordinator.privacy import NoPersonalData
from coordinator.questions.services import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH


def topic_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(sa.select(Topic).order_by(Topic.position, Topic.name))
    return [(t.slug, t.name) for t in rows]


def target_group_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(
        sa.select(TargetGroup).order_by(TargetGroup.position, TargetGroup.name)
    )
    return [(g.slug, g.name) for g in rows]


def area_choices() -> list[tuple[str, str]]:
    """Stadsdelen with their wijken indented below them (the city itself is not an area to ask)."""
    areas = list(db.session.scalars(sa.select(Area).order_by(Area.name)))
    districts = [a for a in areas if a.kind == AreaKind.DISTRICT]
    choices = []
    for district in districts:
        choices.append((district.slug, district.name))
        choices += [(w.slug, f"— {w.name}") for w in areas if w.parent_id == district.id]
    placed = {slug for slug, _label in choices}
    choices += [(a.slug, a.name) for a in areas if a.slug not in placed and a.kind != AreaKind.CITY]
    return choices


def _with_blank(choices: Iterable[tuple[str, str]], label: str) -> list[SelectChoice]:
    return [SelectChoice("", label), *(SelectChoice(value, text) for value, text in choices)]


class AskForm(FlaskForm):
    topic = SelectField(_l("Thema"), validators=[DataRequired(_l("Kies een thema."))])
    target_group = SelectField(
        _l("Doelgroep"), validators=[DataRequired(_l("Kies een doelgroep."))]
    )
    area = SelectField(_l("Gebied"), validators=[DataRequired(_l("Kies een gebied."))])
    text = TextAreaField(
        _l("Uw vraag"),
        description=_l(
            "Over aanbod en organisaties, nooit over een bewoner: geen namen, nummers, "
            "adressen of geboortedata."
        ),
        validators=[
            DataRequired(_l("Typ uw vraag.")),
            Length(max=QUESTION_MAX_LENGTH),
            NoPersonalData(),
        ],
    )

    def fill_choices(self) -> AskForm:
        self.topic.choices = _with_blank(topic_choices(), str(_l("Kies een thema")))
        self.target_group.choices = _with_blank(
            target_group_choices(), str(_l("Kies een doelgroep"))
        )
        self.area.choices = _with_blank(area_choices(), str(_l("Kies een gebied")))
        return self


class AnswerForm(FlaskForm):
    text = TextAreaField(
        _l("Uw antwoord"),
        validators=[
            DataRequired(_l("Typ uw antwoord.")),
            Length(max=ANSWER_MAX_LENGTH),
            NoPersonalData(),
        ],
    )


class ResolveForm(FlaskForm):
    best_answer_id = HiddenField()


class KeepAnswerForm(FlaskForm):
    """Turn an answer into a directory fact of the answering organisation."""

    handles = RadioField(
        _l("Soort"),
        choices=[
            SelectChoice("ja", _l("Doet dit (taak)")),
            SelectChoice("nee", _l("Doet dit niet (grens)")),
        ],
        default="ja",
    )
    role = SelectField(_l("Functie"), validators=[Optional()])
    summary = StringField(
        _l("Korte omschrijving"),
        validators=[
            DataRequired(_l("Vul een korte omschrijving in.")),
            Length(max=300),
            NoPersonalData(),
        ],
    )
    reason = TextAreaField(
        _l("Waarom niet / onder welke voorwaarde"), validators=[Optional(), NoPersonalData()]
    )
    referral_tips = TextAreaField(
        _l("Tips om warm door te verwijzen"), validators=[Optional(), NoPersonalData()]
    )

    def fill_roles(self, organisation_id: int) -> KeepAnswerForm:
        roles = db.session.scalars(
            sa.select(Role).where(Role.organisation_id == organisation_id).order_by(Role.name)
        )
        self.role.choices = [SelectChoice("", str(_l("De organisatie als geheel")))] + [
            SelectChoice(str(r.id), r.name) for r in roles
        ]
        return self


class PreferencesForm(FlaskForm):
    notify_questions = BooleanField(
        _l("Stuur mij ook vragen uit de gebieden van de tafels waar ik aan zit")
    )
