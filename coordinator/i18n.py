"""Dutch-first localisation: locale choice, Europe/Amsterdam display and date filters.

Source strings are Dutch (the product's primary language); the English catalog translates them.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_time, get_locale, lazy_gettext
from flask_login import current_user

from coordinator.extensions import babel

TRANSLATIONS_DIR = "translations"


def select_locale() -> str:
    """The user's choice (account, then session), else the page's own, else the browser's.

    A page may set ``g.page_locale`` (the RSVP pages use the language of the invite); the
    default is Dutch.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if g.get("page_locale") in languages:  # e.g. an RSVP page in its invite's language
        return g.page_locale
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def format_day(value: date | datetime | None, fmt: str = "EEE d MMM y") -> str:
    """ "di 10 dec. 2026" in Dutch."""
    if value is None:
        return ""
    return format_date(value, fmt)


def format_moment(value: datetime | None, fmt: str = "EEE d MMM y, HH:mm") -> str:
    """An instant shown in Europe/Amsterdam: "di 10 dec. 2026, 10:00"."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def format_clock(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_time(value, "HH:mm")


def format_span(start: datetime | None, end: datetime | None) -> str:
    """A meeting in Dutch: "di 10 dec 2026, 10:00–11:30" (end day added when it differs)."""
    if start is None:
        return ""
    text = f"{format_day(start)}, {format_clock(start)}"
    if end is None:
        return text
    same_day = format_day(start) == format_day(end)
    return f"{text}–{format_clock(end) if same_day else format_moment(end)}"


def format_languages(codes: list[str] | None) -> str:
    """ISO 639 codes as names in the page's language: "nl, ar" → "Nederlands, Arabisch".

    An unknown code is shown as it is.
    """
    names = get_locale().languages
    return ", ".join(
        names.get(code) or str(_EXTRA_LANGUAGES.get(code, code)) for code in codes or ()
    )


#: Codes the form accepts that the CLDR names do not cover.
_EXTRA_LANGUAGES = {"ber": lazy_gettext("Berbers")}


def format_stored(text: str | None) -> str:
    """A value as the audit log stores it, with ISO dates and instants shown in Dutch.

    "2026-12-06T10:05:05+00:00" reads "zo 6 dec 2026, 11:05"; other text is left as it is.
    """
    if not text:
        return ""
    if len(text) == 10:
        try:
            return format_day(date.fromisoformat(text))
        except ValueError:
            return text
    if len(text) >= 16 and text[10] == "T":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return format_moment(moment) if moment.tzinfo else format_day(moment)
    return text


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and register the date filters for templates."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=TRANSLATIONS_DIR,
    )
    app.add_template_global(get_locale, "get_locale")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
    app.add_template_filter(format_clock, "clock")
    app.add_template_filter(format_span, "span")
    app.add_template_filter(format_languages, "languages")
    app.add_template_filter(format_stored, "stored")
