"""Signed, expiring links for invitations and password resets.

The payload carries the account's security stamp, so a link stops working as soon as the
password is set or changed: each link works once.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"  # noqa: S105 - a link purpose, not a password


class LinkError(Exception):
    """A link is invalid, expired or already used; ``expired`` tells which."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"matchtafel-{purpose}")


def make_token(purpose: str, user_id: int, security_stamp: str) -> str:
    """Sign ``(user id, stamp)`` for one purpose."""
    return _serializer(purpose).dumps([user_id, security_stamp])


def read_token(purpose: str, token: str, max_age: int) -> tuple[int, str]:
    """Return ``(user id, stamp)`` or raise :class:`LinkError`."""
    try:
        user_id, stamp = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(expired=True) from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise LinkError(expired=False) from exc
    return int(user_id), str(stamp)
