"""Queue mail in the caller's transaction; delivery happens later, outside web requests."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from coordinator.db import now_utc, upsert_insert
from coordinator.extensions import db
from coordinator.mail.compose import build_message
from coordinator.mail.models import OutboxMessage, OutboxStatus


def sender_address() -> Address:
    """The configured From mailbox (also the ORGANIZER of invites)."""
    config = current_app.config
    return Address(display_name=config["MAIL_FROM_NAME"], addr_spec=config["MAIL_FROM"])


def queue(message: EmailMessage, *, kind: str, dedup_key: str | None = None) -> OutboxMessage:
    """Add ``message`` to the outbox in the current transaction (the caller commits).

    :param dedup_key: when given, the same logical mail can never be queued twice.
    """
    row = OutboxMessage(
        message_id=str(message["Message-ID"]),
        kind=kind,
        recipient=str(message["To"]),
        subject=str(message["Subject"]),
        dedup_key=dedup_key,
        raw=message.as_bytes(),
    )
    db.session.add(row)
    return row


def queue_once(
    message: EmailMessage, *, kind: str, dedup_key: str, session: Session | None = None
) -> bool:
    """Queue ``message`` unless a mail with ``dedup_key`` exists; returns whether it was queued.

    One ``INSERT … ON CONFLICT (dedup_key) DO NOTHING`` (PostgreSQL and SQLite): when two
    schedulers or two ticks race, the loser inserts nothing and raises nothing, so the caller's
    transaction (and the other rows in it) stays usable. The caller commits.
    """
    session = session or db.session
    values = {
        "message_id": str(message["Message-ID"]),
        "kind": kind,
        "recipient": str(message["To"]),
        "subject": str(message["Subject"]),
        "dedup_key": dedup_key,
        "raw": message.as_bytes(),
        "status": OutboxStatus.QUEUED,
        "due_at": now_utc(),
        "attempts": 0,
        "created_at": now_utc(),
    }
    statement = (
        upsert_insert(session, OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[OutboxMessage.dedup_key])
        .returning(OutboxMessage.id)
    )
    # RETURNING, not rowcount: through SQLAlchemy, psycopg reports -1 for this statement.
    return session.execute(statement).scalar_one_or_none() is not None


def queued_keys(keys: list[str], session: Session | None = None) -> set[str]:
    """Which of ``keys`` already have a mail in the outbox (any status)."""
    if not keys:
        return set()
    session = session or db.session
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(
                sa.select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(chunk))
            )
        )
    return found


def render_templated(
    template: str, *, to: str, subject: object, locale: str = "nl", **context: object
) -> EmailMessage:
    """Render ``templates/emails/<template>.txt`` and ``.html`` in ``locale`` into a message.

    ``subject`` may be a lazy string: it is rendered in ``locale`` too.
    """
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
        subject_text = str(subject)
    return build_message(
        sender=sender_address(), to=to, subject=subject_text, text=text, html=html, language=locale
    )


def queue_templated(
    template: str,
    *,
    to: str,
    subject: str,
    kind: str,
    locale: str = "nl",
    dedup_key: str | None = None,
    **context: object,
) -> OutboxMessage:
    """Render ``templates/emails/<template>.txt`` (and ``.html``) in ``locale`` and queue it.

    ``subject`` should be a lazy string or a callable-free plain string in the same locale.
    """
    message = render_templated(template, to=to, subject=subject, locale=locale, **context)
    return queue(message, kind=kind, dedup_key=dedup_key)
