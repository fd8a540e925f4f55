"""Account use cases: log in (rate-limited), invite, accept, reset password, API tokens.

Services own the commit; views only translate their outcome into pages.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.auth import links
from coordinator.auth.models import AccountRole, ApiToken, LoginAttempt, User, new_security_stamp
from coordinator.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from coordinator.db import now_utc
from coordinator.directory.models import Area, Person
from coordinator.errors import Conflict, DomainError, NotFound
from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.urls import external_url

#: Prefix that makes Matchtafel tokens recognisable (e.g. by secret scanners).
API_TOKEN_PREFIX = "mt_"  # noqa: S105 - a public prefix, not a secret


class LoginRefused(DomainError):
    status_code = 401


class TooManyAttempts(DomainError):
    status_code = 429


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


# --- logging in ---------------------------------------------------------------------------


def _recent_failures(email: str, remote_addr: str) -> tuple[int, int]:
    window = timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    since = now_utc() - window
    failed = sa.and_(LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since)
    by_email = db.session.scalar(
        sa.select(sa.func.count()).where(failed, LoginAttempt.email == email)
    )
    by_addr = db.session.scalar(
        sa.select(sa.func.count()).where(failed, LoginAttempt.remote_addr == remote_addr)
    )
    return by_email or 0, by_addr or 0


def authenticate(email: str, password: str, remote_addr: str) -> User:
    """Return the user for valid credentials, or raise with a clear Dutch reason.

    Failures are counted per address and per client; too many within the window refuse even
    correct passwords until the window passes.
    """
    email = normalise_email(email)
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    by_email, by_addr = _recent_failures(email, remote_addr)
    if by_email >= limit or by_addr >= limit * 4:
        raise TooManyAttempts(
            _(
                "Te veel mislukte inlogpogingen. Wacht een kwartier en probeer het opnieuw, "
                "of vraag een nieuw wachtwoord aan."
            )
        )
    user = find_user_by_email(email)
    ok = user is not None and verify_password(user.password_hash, password)
    db.session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=ok))
    if not ok or user is None:
        db.session.commit()
        raise LoginRefused(_("Onjuist e-mailadres of wachtwoord."))
    if not user.is_active:
        db.session.commit()
        raise LoginRefused(
            _("Dit account is niet (meer) actief. Neem contact op met uw coördinator.")
        )
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now_utc()
    db.session.commit()
    return user


# --- invitations and passwords -------------------------------------------------------------


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )


def _queue_link_mail(
    user: User, purpose: str, endpoint: str, template: str, subject: object
) -> None:
    """Queue a mail with a signed link; ``subject`` is a lazy string rendered in the user's locale."""
    token = links.make_token(purpose, user.id, user.security_stamp)
    link = external_url(endpoint, token=token)
    with force_locale(user.locale):
        subject_text = str(subject)
    outbox.queue_templated(
        template,
        to=user.email,
        subject=subject_text,
        kind=purpose,
        locale=user.locale,
        user=user,
        link=link,
        days=current_app.config["INVITATION_MAX_AGE"] // 86400,
    )


def invite_user(
    person: Person,
    email: str,
    role: AccountRole,
    *,
    areas: list[Area] | None = None,
    locale: str = "nl",
) -> User:
    """Create an account for a directory person and queue an invitation mail with a link."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise Conflict(_("Er bestaat al een account met dit e-mailadres."), field="email")
    existing = db.session.scalar(sa.select(User).where(User.person_id == person.id))
    if existing is not None:
        raise Conflict(_("Deze persoon heeft al een account."), field="person")
    if person.has_left:
        raise DomainError(_("Deze persoon is uit dienst; een account is niet mogelijk."))
    if role == AccountRole.COORDINATOR and not areas:
        raise DomainError(_("Kies minstens één stadsdeel voor een coördinator."), field="areas")
    user = User(email=email, role=role, person=person, locale=locale, areas=list(areas or []))
    db.session.add(user)
    db.session.flush()
    _queue_link_mail(
        user,
        links.INVITATION,
        "auth.accept_invitation",
        "invitation",
        _l("Uitnodiging voor Matchtafel"),
    )
    db.session.commit()
    return user


def user_for_link(purpose: str, token: str) -> User:
    """The account a still-valid link belongs to; raises a Dutch DomainError otherwise."""
    max_age = current_app.config[
        "INVITATION_MAX_AGE" if purpose == links.INVITATION else "PASSWORD_RESET_MAX_AGE"
    ]
    try:
        user_id, stamp = links.read_token(purpose, token, max_age)
    except links.LinkError as exc:
        if exc.expired:
            raise DomainError(
                _(
                    "Deze link is verlopen. Vraag een nieuwe aan bij uw coördinator of via "
                    "'Wachtwoord vergeten'."
                )
            ) from exc
        raise DomainError(_("Deze link is ongeldig.")) from exc
    user = db.session.get(User, user_id)
    if user is None or user.security_stamp != stamp:
        raise DomainError(_("Deze link is al gebruikt of niet meer geldig."))
    if not user.is_active:
        raise DomainError(_("Dit account is niet (meer) actief."))
    if purpose == links.INVITATION and user.has_password:
        raise DomainError(_("Deze uitnodiging is al gebruikt. U kunt gewoon inloggen."))
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password; every earlier link and other session stops working."""
    _check_password(password)
    user.password_hash = hash_password(password)
    user.security_stamp = new_security_stamp()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address belongs to an active account; silent otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    _queue_link_mail(
        user,
        links.PASSWORD_RESET,
        "auth.reset_password",
        "password_reset",
        _l("Nieuw wachtwoord voor Matchtafel"),
    )
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_("Deze taal wordt niet ondersteund."))
    user.locale = locale
    db.session.commit()


# --- API tokens ----------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Geef het token een naam, zodat u het later herkent."), field="name")
    plain = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:120], token_hash=hash_token(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_api_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Dit token bestaat niet."))
    if token.revoked_at is None:
        token.revoked_at = now_utc()
        db.session.commit()


def user_for_api_token(plain: str) -> User | None:
    """The active user behind a bearer token, or None (unknown, revoked, or user inactive)."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = now_utc()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
        db.session.commit()
    return token.user


def list_api_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc())
        )
    )
