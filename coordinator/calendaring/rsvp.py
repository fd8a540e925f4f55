"""Signed RSVP links (accept, decline, "mijn vervanger gaat") that work without logging in.

A token binds seat, person, series UID, occurrence (or the whole series) and action, and carries
its own expiry: the end of the occurrence. It is signed with itsdangerous under a dedicated salt,
so tokens from other features (password reset, invitations) never verify here. Pure given the
secret: no app, no database. Single use is the caller's job (the attendance register records the
answer; answering twice just repeats it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "matchtafel.calendaring.rsvp.v1"


class RsvpAction(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    DEPUTY = "deputy"


class RsvpError(ValueError):
    """The token is forged, damaged, expired or meant for another seat."""


class RsvpExpired(RsvpError):
    """The occurrence is over; the token no longer counts."""


@dataclass(frozen=True, slots=True)
class RsvpClaim:
    """What a verified token says."""

    seat_id: int
    person_id: int
    series_uid: str
    #: Original local start of the occurrence (naive), or ``None`` for the whole series.
    recurrence_id: datetime | None
    action: RsvpAction
    expires_at: datetime


def _serializer(secret: str | bytes) -> URLSafeSerializer:
    if not secret:
        raise ValueError("an RSVP secret is required")
    return URLSafeSerializer(secret, salt=SALT)


def sign(claim: RsvpClaim, secret: str | bytes) -> str:
    """A URL-safe token for ``claim``."""
    if claim.expires_at.tzinfo is None:
        raise ValueError("expires_at must be aware")
    if claim.recurrence_id is not None and claim.recurrence_id.tzinfo is not None:
        raise ValueError("recurrence_id is a naive local wall-clock time")
    payload = [
        claim.seat_id,
        claim.person_id,
        claim.series_uid,
        claim.recurrence_id.strftime("%Y%m%dT%H%M%S") if claim.recurrence_id else None,
        RsvpAction(claim.action).value,
        int(claim.expires_at.timestamp()),
    ]
    return _serializer(secret).dumps(payload)


def make_token(
    secret: str | bytes,
    *,
    seat_id: int,
    person_id: int,
    series_uid: str,
    recurrence_id: datetime | None,
    action: RsvpAction | str,
    expires_at: datetime,
) -> str:
    """Convenience wrapper around :func:`sign`."""
    claim = RsvpClaim(seat_id, person_id, series_uid, recurrence_id, RsvpAction(action), expires_at)
    return sign(claim, secret)


def verify(
    token: str,
    secret: str | bytes,
    *,
    now: datetime | None = None,
    seat_id: int | None = None,
) -> RsvpClaim:
    """The claim in ``token`` if it is authentic, unexpired and (optionally) for ``seat_id``.

    :raises RsvpExpired: the occurrence is over.
    :raises RsvpError: forged or damaged token, or a token for another seat.
    """
    try:
        payload = _serializer(secret).loads(token)
        seat, person, uid, rid, action, expires = payload
        claim = RsvpClaim(
            seat_id=int(seat),
            person_id=int(person),
            series_uid=str(uid),
            recurrence_id=datetime.strptime(rid, "%Y%m%dT%H%M%S") if rid else None,  # noqa: DTZ007 - local wall time
            action=RsvpAction(action),
            expires_at=datetime.fromtimestamp(int(expires), UTC),
        )
    except BadSignature as exc:
        raise RsvpError("ongeldige of vervalste link") from exc
    except (TypeError, ValueError) as exc:
        raise RsvpError("beschadigde link") from exc
    if seat_id is not None and claim.seat_id != seat_id:
        raise RsvpError("deze link hoort bij een andere plaats")
    if (now or datetime.now(UTC)) >= claim.expires_at:
        raise RsvpExpired("deze link is verlopen")
    return claim
