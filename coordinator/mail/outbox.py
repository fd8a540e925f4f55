"""Queue mail in the caller's transaction; delivery happens later, outside web requests."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale

from coordinator.extensions import db
from coordinator.mail.compose import build_message
from coordinator.mail.models import OutboxMessage


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
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
        subject_text = str(subject)
    message = build_message(
        sender=sender_address(), to=to, subject=subject_text, text=text, html=html, language=locale
    )
    return queue(message, kind=kind, dedup_key=dedup_key)
