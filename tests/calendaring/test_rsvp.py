"""Signed RSVP tokens: bound to seat, person, series, occurrence and action; expire after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeSerializer

from coordinator.calendaring import rsvp
from coordinator.calendaring.occurrences import occurrence_end_utc
from tests.calendaring.conftest import wall, weekly_series

SECRET = "rsvp-test-secret-0123456789abcdef"
RID = wall(2026, 3, 23, 10)
ENDS = occurrence_end_utc(weekly_series(), RID)  # the moved occurrence: 31 March 15:30 CEST
BEFORE = datetime(2026, 3, 20, 12, tzinfo=UTC)


def token(**changes) -> str:
    values = {
        "seat_id": 7,
        "person_id": 11,
        "series_uid": weekly_series().uid,
        "recurrence_id": RID,
        "action": "accept",
        "expires_at": ENDS,
    }
    values.update(changes)
    return rsvp.make_token(SECRET, **values)


def test_round_trip_returns_every_bound_value():
    claim = rsvp.verify(token(action="deputy"), SECRET, now=BEFORE, seat_id=7)
    assert claim == rsvp.RsvpClaim(7, 11, weekly_series().uid, RID, rsvp.RsvpAction.DEPUTY, ENDS)


def test_series_wide_token_has_no_recurrence_id():
    claim = rsvp.verify(token(recurrence_id=None), SECRET, now=BEFORE)
    assert claim.recurrence_id is None


def test_expires_at_the_end_of_the_moved_occurrence():
    assert datetime(2026, 3, 31, 13, 30, tzinfo=UTC) == ENDS
    rsvp.verify(token(), SECRET, now=ENDS - timedelta(seconds=1))
    with pytest.raises(rsvp.RsvpExpired):
        rsvp.verify(token(), SECRET, now=ENDS)


def test_other_seat_is_refused():
    with pytest.raises(rsvp.RsvpError, match="andere plaats"):
        rsvp.verify(token(), SECRET, now=BEFORE, seat_id=8)


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # damaged signature
        lambda t: t.replace(".", ".x", 1),
        lambda t: URLSafeSerializer(SECRET, salt="other").dumps(
            [8, 11, "u", None, "accept", 2**40]
        ),
        lambda t: URLSafeSerializer("wrong-secret", salt=rsvp.SALT).dumps(
            [8, 11, "u", None, "accept", 2**40]
        ),
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_forgeries_are_refused(forge):
    with pytest.raises(rsvp.RsvpError):
        rsvp.verify(forge(token()), SECRET, now=BEFORE)


def test_validly_signed_but_malformed_payload_is_refused():
    bad = URLSafeSerializer(SECRET, salt=rsvp.SALT).dumps(["x", 11, "u", None, "maybe", 1])
    with pytest.raises(rsvp.RsvpError, match="beschadigd"):
        rsvp.verify(bad, SECRET, now=BEFORE)


def test_seat_cannot_be_changed_without_breaking_the_signature():
    payload, _, signature = token().rpartition(".")
    other = token(seat_id=8)
    spliced = other.rpartition(".")[0] + "." + signature
    assert spliced != other
    with pytest.raises(rsvp.RsvpError):
        rsvp.verify(spliced, SECRET, now=BEFORE)
    assert payload


def test_signing_refuses_naive_expiry_and_aware_recurrence_id():
    with pytest.raises(ValueError, match="aware"):
        token(expires_at=datetime(2026, 4, 1))  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match="naive"):
        token(recurrence_id=RID.replace(tzinfo=UTC))
    with pytest.raises(ValueError, match="secret"):
        rsvp.make_token(
            "",
            seat_id=1,
            person_id=1,
            series_uid="u",
            recurrence_id=None,
            action="accept",
            expires_at=ENDS,
        )
