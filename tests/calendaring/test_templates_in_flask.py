"""The invite templates render the same under Flask (Flask-Babel) as in the pure renderer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template
from flask_babel import force_locale

from coordinator.calendaring.render import InviteContext, InviteKind, InviteRenderer
from tests.calendaring.conftest import STAMP


@pytest.mark.parametrize("kind", list(InviteKind))
def test_same_output_in_flask_and_pure_renderer(app, kind):
    context = InviteContext(
        recipient_name="Zoë",
        summary="Matchtafel <Osdorp>",
        start=STAMP,
        end=STAMP + timedelta(hours=1),
        location="Huis van de Wijk",
        url="https://matchtafel.example.org/tafels/1",
        recurring=True,
        rrule_text="elke maandag",
        rsvp_links={"accept": "https://matchtafel.example.org/rsvp/a"},
    )
    pure = InviteRenderer().render(kind, context, "nl")
    with app.test_request_context(), force_locale("nl"):
        values = {"invite": context, "kind": kind.value}
        text = render_template(f"emails/invite_{kind.value}.txt", **values)
        html = render_template(f"emails/invite_{kind.value}.html", **values)
    assert text.strip() == pure.text.strip()
    assert html.strip() == pure.html.strip()
