"""Render invite mail bodies (text and html) from ``templates/emails/invite_*`` without Flask.

A small Jinja environment with the i18n extension and the same filter names the app uses
(``day``, ``moment``, ``clock``), so the templates also render under Flask. Dutch msgids; other
locales come from the compiled catalogs in ``coordinator/translations``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext "mark only" name
    """Mark ``message`` for extraction; it is translated when rendered."""
    return message


class InviteKind(enum.StrEnum):
    """Which invite mail; each has ``templates/emails/invite_<kind>.txt`` and ``.html``."""

    REQUEST = "request"  #: whole series (first invite or update)
    OCCURRENCE = "occurrence"  #: one occurrence moved, or sent to a deputy
    CANCEL = "cancel"  #: whole series cancelled for this recipient
    CANCEL_OCCURRENCE = "cancel_occurrence"  #: one occurrence cancelled


SUBJECTS: dict[InviteKind, str] = {
    InviteKind.REQUEST: N_("Uitnodiging: %(summary)s"),
    InviteKind.OCCURRENCE: N_("Gewijzigd: %(summary)s op %(day)s"),
    InviteKind.CANCEL: N_("Geannuleerd: %(summary)s"),
    InviteKind.CANCEL_OCCURRENCE: N_("Geannuleerd: %(summary)s op %(day)s"),
}
UPDATE_SUBJECT = N_("Gewijzigde uitnodiging: %(summary)s")
DEPUTY_SUBJECT = N_("Uitnodiging als vervanger: %(summary)s op %(day)s")


@dataclass(frozen=True, slots=True)
class InviteContext:
    """What an invite mail says; times are aware."""

    recipient_name: str
    summary: str
    start: datetime
    end: datetime
    location: str = ""
    url: str | None = None
    recurring: bool = False  #: a whole recurring series (start/end are the next meeting)
    rrule_text: str = ""  #: e.g. "elke maandag", already localised by the caller
    is_update: bool = False
    as_deputy: bool = False
    rsvp_links: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RenderedInvite:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=16)
def _translations(directory: str, locale: str) -> NullTranslations:
    return Translations.load(directory, [locale], domain="messages")


class InviteRenderer:
    """Render invite subjects and bodies in a locale; instances are reusable and thread-safe."""

    def __init__(
        self,
        template_dir: Path | str = TEMPLATE_DIR,
        translations_dir: Path | str = TRANSLATIONS_DIR,
        timezone: str = "Europe/Amsterdam",
        translations: Mapping[str, NullTranslations] | None = None,
    ) -> None:
        """:param translations: explicit catalogs per locale (tests); else loaded from disk."""
        self.template_dir = str(template_dir)
        self.translations_dir = str(translations_dir)
        self.zone = ZoneInfo(timezone)
        self._explicit = dict(translations or {})
        self._envs: dict[str, Environment] = {}

    def translations(self, locale: str) -> NullTranslations:
        if locale in self._explicit:
            return self._explicit[locale]
        return _translations(self.translations_dir, locale)

    def environment(self, locale: str) -> Environment:
        env = self._envs.get(locale)
        if env is None:
            env = Environment(
                loader=FileSystemLoader(self.template_dir),
                autoescape=select_autoescape(["html"]),
                undefined=StrictUndefined,
                extensions=["jinja2.ext.i18n"],
            )
            env.install_gettext_translations(self.translations(locale), newstyle=True)  # type: ignore[attr-defined]
            env.globals["get_locale"] = lambda: locale
            env.filters["day"] = lambda v, fmt="EEE d MMM y": self._day(v, fmt, locale)
            env.filters["moment"] = lambda v, fmt="EEE d MMM y, HH:mm": self._moment(v, fmt, locale)
            env.filters["clock"] = lambda v: self._moment(v, "HH:mm", locale)
            self._envs[locale] = env
        return env

    def render(
        self, kind: InviteKind, context: InviteContext, locale: str = "nl"
    ) -> RenderedInvite:
        """Subject, plain text and html for ``kind`` in ``locale``."""
        kind = InviteKind(kind)
        env = self.environment(locale)
        values = {"invite": context, "kind": kind.value}
        text = env.get_template(f"emails/invite_{kind.value}.txt").render(values)
        html = env.get_template(f"emails/invite_{kind.value}.html").render(values)
        msgid = None
        if kind is InviteKind.REQUEST and context.is_update:
            msgid = UPDATE_SUBJECT
        elif kind is InviteKind.OCCURRENCE and context.as_deputy:
            msgid = DEPUTY_SUBJECT
        template = self.translations(locale).gettext(msgid or SUBJECTS[kind])
        subject = template % {
            "summary": context.summary,
            "day": self._day(context.start, "EEE d MMM y", locale),
        }
        return RenderedInvite(subject=" ".join(subject.split()), text=text, html=html)

    def _day(self, value: date | datetime, fmt: str, locale: str) -> str:
        if isinstance(value, datetime):
            return format_datetime(value, fmt, tzinfo=self.zone, locale=locale)
        return format_date(value, fmt, locale=locale)

    def _moment(self, value: datetime, fmt: str, locale: str) -> str:
        if value.tzinfo is None:
            return format_time(value, fmt, locale=locale)
        return format_datetime(value, fmt, tzinfo=self.zone, locale=locale)
