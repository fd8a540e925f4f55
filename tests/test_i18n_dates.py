"""Dates the way Dutch users write them: "di 10 dec 2026, 10:00–11:30"."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import refresh

from coordinator.i18n import format_languages, format_span, format_stored


def test_span_of_a_meeting_in_amsterdam_time(app):
    with app.test_request_context():
        start = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam (winter)
        end = datetime(2026, 12, 10, 10, 30, tzinfo=UTC)
        assert format_span(start, end) == "do 10 dec 2026, 10:00–11:30"


def test_span_over_midnight_names_the_end_day(app):
    with app.test_request_context():
        start = datetime(2026, 12, 10, 21, 0, tzinfo=UTC)
        end = datetime(2026, 12, 11, 0, 30, tzinfo=UTC)
        assert format_span(start, end) == "do 10 dec 2026, 22:00–vr 11 dec 2026, 01:30"


def test_span_without_end_or_start(app):
    with app.test_request_context():
        start = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
        assert format_span(start, None) == "di 2 jun 2026, 10:00"
        assert format_span(None, None) == ""


def test_language_codes_read_as_names_in_the_page_language(app):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert format_languages(["nl", "ar", "ti", "ber", "xx"]) == (
            "Nederlands, Arabisch, Tigrinya, Berbers, xx"
        )
        assert format_languages(None) == ""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()  # the locale is cached per app context
        assert format_languages(["nl", "srn", "ber"]) == "Dutch, Sranan Tongo, Berber"


def test_stored_audit_values_read_in_dutch(app):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        refresh()
        assert format_stored("2026-12-06T10:05:05.647686+00:00") == "zo 6 dec 2026, 11:05"
        assert format_stored("2026-12-31") == "do 31 dec 2026"
        assert format_stored("Participatie") == "Participatie"
        assert format_stored("2026-13-45") == "2026-13-45"
        assert format_stored(None) == ""
