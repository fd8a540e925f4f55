"""iMIP mails: MIME shape, METHOD agreement, one recipient, organiser as sender, locales."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from icalendar import Calendar

from coordinator.calendaring import ics, imip
from coordinator.calendaring.render import InviteKind, InviteRenderer
from coordinator.calendaring.types import Mailbox
from tests.calendaring.conftest import KHALID, ORGANIZER, STAMP, ZOE, wall, weekly_series
from tests.calendaring.wire import assert_wire_format

RID = wall(2026, 3, 23, 10)
LINKS = {
    "accept": "https://matchtafel.example.org/rsvp/aaa",
    "decline": "https://matchtafel.example.org/rsvp/ddd",
    "deputy": "https://matchtafel.example.org/rsvp/vvv",
}
KINDS = {
    InviteKind.REQUEST: ("REQUEST", None),
    InviteKind.OCCURRENCE: ("REQUEST", RID),
    InviteKind.CANCEL: ("CANCEL", None),
    InviteKind.CANCEL_OCCURRENCE: ("CANCEL", RID),
}


def message(kind, recipient=ZOE, **kwargs):
    built = imip.invite_message(
        kind,
        weekly_series(),
        recipient,
        message_id=f"<{kind}-1@matchtafel.example.org>",
        recurrence_id=KINDS[kind][1],
        stamp=STAMP,
        rsvp_links=LINKS,
        **kwargs,
    )
    # what the receiving side sees: bytes off the wire, parsed again
    return message_from_bytes(built.as_bytes(), policy=policy.default)


def calendar_part(msg):
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    return part


@pytest.mark.parametrize("kind", list(KINDS))
def test_shape_is_alternative_with_plain_html_and_calendar_last(kind):
    msg = message(kind)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    part = calendar_part(msg)
    assert part.get_content_charset() == "utf-8"
    assert part["Content-Transfer-Encoding"] == "base64"  # 7-bit safe on every hop
    assert part.get_content_disposition() in (None, "inline")


@pytest.mark.parametrize("kind", list(KINDS))
def test_mime_method_equals_calendar_method(kind):
    part = calendar_part(message(kind))
    body = part.get_payload(decode=True)
    assert_wire_format(body)  # CRLF survived the MIME round trip
    assert part.get_param("method") == Calendar.from_ical(body)["METHOD"] == KINDS[kind][0]


@pytest.mark.parametrize("kind", list(KINDS))
def test_one_recipient_and_the_organizer_is_the_sender(kind):
    msg = message(kind, recipient=KHALID)
    assert msg["To"].addresses[0].addr_spec == "khalid@example.org"
    assert len(msg["To"].addresses) == 1
    assert msg["Cc"] is None
    assert msg["Bcc"] is None
    assert msg["From"].addresses[0].addr_spec == ORGANIZER.email
    cal = Calendar.from_ical(calendar_part(msg).get_payload(decode=True))
    for event in cal.walk("VEVENT"):
        assert str(event["ORGANIZER"]) == f"mailto:{ORGANIZER.email}"
        assert str(event["ATTENDEE"]) == "mailto:khalid@example.org"
    everything = b"".join(p.get_payload(decode=True) or b"" for p in msg.walk())
    assert b"zoe@example.org" not in everything + bytes(msg)


def test_message_id_and_date_are_the_given_ones():
    msg = message(InviteKind.REQUEST)
    assert msg["Message-ID"] == "<request-1@matchtafel.example.org>"
    assert msg["Date"].datetime == STAMP
    assert msg["Content-Language"] == "nl"


def test_dutch_bodies_and_subject_with_rsvp_links():
    msg = message(InviteKind.REQUEST, rrule_text="elke maandag")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert msg["Subject"].startswith("Uitnodiging: Matchtafel Geuzenveld")
    assert "Beste Zoë Müller-de Vries," in text
    assert "Volgende bijeenkomst: ma 2 mrt 2026, 10:00–11:30" in text
    assert "Herhaling: elke maandag" in text
    for url in LINKS.values():
        assert url in text
        assert f'href="{url}"' in html
    assert "Mijn vervanger gaat" in text
    assert '<html lang="nl">' in html


def test_update_and_cancel_subjects_and_no_rsvp_links_on_cancel():
    assert message(InviteKind.REQUEST, is_update=True)["Subject"].startswith(
        "Gewijzigde uitnodiging:"
    )
    cancel = message(InviteKind.CANCEL_OCCURRENCE)
    assert cancel["Subject"].startswith("Geannuleerd: ")
    assert cancel["Subject"].endswith("op di 31 mrt 2026")  # where it was moved to
    assert "rsvp" not in cancel.get_body(("plain",)).get_content()


def test_moved_occurrence_mail_shows_the_new_time_and_place():
    text = message(InviteKind.OCCURRENCE).get_body(("plain",)).get_content()
    assert "Wanneer: di 31 mrt 2026, 14:00–15:30" in text
    assert "Waar: Buurtkamer De Plint" in text


def test_html_escapes_user_text_but_plain_text_keeps_it():
    series = weekly_series(summary="Tafel <b>&</b> co")
    built = imip.invite_message(
        InviteKind.REQUEST, series, ZOE, message_id="<x@example.org>", stamp=STAMP
    )
    assert "Tafel &lt;b&gt;&amp;&lt;/b&gt; co" in built.get_body(("html",)).get_content()
    assert "Tafel <b>&</b> co" in built.get_body(("plain",)).get_content()


def english() -> Translations:
    catalog = Catalog(locale="en")
    catalog.add("Beste %(name)s,", "Dear %(name)s,")
    catalog.add("Uitnodiging: %(summary)s", "Invitation: %(summary)s")
    catalog.add("Waar: %(location)s", "Where: %(location)s")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def test_english_locale_uses_the_english_catalog_and_formats():
    renderer = InviteRenderer(translations={"en": english()})
    msg = message(InviteKind.REQUEST, locale="en", render=renderer.render)
    text = msg.get_body(("plain",)).get_content()
    assert msg["Subject"].startswith("Invitation: ")
    assert text.startswith("Dear Zoë Müller-de Vries,")
    assert "Where: Huis van de Wijk" in text
    assert "Mon 2 Mar 2026, 10:00" in text
    assert '<html lang="en">' in msg.get_body(("html",)).get_content()
    assert msg["Content-Language"] == "en"


def test_renderer_is_injectable():
    calls = []

    def fake(kind, context, locale):
        calls.append((kind, context.summary, locale))
        return imip.RenderedInvite("S", "plain body", "<p>html body</p>")

    msg = message(InviteKind.CANCEL, render=fake)
    assert calls == [(InviteKind.CANCEL, weekly_series().summary, "nl")]
    assert msg.get_body(("plain",)).get_content().strip() == "plain body"


def test_build_imip_refuses_a_calendar_that_names_other_attendees():
    cal = ics.request_for_series(weekly_series(), stamp=STAMP)  # Zoë and Khalid
    with pytest.raises(ValueError, match="exactly the recipient"):
        imip.build_imip(
            cal,
            sender=ORGANIZER,
            recipient=ZOE.mailbox,
            subject="s",
            text="t",
            html="h",
            message_id="<a@b>",
        )


def test_build_imip_refuses_an_organizer_other_than_the_sender():
    cal = ics.request_for_series(weekly_series(attendees=(ZOE,)), stamp=STAMP)
    with pytest.raises(ValueError, match="ORGANIZER"):
        imip.build_imip(
            cal,
            sender=Mailbox("Noreply", "noreply@example.org"),
            recipient=ZOE.mailbox,
            subject="s",
            text="t",
            html="h",
            message_id="<a@b>",
        )


def test_build_imip_refuses_a_calendar_without_method_and_a_bad_message_id():
    feed = ics.feed_calendar([weekly_series()], name="x", stamp=STAMP)
    with pytest.raises(ValueError, match="METHOD"):
        imip.build_imip(
            feed,
            sender=ORGANIZER,
            recipient=ZOE.mailbox,
            subject="s",
            text="t",
            html="h",
            message_id="<a@b>",
        )
    cal = ics.request_for_series(weekly_series(attendees=(ZOE,)), stamp=STAMP)
    with pytest.raises(ValueError, match="message_id"):
        imip.build_imip(
            cal,
            sender=ORGANIZER,
            recipient=ZOE.mailbox,
            subject="s",
            text="t",
            html="h",
            message_id="no-brackets",
        )


def test_occurrence_kinds_need_a_recurrence_id():
    with pytest.raises(ValueError, match="recurrence_id"):
        imip.invite_message(
            InviteKind.OCCURRENCE, weekly_series(), ZOE, message_id="<a@b>", stamp=STAMP
        )


def test_series_mail_mentions_the_next_meeting_that_takes_place():
    # sent on 10 April: the 13 April meeting is cancelled, so the next one is 20 April
    built = imip.invite_message(
        InviteKind.REQUEST,
        weekly_series(),
        ZOE,
        message_id="<next@example.org>",
        stamp=datetime(2026, 4, 10, 12, tzinfo=UTC),
        is_update=True,
    )
    text = built.get_body(("plain",)).get_content()
    assert "Volgende bijeenkomst: ma 20 apr 2026, 10:00–11:30" in text
