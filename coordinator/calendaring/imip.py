"""iMIP (RFC 6047) mails: one message per recipient carrying an iTIP calendar.

Shape: ``multipart/alternative`` with text/plain, text/html and, last, an inline
``text/calendar; method=…; charset=utf-8`` part (base64, so CRLF and UTF-8 survive every hop).
The MIME ``method`` is read from the calendar's METHOD, From is the ORGANIZER's mailbox, and
To holds only the recipient, who must be the only ATTENDEE in the calendar: nobody sees
another seat holder's address.
"""

from __future__ import annotations

import email.policy
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from icalendar import Calendar

from coordinator.calendaring import ics
from coordinator.calendaring.occurrences import occurrence_end_utc, occurrences
from coordinator.calendaring.render import InviteContext, InviteKind, InviteRenderer, RenderedInvite
from coordinator.calendaring.types import AttendeeData, Mailbox, SeriesData, Status

#: CRLF everywhere (RFC 5322 and RFC 5545); the default policy would give LF in base64 parts.
POLICY = email.policy.SMTP

#: How far ahead a series mail looks for "the next meeting" it mentions.
NEXT_MEETING_HORIZON = timedelta(days=400)

Renderer = Callable[[InviteKind, InviteContext, str], RenderedInvite]

_default_renderer: InviteRenderer | None = None


def _mailto(value: object) -> str:
    text = str(value)
    return text[len("mailto:") :].lower() if text.lower().startswith("mailto:") else text.lower()


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def check_addressing(calendar: Calendar, *, sender: Mailbox, recipient: Mailbox) -> str:
    """The calendar's METHOD, after checking ORGANIZER and ATTENDEE against the envelope.

    :raises ValueError: no METHOD, an ORGANIZER other than ``sender``, or ATTENDEEs other than
        exactly ``recipient`` in any VEVENT.
    """
    method = str(calendar.get("METHOD", "")).upper()
    if not method:
        raise ValueError("an iMIP calendar needs METHOD")
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise ValueError("an iMIP calendar needs a VEVENT")
    for event in events:
        if _mailto(event.get("ORGANIZER")) != sender.email.lower():
            raise ValueError("ORGANIZER must be the sender's mailbox")
        attendees = {_mailto(a) for a in _as_list(event.get("ATTENDEE"))}
        if attendees != {recipient.email.lower()}:
            raise ValueError("the calendar must address exactly the recipient")
    return method


def build_imip(
    calendar: Calendar,
    *,
    sender: Mailbox,
    recipient: Mailbox,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime | None = None,
    language: str = "nl",
) -> EmailMessage:
    """One iMIP message from ``sender`` (the organiser) to ``recipient`` only.

    :param message_id: stable ``<…@…>`` id, so a retried delivery is recognised as the same mail.
    :param date: the Date header (default now).
    """
    method = check_addressing(calendar, sender=sender, recipient=recipient)
    if not (message_id.startswith("<") and message_id.endswith(">") and "@" in message_id):
        raise ValueError("message_id must look like <id@domain>")
    msg = EmailMessage(policy=POLICY)
    msg["From"] = Address(display_name=sender.name, addr_spec=sender.email)
    msg["To"] = Address(display_name=recipient.name, addr_spec=recipient.email)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg.add_alternative(
        ics.serialize(calendar).decode("utf-8"),
        subtype="calendar",
        cte="base64",
        params={"method": method},
    )
    msg["Content-Language"] = language  # after set_content, which drops Content-* headers
    for part in msg.iter_parts():
        del part["MIME-Version"]  # add_alternative copies it into the parts; it belongs on top
    return msg


def _calendar_for(
    kind: InviteKind, series: SeriesData, recurrence_id: datetime | None, stamp: datetime | None
) -> Calendar:
    if kind is InviteKind.REQUEST:
        return ics.request_for_series(series, stamp=stamp)
    if kind is InviteKind.CANCEL:
        return ics.cancel_series(series, stamp=stamp)
    if recurrence_id is None:
        raise ValueError(f"{kind.value} needs a recurrence_id")
    if kind is InviteKind.OCCURRENCE:
        return ics.request_for_occurrence(series, recurrence_id, stamp=stamp)
    return ics.cancel_occurrence(series, recurrence_id, stamp=stamp)


def invite_message(
    kind: InviteKind | str,
    series: SeriesData,
    recipient: AttendeeData,
    *,
    message_id: str,
    recurrence_id: datetime | None = None,
    locale: str = "nl",
    stamp: datetime | None = None,
    rsvp_links: Mapping[str, str] | None = None,
    rrule_text: str = "",
    is_update: bool = False,
    as_deputy: bool = False,
    render: Renderer | None = None,
) -> EmailMessage:
    """The complete invite mail of ``kind`` for one recipient.

    The calendar lists only ``recipient`` as ATTENDEE. ``render`` defaults to an
    :class:`InviteRenderer` over ``templates/emails``; pass another to test or to render
    inside Flask.
    """
    global _default_renderer
    kind = InviteKind(kind)
    own = series.with_attendees([recipient])
    calendar = _calendar_for(kind, own, recurrence_id, stamp)
    zone = series.zone
    if recurrence_id is not None and kind in (InviteKind.OCCURRENCE, InviteKind.CANCEL_OCCURRENCE):
        override = series.override_for(recurrence_id)
        local = (override.dtstart if override else None) or recurrence_id
        start = local.replace(tzinfo=zone)
        end = occurrence_end_utc(series, recurrence_id).astimezone(zone)
    else:
        start, end = _next_meeting(series, stamp or datetime.now(UTC))
    context = InviteContext(
        recipient_name=recipient.name,
        summary=series.summary,
        start=start,
        end=end,
        location=_location(series, recurrence_id if kind.value.endswith("occurrence") else None),
        url=series.url,
        recurring=bool(series.rrule) and kind in (InviteKind.REQUEST, InviteKind.CANCEL),
        rrule_text=rrule_text
        if series.rrule and kind in (InviteKind.REQUEST, InviteKind.CANCEL)
        else "",
        is_update=is_update,
        as_deputy=as_deputy,
        rsvp_links=dict(rsvp_links or {})
        if kind in (InviteKind.REQUEST, InviteKind.OCCURRENCE)
        else {},
    )
    if render is None:
        _default_renderer = _default_renderer or InviteRenderer()
        render = _default_renderer.render
    rendered = render(kind, context, locale)
    return build_imip(
        calendar,
        sender=series.organizer,
        recipient=recipient.mailbox,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=message_id,
        date=stamp,
        language=locale,
    )


def _next_meeting(series: SeriesData, now: datetime) -> tuple[datetime, datetime]:
    """Start and end of the next meeting that takes place (the first one if none is left)."""
    for item in occurrences(series, now, now + NEXT_MEETING_HORIZON):
        if item.status is not Status.CANCELLED:
            return item.start, item.end
    start = series.dtstart.replace(tzinfo=series.zone)
    return start, start + series.duration


def _location(series: SeriesData, recurrence_id: datetime | None) -> str:
    override = series.override_for(recurrence_id) if recurrence_id else None
    if override is not None and override.location is not None:
        return override.location
    return series.location
