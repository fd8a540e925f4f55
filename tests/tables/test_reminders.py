"""Issue 6 part 4: reminders N days before each occurrence, exactly once per schedule version."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.mail.delivery import deliver_due
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.scheduling.registry import load_jobs
from coordinator.tables import reminders, schedule, services
from coordinator.tables.models import (
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Table,
    TableSeries,
)
from coordinator.tables.reminders import dedup_key, is_due, reminder_moment, send_due_reminders
from tests.conftest import is_postgres, queued_mail
from tests.factories import (
    ActionItemFactory,
    RoleFactory,
    SeatFactory,
    TableFactory,
    TableSeriesFactory,
    UserFactory,
)
from tests.helpers import csrf_token
from tests.tables.conftest import Network

AMS = ZoneInfo("Europe/Amsterdam")


def ams(*args: int) -> datetime:
    """An instant given as Amsterdam wall-clock time."""
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


def body(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")


# --- pure rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected_utc"),
    [
        # No DST change: 10:00 CET two days before = 09:00 UTC.
        (ams(2027, 1, 12, 10, 0), 2, datetime(2027, 1, 10, 9, 0, tzinfo=UTC)),
        # Spring forward on Sun 29 March 2026: Mon 10:00 CEST is reminded Sat 10:00 CET,
        # 47 hours before (an absolute 48 hours would say 09:00 local).
        (ams(2026, 3, 30, 10, 0), 2, datetime(2026, 3, 28, 9, 0, tzinfo=UTC)),
        # Fall back on Sun 25 October 2026: Mon 10:00 CET is reminded Sat 10:00 CEST (49 h).
        (ams(2026, 10, 26, 10, 0), 2, datetime(2026, 10, 24, 8, 0, tzinfo=UTC)),
        (ams(2027, 1, 12, 10, 0), 7, datetime(2027, 1, 5, 9, 0, tzinfo=UTC)),
    ],
)
def test_reminder_moment_keeps_the_local_wall_clock_time(start, days, expected_utc):
    moment = reminder_moment(start, days)
    assert moment == expected_utc
    assert moment.astimezone(AMS).time() == start.time()


def test_is_due_from_the_moment_until_the_start():
    start = ams(2027, 1, 12, 10, 0)
    moment = reminder_moment(start, 2)
    assert not is_due(start, 2, moment - timedelta(seconds=1))
    assert is_due(start, 2, moment)
    assert is_due(start, 2, start - timedelta(seconds=1))
    assert not is_due(start, 2, start)
    assert not is_due(start, 0, start - timedelta(hours=1)), "0 days: the table sends none"


def test_reminder_moment_refuses_a_naive_start():
    with pytest.raises(ValueError, match="ZoneInfo"):
        reminder_moment(datetime(2027, 1, 12, 10, 0), 2)  # noqa: DTZ001 - the point of the test


def test_dedup_key_names_every_part_and_fits_the_column():
    rid = datetime(2027, 1, 12, 10, 0)  # noqa: DTZ001 - a RECURRENCE-ID is local wall time
    key = dedup_key("abc@matchtafel", rid, 3, 7, 2)
    assert key == "reminder:abc@matchtafel:20270112T100000:seat3:person7:v2"
    assert dedup_key("abc@matchtafel", rid, 3, 7, 3) != key
    long = dedup_key("x" * 400, rid, 3, 7, 2)
    assert len(long) <= 255
    assert long.endswith(":20270112T100000:seat3:person7:v2")
    assert long != dedup_key("y" * 400, rid, 3, 7, 2)


# --- the job -------------------------------------------------------------------------------


@dataclass
class Setup:
    network: Network
    table: Table
    series: TableSeries


@pytest.fixture
def setup(network: Network) -> Setup:
    """A weekly Tuesday 10:00 table in Zuidoost with COA and Buurtteam seats, reminding 2 days
    ahead; a vacant GGD seat; COA has a deputy (who gets no reminder: the issue says holders).
    """
    table = TableFactory(area=network.area, name="Matchtafel Zuidoost", location="Hushu House")
    series = TableSeriesFactory(
        table=table,
        uid="weekly@matchtafel.example.org",
        dtstart=datetime(2027, 1, 5, 10, 0),  # noqa: DTZ001 - local wall time
        rrule="FREQ=WEEKLY;BYDAY=TU",
    )
    SeatFactory(table=table, role=network.roles["coa"], deputy=network.coa_deputy)
    SeatFactory(table=table, role=network.roles["buurtteam"])
    SeatFactory(table=table, role=RoleFactory(organisation=network.roles["ggd"].organisation))
    return Setup(network, table, series)


#: Tuesday 12 January 2027 10:00; its reminder is due from Sunday 10 January 10:00.
MEETING = ams(2027, 1, 12, 10, 0)
DUE = ams(2027, 1, 10, 10, 1)


def reminder_rows() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == "reminder")
            .order_by(OutboxMessage.id)
        )
    )


def test_every_holder_is_reminded_exactly_once_across_two_runs(setup):
    holders = setup.network.holders
    first = send_due_reminders(now=DUE)
    second = send_due_reminders(now=DUE + timedelta(minutes=15))

    assert first == {"due": 2, "queued": 2, "already": 0, "raced": 0}
    assert second == {"due": 2, "queued": 0, "already": 2, "raced": 0}
    mail = queued_mail("reminder")
    assert sorted(m["To"] for m in mail) == sorted(
        [holders["coa"].email, holders["buurtteam"].email]
    )
    assert setup.network.coa_deputy.email not in {m["To"] for m in mail}
    assert {m["Subject"] for m in mail} == {
        "Herinnering: Matchtafel Zuidoost op dinsdag 12 januari 2027 om 10:00"
    }
    keys = {row.dedup_key for row in reminder_rows()}
    seat_ids = {s.id for s in setup.table.seats}
    assert all(
        k.startswith("reminder:weekly@matchtafel.example.org:20270112T100000:") for k in keys
    )
    assert {int(k.split(":seat")[1].split(":")[0]) for k in keys} < seat_ids


def test_nothing_before_the_moment_and_nothing_once_the_meeting_began(setup):
    assert send_due_reminders(now=ams(2027, 1, 10, 9, 59))["due"] == 0
    assert send_due_reminders(now=MEETING)["due"] == 0
    assert queued_mail("reminder") == []


def test_a_table_with_zero_days_or_paused_sends_none(setup):
    setup.table.reminder_days_before = 0
    db.session.commit()
    assert send_due_reminders(now=DUE)["due"] == 0
    setup.table.reminder_days_before = 7
    db.session.commit()
    # 7 days ahead: the reminder for the 12th was due on the 5th at 10:00.
    assert send_due_reminders(now=ams(2027, 1, 5, 10, 0))["queued"] == 2


def test_holders_who_left_or_have_no_address_are_skipped(setup):
    holders = setup.network.holders
    holders["coa"].left_on = date(2020, 1, 1)
    holders["buurtteam"].email = None
    db.session.commit()
    assert send_due_reminders(now=DUE)["due"] == 0


def test_the_body_has_the_agenda_and_the_holders_open_actions(setup):
    table, network = setup.table, setup.network
    table.agenda_template = "1. Opening\n2. Rondje wie doet wat"
    coa_seat, buurtteam_seat = table.seats[0], table.seats[1]
    ActionItemFactory(seat=coa_seat, description="Taalcafé-rooster delen", due_on=date(2027, 2, 1))
    ActionItemFactory(seat=buurtteam_seat, description="Spreekuur-tijden doorgeven")
    done = ActionItemFactory(seat=coa_seat, description="Oude afspraak")
    done.status = ActionStatus.DONE
    db.session.commit()

    send_due_reminders(now=DUE)
    by_recipient = {m["To"]: m for m in queued_mail("reminder")}
    coa_mail = by_recipient[network.holders["coa"].email]
    text = body(coa_mail)
    assert "Herinnering: Matchtafel Zuidoost komt bijeen op dinsdag 12 januari 2027" in text
    assert "van 10:00 tot 11:30" in text
    assert "Waar: Hushu House" in text
    assert "1. Opening\n2. Rondje wie doet wat" in text
    own = text.split("Openstaande afspraken van uw zetel", 1)[1]
    assert "- Taalcafé-rooster delen (vóór" in own
    assert "Spreekuur-tijden doorgeven" not in own, "another seat's action is not 'yours'"
    assert "Oude afspraak" not in text
    assert (
        f"https://matchtafel.example.org/tafels/{table.id}/bijeenkomsten/2027-01-12T10:00" in text
    )
    html = body(coa_mail, "html")
    assert "<li>Taalcafé-rooster delen" in html

    buurtteam_text = body(by_recipient[network.holders["buurtteam"].email])
    own = buurtteam_text.split("Openstaande afspraken van uw zetel", 1)[1]
    assert "Spreekuur-tijden doorgeven" in own
    assert "Taalcafé-rooster" not in own


def test_the_reminder_is_in_the_holders_language(setup):
    UserFactory(person=setup.network.holders["coa"], locale="en")
    send_due_reminders(now=DUE)
    languages = {m["To"]: m["Content-Language"] for m in queued_mail("reminder")}
    assert languages[setup.network.holders["coa"].email] == "en"
    assert languages[setup.network.holders["buurtteam"].email] == "nl"
    english = next(m for m in queued_mail("reminder") if m["Content-Language"] == "en")
    assert "Tuesday 12 January 2027" in english["Subject"]


def test_a_cancelled_occurrence_gets_no_reminder(setup):
    coordinator = setup.network.coordinator
    schedule.cancel_occurrence(
        setup.table,
        date(2027, 1, 12),
        reason="Zaal niet beschikbaar",
        actor=coordinator,
        now=ams(2027, 1, 1, 12, 0),
    )
    assert send_due_reminders(now=DUE)["due"] == 0
    # The week after is reminded as usual.
    assert send_due_reminders(now=ams(2027, 1, 17, 10, 0))["queued"] == 2


def mark_reminders_sent() -> None:
    """As if delivery already handed every queued reminder to the mail server."""
    for row in reminder_rows():
        row.status = OutboxStatus.SENT
    db.session.commit()


def test_a_cancelled_occurrence_after_its_reminder_gets_nothing_more(setup):
    send_due_reminders(now=DUE)
    mark_reminders_sent()
    schedule.cancel_occurrence(
        setup.table, date(2027, 1, 12), actor=setup.network.coordinator, now=DUE
    )
    assert send_due_reminders(now=DUE + timedelta(hours=1)) == {
        "due": 0,
        "queued": 0,
        "already": 0,
        "raced": 0,
    }
    assert len(queued_mail("reminder")) == 2


def test_a_moved_occurrence_is_reminded_for_its_new_time(setup):
    schedule.move_occurrence(
        setup.table,
        date(2027, 1, 12),
        new_start=datetime(2027, 1, 15, 14, 0),  # noqa: DTZ001 - local wall time
        actor=setup.network.coordinator,
        now=ams(2027, 1, 1, 12, 0),
    )
    assert send_due_reminders(now=DUE)["due"] == 0, "the old moment no longer counts"
    counts = send_due_reminders(now=ams(2027, 1, 13, 14, 0))
    assert counts["queued"] == 2
    mail = queued_mail("reminder")
    assert {m["Subject"] for m in mail} == {
        "Herinnering: Matchtafel Zuidoost op vrijdag 15 januari 2027 om 14:00"
    }
    assert "Let op: deze bijeenkomst is verplaatst" in body(mail[0])
    # Still keyed by the original RECURRENCE-ID, with the new version.
    assert all(
        ":20270112T100000:" in r.dedup_key and r.dedup_key.endswith(":v1") for r in reminder_rows()
    )


def test_moving_an_occurrence_already_reminded_sends_one_new_reminder(setup):
    send_due_reminders(now=DUE)
    mark_reminders_sent()
    schedule.move_occurrence(
        setup.table,
        date(2027, 1, 12),
        new_start=datetime(2027, 1, 12, 15, 0),  # noqa: DTZ001 - local wall time
        actor=setup.network.coordinator,
        now=DUE + timedelta(hours=1),
    )
    # The new time's reminder is due from Sunday 15:00, not before.
    assert send_due_reminders(now=ams(2027, 1, 10, 14, 59))["due"] == 0
    assert send_due_reminders(now=ams(2027, 1, 10, 15, 0))["queued"] == 2
    assert send_due_reminders(now=ams(2027, 1, 10, 16, 0))["queued"] == 0
    subjects = [m["Subject"] for m in queued_mail("reminder")]
    assert (
        subjects.count("Herinnering: Matchtafel Zuidoost op dinsdag 12 januari 2027 om 10:00") == 2
    )
    assert (
        subjects.count("Herinnering: Matchtafel Zuidoost op dinsdag 12 januari 2027 om 15:00") == 2
    )


# --- withdrawing queued, unsent reminders ------------------------------------------------


def delivered_subjects(smtp_server) -> list[str]:
    return [
        str(BytesHeaderParser(policy=policy.SMTP).parsebytes(r.content)["Subject"])
        for r in smtp_server.received
    ]


def test_cancelling_withdraws_a_queued_unsent_reminder_so_nothing_is_sent(app, setup, smtp_server):
    assert send_due_reminders(now=DUE)["queued"] == 2
    schedule.cancel_occurrence(
        setup.table, date(2027, 1, 12), actor=setup.network.coordinator, now=DUE
    )
    assert reminder_rows() == []
    assert send_due_reminders(now=DUE + timedelta(hours=1))["due"] == 0

    deliver_due(app)
    assert not [s for s in delivered_subjects(smtp_server) if s.startswith("Herinnering")]


def test_moving_withdraws_the_old_reminder_and_the_job_sends_one_new(app, setup, smtp_server):
    holders = setup.network.holders
    send_due_reminders(now=DUE)
    schedule.move_occurrence(
        setup.table,
        date(2027, 1, 12),
        new_start=datetime(2027, 1, 12, 15, 0),  # noqa: DTZ001 - local wall time
        actor=setup.network.coordinator,
        now=DUE,
    )
    assert reminder_rows() == [], "the 10:00 reminder is withdrawn with the move"
    assert send_due_reminders(now=ams(2027, 1, 10, 15, 0))["queued"] == 2
    assert send_due_reminders(now=ams(2027, 1, 10, 16, 0))["queued"] == 0

    deliver_due(app)
    reminded = [r for r in smtp_server.received if b"Herinnering" in r.content]
    subjects = [s for s in delivered_subjects(smtp_server) if s.startswith("Herinnering")]
    assert subjects == ["Herinnering: Matchtafel Zuidoost op dinsdag 12 januari 2027 om 15:00"] * 2
    assert sorted(r.rcpt_tos[0] for r in reminded) == sorted(
        [holders["coa"].email, holders["buurtteam"].email]
    )


def test_withdrawing_leaves_sent_claimed_and_other_occurrences_alone(setup):
    send_due_reminders(now=DUE)
    send_due_reminders(now=ams(2027, 1, 17, 10, 0))  # the 19th, queued too
    rows = reminder_rows()
    assert len(rows) == 4
    rows[0].status = OutboxStatus.SENT
    rows[1].claimed_until = datetime.now(UTC) + timedelta(minutes=5)
    rows[1].claimed_by = "elsewhere"
    db.session.commit()
    schedule.cancel_occurrence(
        setup.table, date(2027, 1, 12), actor=setup.network.coordinator, now=DUE
    )
    assert [r.id for r in reminder_rows()] == [r.id for r in rows], "sent and claimed stay"
    assert all(":20270119T" in r.dedup_key for r in rows[2:]), "the week after stays"


def test_pausing_withdraws_unsent_reminders_of_what_no_longer_happens(setup):
    send_due_reminders(now=DUE)
    assert len(reminder_rows()) == 2
    services.pause_table(setup.table, "Zaal in verbouwing", setup.network.coordinator, now=DUE)
    assert reminder_rows() == []


def test_ending_withdraws_unsent_reminders(setup):
    send_due_reminders(now=DUE)
    services.end_table(setup.table, setup.network.coordinator, now=DUE)
    assert reminder_rows() == []


def test_ending_keeps_the_reminder_of_a_meeting_later_today(setup):
    send_due_reminders(now=DUE)
    services.end_table(setup.table, setup.network.coordinator, now=ams(2027, 1, 12, 8, 0))
    assert len(reminder_rows()) == 2, "the meeting at 10:00 today still takes place"


def test_renaming_replaces_an_unsent_reminder_with_one_under_the_new_name(setup):
    table = setup.table
    send_due_reminders(now=DUE)
    data = services.TableData(
        name="Matchtafel Zuidoost-Noord", area_id=table.area_id, location=table.location
    )
    services.update_table(table, data, setup.network.coordinator)
    assert reminder_rows() == []
    assert send_due_reminders(now=DUE + timedelta(minutes=15))["queued"] == 2
    assert {" ".join(m["Subject"].split()) for m in queued_mail("reminder")} == {
        "Herinnering: Matchtafel Zuidoost-Noord op dinsdag 12 januari 2027 om 10:00"
    }


def test_a_change_to_another_occurrence_does_not_remind_again(setup):
    send_due_reminders(now=DUE)
    schedule.cancel_occurrence(
        setup.table, date(2027, 1, 19), actor=setup.network.coordinator, now=DUE
    )
    assert send_due_reminders(now=DUE + timedelta(hours=1))["queued"] == 0


def test_dst_crossing_occurrence_is_reminded_at_the_local_time(network):
    """A Monday 10:00 meeting just after spring-forward is reminded Saturday 10:00 CET."""
    table = TableFactory(area=network.area, name="Netwerkmiddag")
    TableSeriesFactory(
        table=table,
        dtstart=datetime(2026, 3, 2, 10, 0),  # noqa: DTZ001 - local wall time
        rrule="FREQ=WEEKLY;BYDAY=MO",
    )
    SeatFactory(table=table, role=network.roles["welzijn"])
    # Saturday 28 March 09:59 CET: 47 h 1 min before; an absolute 48 h rule would have fired.
    assert send_due_reminders(now=ams(2026, 3, 28, 9, 59))["due"] == 0
    counts = send_due_reminders(now=ams(2026, 3, 28, 10, 0))
    assert counts["queued"] == 1
    (mail,) = queued_mail("reminder")
    assert mail["Subject"] == "Herinnering: Netwerkmiddag op maandag 30 maart 2026 om 10:00"


def test_the_job_is_registered_with_a_15_minute_sweep(app):
    spec = load_jobs().get("send-reminders")
    assert spec.build_trigger(app).interval == timedelta(minutes=15)


# --- races -----------------------------------------------------------------------------------


def test_a_concurrent_run_that_queued_first_makes_the_other_queue_nothing(setup, monkeypatch):
    """Both runs looked before either wrote: the loser's INSERT … ON CONFLICT does nothing."""
    send_due_reminders(now=DUE)
    monkeypatch.setattr(outbox, "queued_keys", lambda keys, session=None: set())
    late = send_due_reminders(now=DUE)
    assert late == {"due": 2, "queued": 0, "already": 0, "raced": 2}
    assert len(reminder_rows()) == 2


def test_two_sessions_queueing_the_same_key_leave_one_row(setup):
    """The loser's transaction stays usable: its other rows are still committed."""
    (first, *_rest) = reminders.due_reminders(DUE)
    message = reminders.render(first, "nl")
    other = sa.orm.Session(db.engine)
    try:
        assert outbox.queue_once(message, kind="reminder", dedup_key=first.key, session=other)
        other.commit()
    finally:
        other.close()
    assert not outbox.queue_once(
        reminders.render(first, "nl"), kind="reminder", dedup_key=first.key
    )
    extra = reminders.render(first, "nl")
    assert outbox.queue_once(extra, kind="reminder", dedup_key="reminder:other")
    db.session.commit()
    assert [r.dedup_key for r in reminder_rows()] == [first.key, "reminder:other"]


def test_two_schedulers_racing_queue_each_reminder_once(app, setup, monkeypatch):
    """Two threads, each with its own session and transaction, pass the "already queued?"
    check together and then both insert: every reminder is queued exactly once.
    """
    ActionItemFactory(seat=setup.table.seats[0])
    seen = outbox.queued_keys
    barrier = threading.Barrier(2, timeout=30)

    def look_then_wait(keys, session=None):
        found = seen(keys, session)
        barrier.wait()
        return found

    monkeypatch.setattr(outbox, "queued_keys", look_then_wait)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            with app.app_context():
                results.append(send_due_reminders(now=DUE))
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r["queued"] for r in results) in ([0, 2], [1, 1]), results
    assert sum(r["queued"] for r in results) == 2
    assert sum(r["raced"] for r in results) == 2
    db.session.expire_all()
    rows = reminder_rows()
    assert len({r.dedup_key for r in rows}) == len(rows) == 2


@pytest.mark.skipif(not is_postgres(), reason="row-level blocking needs PostgreSQL")
def test_on_postgres_the_loser_waits_for_the_winner_and_then_inserts_nothing(setup):
    """The winner's INSERT is not committed yet; the loser blocks on it, then does nothing."""
    (first, *_rest) = reminders.due_reminders(DUE)
    winner_message = reminders.render(first, "nl")
    loser_message = reminders.render(first, "nl")
    db.session.commit()
    engine = db.engine
    outcome: list[object] = []

    def loser() -> None:
        session = sa.orm.Session(engine)
        try:
            outcome.append(
                outbox.queue_once(
                    loser_message, kind="reminder", dedup_key=first.key, session=session
                )
            )
            session.commit()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome.append(exc)
        finally:
            session.close()

    winner = sa.orm.Session(db.engine)
    thread = threading.Thread(target=loser)
    try:
        assert outbox.queue_once(
            winner_message, kind="reminder", dedup_key=first.key, session=winner
        )
        thread.start()
        thread.join(1)
        assert thread.is_alive(), f"the loser waits for the winner's transaction: {outcome}"
        winner.commit()
    finally:
        winner.close()
        thread.join(30)
    assert outcome == [False]
    assert len(reminder_rows()) == 1


def test_the_reminder_carries_rsvp_links_for_its_own_meeting(setup, client):
    """A reminder is the mail people have before each meeting: they can answer from it."""
    send_due_reminders(now=DUE)
    by_recipient = {m["To"]: m for m in queued_mail("reminder")}
    coa_text = body(by_recipient[setup.network.holders["coa"].email])
    assert "Laat weten of u komt (geen inlog nodig):" in coa_text
    assert "Mijn vervanger gaat: https://matchtafel.example.org/rsvp/" in coa_text
    buurtteam_mail = by_recipient[setup.network.holders["buurtteam"].email]
    assert "vervanger gaat" not in body(buurtteam_mail)  # that seat has no deputy
    assert 'href="https://matchtafel.example.org/rsvp/' in body(buurtteam_mail, "html")

    line = next(x for x in body(buurtteam_mail).splitlines() if x.startswith("Ik kom niet:"))
    path = re.search(r"https://matchtafel\.example\.org(/rsvp/\S+)", line).group(1)
    page = client.get(path)
    assert page.status_code == 200
    client.post(path, data={"csrf_token": csrf_token(page.text)})
    answered = db.session.scalars(sa.select(Attendance)).all()
    assert [(a.seat_id, a.status) for a in answered] == [
        (setup.table.seats[1].id, AttendanceStatus.EXCUSED)
    ]
    assert answered[0].meeting.recurrence_id == datetime(2027, 1, 12, 10, 0)  # noqa: DTZ001
