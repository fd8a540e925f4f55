"""Feed-token use cases: create (shown once), rotate, revoke, list, and resolve a request's token.

A token is dead when it is revoked, when its creator can no longer log in (left or disabled),
when what it shows no longer exists, or, for a person feed, when that person has left: checked
on every request, so leaving ends the feed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.directory.models import Area, Organisation, Person
from coordinator.errors import DomainError, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.feeds import tokens
from coordinator.feeds.models import FeedScope, FeedToken
from coordinator.permissions import is_admin
from coordinator.tables.models import Table
from coordinator.urls import external_url

#: ``last_used_at`` is written at most this often (feeds are polled constantly).
TOUCH_EVERY = timedelta(minutes=5)

_MODELS: dict[FeedScope, type] = {
    FeedScope.PERSON: Person,
    FeedScope.ORGANISATION: Organisation,
    FeedScope.TABLE: Table,
    FeedScope.AREA: Area,
}


@dataclass(frozen=True)
class NewFeed:
    """A created token and its URLs: the only moment the secret is known."""

    token: FeedToken
    url: str
    webcal_url: str


def parse_scope(value: object) -> FeedScope:
    try:
        return FeedScope(str(value))
    except ValueError:
        raise DomainError(
            _("Kies wat het abonnement toont: person, organisation, table of area."),
            field="scope",
        ) from None


def target_of(scope: FeedScope, target_id: int) -> object | None:
    return db.session.get(_MODELS[scope], target_id)


def target_name(feed: FeedToken) -> str:
    """What the feed shows, for people ("Matchtafel Zuidoost", "COA", …)."""
    target = target_of(feed.scope, feed.target_id)
    if target is None:
        return _("(bestaat niet meer)")
    if isinstance(target, Person):
        return target.display_name
    return str(getattr(target, "name", ""))


def _check_may_create(user: User, scope: FeedScope, target: object) -> None:
    if scope is FeedScope.PERSON:
        assert isinstance(target, Person)
        if target.id != user.person_id and not is_admin(user):
            raise PermissionDenied(
                _("U kunt alleen een abonnement op uw eigen tafels maken."), field="id"
            )
        if target.has_left:
            raise DomainError(_("Deze persoon is uit dienst."), field="id")


def create(user: User, scope: FeedScope | str, target_id: object) -> NewFeed:
    """A new subscription for ``user``; the URL in the result is shown once and never again."""
    scope = parse_scope(scope)
    try:
        target_key = int(target_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise DomainError(_("Geef het id op van wat het abonnement toont."), field="id") from None
    target = target_of(scope, target_key)
    if target is None:
        raise NotFound(_("Dit bestaat niet (meer)."), field="id")
    _check_may_create(user, scope, target)
    plain = tokens.new_token()
    feed = FeedToken(
        scope=scope,
        target_id=target_key,
        token_hash=tokens.hash_token(plain),
        prefix=plain[: tokens.PREFIX_LENGTH],
        created_by=user,
    )
    db.session.add(feed)
    db.session.commit()
    url = external_url("feeds.feed", token=plain)
    return NewFeed(feed, url, tokens.webcal_url(url))


def get_own(user: User, feed_id: int) -> FeedToken:
    """A live token the user created (beheerders: any), or a Dutch 404."""
    feed = db.session.get(FeedToken, feed_id)
    if (
        feed is None
        or feed.revoked_at is not None
        or (feed.created_by_id != user.id and not is_admin(user))
    ):
        raise NotFound(_("Dit agenda-abonnement bestaat niet (meer)."))
    return feed


def revoke(user: User, feed_id: int) -> FeedToken:
    """The URL stops working at once (404)."""
    feed = get_own(user, feed_id)
    feed.revoked_at = now_utc()
    db.session.commit()
    return feed


def rotate(user: User, feed_id: int) -> NewFeed:
    """A new URL for the same feed; the old one answers 404 from now on."""
    feed = get_own(user, feed_id)
    feed.revoked_at = now_utc()
    db.session.flush()
    return create(user, feed.scope, feed.target_id)


def list_for(user: User) -> list[FeedToken]:
    """The user's live subscriptions, newest first."""
    return list(
        db.session.scalars(
            sa.select(FeedToken)
            .where(FeedToken.created_by_id == user.id, FeedToken.revoked_at.is_(None))
            .order_by(FeedToken.id.desc())
        )
    )


def resolve(plain: str) -> FeedToken | None:
    """The live token behind a feed URL, or ``None`` (unknown, revoked or dead: all look alike)."""
    if not tokens.looks_like_token(plain):
        return None
    feed = db.session.scalar(
        sa.select(FeedToken)
        .where(FeedToken.token_hash == tokens.hash_token(plain))
        .options(joinedload(FeedToken.created_by).joinedload(User.person))
    )
    if feed is None or feed.revoked_at is not None:
        return None
    creator = feed.created_by
    if creator is None or not creator.is_active:
        return None
    target = target_of(feed.scope, feed.target_id)
    if target is None:
        return None
    if isinstance(target, Person) and target.has_left:
        return None
    return feed


def touch(feed: FeedToken) -> None:
    """Remember when the feed was last fetched (at most every few minutes)."""
    now = now_utc()
    if feed.last_used_at is None or now - feed.last_used_at > TOUCH_EVERY:
        feed.last_used_at = now
        db.session.commit()
