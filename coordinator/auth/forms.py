"""Forms for logging in, accepting an invitation and resetting a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from coordinator.auth.passwords import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
        ],
    )
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))]
    )
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Kies een wachtwoord van minstens %(min)d tekens."),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul uw e-mailadres in.")),
            Email(_l("Dit is geen geldig e-mailadres.")),
        ],
    )


class LocaleForm(FlaskForm):
    locale = SelectField(
        _l("Taal"), choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Naam van het token"),
        validators=[DataRequired(_l("Geef het token een naam.")), Length(max=120)],
    )
