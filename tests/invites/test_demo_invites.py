"""Done when: after ``seed-demo`` and delivery, the mail folder holds invites for every holder."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa
from icalendar import Calendar

from coordinator.calendaring import mapping
from coordinator.calendaring.invites import running_series
from coordinator.extensions import db
from coordinator.mail.delivery import deliver_due
from coordinator.seed.demo import seed_demo
from coordinator.tables.models import Table


def _expected() -> set[tuple[str, str]]:
    """(holder address, series UID) for every running demo series."""
    pairs = set()
    for table in db.session.scalars(sa.select(Table).where(Table.is_demo.is_(True))):
        for series in running_series(table):
            pairs |= {(h.person.email, series.uid) for h in mapping.holders(table)}
    return pairs


def _delivered(folder: Path) -> set[tuple[str, str]]:
    pairs = set()
    for path in folder.glob("*.eml"):
        mail = message_from_bytes(path.read_bytes(), policy=policy.SMTP)
        for part in mail.walk():
            if part.get_content_type() == "text/calendar":
                cal = Calendar.from_ical(part.get_payload(decode=True))
                assert str(cal["METHOD"]) == "REQUEST"
                uid = str(next(iter(cal.walk("VEVENT")))["UID"])
                pairs.add((mail["To"].addresses[0].addr_spec, uid))
    return pairs


def test_demo_mail_folder_holds_an_invite_for_every_seat_holder(app, tmp_path) -> None:
    report = seed_demo()
    expected = _expected()
    assert len(expected) >= 10
    assert report.created["uitnodigingen"] == len(expected)
    app.config["MAIL_DIR"], old = str(tmp_path), app.config["MAIL_DIR"]
    try:
        deliver_due(app)
    finally:
        app.config["MAIL_DIR"] = old
    assert _delivered(tmp_path) == expected
    assert seed_demo().total == 0  # a second run queues nothing again
