"""Pure construction of RFC 5322 messages (no Flask, no I/O)."""

from __future__ import annotations

import email.policy
import secrets
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from coordinator.db import now_utc

#: SMTP policy: CRLF line endings everywhere, as RFC 5545 and RFC 5322 require.
POLICY = email.policy.SMTP


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID such as ``<3f2a…@example.org>``."""
    return f"<{secrets.token_hex(16)}@{domain}>"


def build_message(
    *,
    sender: Address,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    message_id: str | None = None,
    language: str = "nl",
) -> EmailMessage:
    """A text (and optional html) message to exactly one recipient.

    :param sender: From (and the mailbox that receives replies).
    :param to: the only recipient; no recipient ever sees another's address.
    """
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now_utc())
    msg["Message-ID"] = message_id or new_message_id(sender.domain or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", cte="quoted-printable")
    # After set_content: it replaces every Content-* header of the message.
    msg["Content-Language"] = language
    return msg
