"""Forms for tables: the table itself, the Dutch rule builder, occurrences, seats, handover."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordinator.errors import DomainError
from coordinator.privacy import NoPersonalData
from coordinator.tables.models import ActionStatus, AttendanceStatus, TableKind
from coordinator.tables.recurrence import EndKind, Pattern, RuleSpec
from coordinator.tables.schedule import Schedule

KIND_LABELS = {
    TableKind.MATCHTAFEL: _l("Matchtafel"),
    TableKind.NETWORK: _l("Netwerkbijeenkomst"),
    TableKind.PARTICIPATION: _l("Participatiebijeenkomst"),
    TableKind.TOUR: _l("Rondleiding"),
    TableKind.CONSULTATION: _l("Spreekuur"),
    TableKind.INTERVISION: _l("Intervisie"),
}
WEEKDAYS = [
    _l("maandag"),
    _l("dinsdag"),
    _l("woensdag"),
    _l("donderdag"),
    _l("vrijdag"),
    _l("zaterdag"),
    _l("zondag"),
]
NTH = [("1", _l("eerste")), ("2", _l("tweede")), ("3", _l("derde")), ("4", _l("vierde"))]
NTH.append(("-1", _l("laatste")))


def choices(pairs: list[tuple[object, object]]) -> list[SelectChoice]:
    """WTForms 3.3 wants :class:`SelectChoice` objects rather than tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


#: Service field names that a form shows under another field.
FIELD_ALIASES = {"duration": "end_time", "dtstart": "start_day", "new_start": "new_day"}


def apply_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service refusal at the field it is about, else above the form."""
    name = FIELD_ALIASES.get(error.field or "", error.field)
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors"):
        if isinstance(target.errors, tuple):
            target.errors = list(target.errors)
        target.errors.append(error.message)
    else:
        form.form_errors.append(error.message)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TableForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Geef de tafel een naam.")), Length(max=200)]
    )
    kind = SelectField(
        _l("Soort"), choices=choices([(k.value, label) for k, label in KIND_LABELS.items()])
    )
    area_id = SelectField(_l("Stadsdeel of wijk"), coerce=int)
    purpose = TextAreaField(_l("Doel"), validators=[Optional(), NoPersonalData()])
    location = StringField(_l("Adres"), validators=[Optional(), Length(max=300)])
    online_url = StringField(
        _l("Online link"),
        validators=[Optional(), URL(message=_l("Dit is geen geldige link."))],
    )
    funding_ends_on = DateField(_l("Financiering loopt tot"), validators=[Optional()])
    reminder_days_before = IntegerField(
        _l("Herinnering (dagen vooraf)"), default=2, validators=[NumberRange(0, 30)]
    )
    agenda_template = TextAreaField(_l("Vaste agenda"), validators=[Optional(), NoPersonalData()])


class RuleForm(FlaskForm):
    """The rule builder, in the words Outlook and Google use."""

    pattern = RadioField(
        _l("Herhaling"),
        choices=choices(
            [
                (Pattern.WEEKLY.value, _l("Wekelijks of om de paar weken")),
                (
                    Pattern.MONTHLY_WEEKDAY.value,
                    _l("Maandelijks op een weekdag (bijv. tweede dinsdag)"),
                ),
                (Pattern.MONTHLY_DAY.value, _l("Maandelijks op een dag van de maand")),
            ]
        ),
        default=Pattern.MONTHLY_WEEKDAY.value,
    )
    interval = IntegerField(_l("Elke … weken/maanden"), default=1, validators=[NumberRange(1, 99)])
    weekdays = MultiCheckboxField(
        _l("Op"),
        choices=choices([(str(i), name) for i, name in enumerate(WEEKDAYS)]),
        default=["1"],
    )
    nth = SelectField(_l("De"), choices=choices(NTH), default="2")
    weekday = SelectField(
        _l("Weekdag"),
        choices=choices([(str(i), name) for i, name in enumerate(WEEKDAYS)]),
        default="1",
    )
    month_day = IntegerField(_l("Dag van de maand"), default=1, validators=[Optional()])
    start_day = DateField(_l("Vanaf"), validators=[DataRequired(_l("Kies een startdatum."))])
    start_time = TimeField(_l("Begintijd"), validators=[DataRequired(_l("Kies een begintijd."))])
    end_time = TimeField(_l("Eindtijd"), validators=[DataRequired(_l("Kies een eindtijd."))])
    end = RadioField(
        _l("Einde"),
        choices=choices(
            [
                (EndKind.NEVER.value, _l("Geen einddatum")),
                (EndKind.UNTIL.value, _l("Tot en met")),
                (EndKind.COUNT.value, _l("Na een aantal keer")),
            ]
        ),
        default=EndKind.NEVER.value,
    )
    until = DateField(_l("Einddatum"), validators=[Optional()])
    count = IntegerField(_l("Aantal keer"), validators=[Optional()])

    def to_schedule(self) -> Schedule:
        """The submitted rule; the services validate it (an end before the start included)."""
        start = datetime.combine(self.start_day.data, self.start_time.data)
        end = datetime.combine(self.start_day.data, self.end_time.data)
        spec = RuleSpec(
            Pattern(self.pattern.data),
            interval=self.interval.data or 1,
            weekdays=tuple(int(d) for d in self.weekdays.data or ()),
            nth=int(self.nth.data),
            weekday=int(self.weekday.data),
            month_day=self.month_day.data,
            end=EndKind(self.end.data),
            until=self.until.data,
            count=self.count.data,
        )
        minutes = int((end - start).total_seconds() // 60)
        return Schedule(spec, self.start_day.data, self.start_time.data, minutes)


class MoveForm(FlaskForm):
    new_day = DateField(_l("Nieuwe datum"), validators=[DataRequired(_l("Kies een datum."))])
    new_time = TimeField(_l("Nieuwe begintijd"), validators=[DataRequired(_l("Kies een tijd."))])
    duration = IntegerField(_l("Duur (minuten)"), validators=[Optional()])
    location = StringField(_l("Andere locatie"), validators=[Optional(), Length(max=300)])


class CancelForm(FlaskForm):
    reason = StringField(_l("Reden"), validators=[Optional(), Length(max=500), NoPersonalData()])
    skipped = BooleanField(_l("Overslaan (bijv. feestdag of vakantie) in plaats van afgelasten"))


class PauseForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden van de pauze"),
        validators=[DataRequired(_l("Geef een reden voor de pauze.")), NoPersonalData()],
    )


class TextForm(FlaskForm):
    """Agenda or minutes of one meeting."""

    text = TextAreaField(_l("Tekst"), validators=[Optional(), NoPersonalData()])


class ActionForm(FlaskForm):
    seat_id = SelectField(_l("Zetel"), coerce=int)
    description = TextAreaField(
        _l("Afspraak"), validators=[DataRequired(_l("Beschrijf de afspraak.")), NoPersonalData()]
    )
    due_on = DateField(_l("Uiterlijk"), validators=[Optional()])


class ActionStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=choices(
            [
                (ActionStatus.OPEN.value, _l("open")),
                (ActionStatus.DONE.value, _l("afgerond")),
                (ActionStatus.DROPPED.value, _l("vervallen")),
            ]
        ),
    )


ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("aanwezig"),
    AttendanceStatus.DEPUTY: _l("vervanger aanwezig"),
    AttendanceStatus.EXCUSED: _l("afgemeld"),
    AttendanceStatus.ABSENT: _l("afwezig"),
}


class GuestForm(FlaskForm):
    name = StringField(
        _l("Naam gast"),
        validators=[DataRequired(_l("Vul de naam van de gast in.")), Length(max=200)],
    )
    organisation_name = StringField(_l("Organisatie"), validators=[Optional(), Length(max=200)])


class SeatForm(FlaskForm):
    role_id = SelectField(_l("Organisatie – functie"), coerce=int)
    deputy_person_id = SelectField(_l("Vervanger"), coerce=int, validators=[Optional()])
    is_coordinator = BooleanField(_l("Coördinerende zetel"))


class HandoverForm(FlaskForm):
    choice = RadioField(
        _l("Wie neemt de zetel over?"),
        choices=choices(
            [("deputy", _l("De vervanger schuift door")), ("successor", _l("Een opvolger"))]
        ),
        default="successor",
    )
    successor_person_id = SelectField(_l("Opvolger"), coerce=int, validators=[Optional()])
    from_person_id = SelectField(_l("Wie vertrekt van deze zetel?"), coerce=int, default=0)
    note = TextAreaField(_l("Overdrachtsnotitie"), validators=[Optional(), NoPersonalData()])
