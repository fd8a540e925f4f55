"""Configuration defaults and the layered loading: code, then instance/config.py, then env."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

#: Secrets shorter than this are refused outside debug/testing.
MIN_SECRET_KEY_LENGTH = 32
#: Values that are obviously not a secret.
KNOWN_WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development", "test"}

DEV_SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - refused outside debug


class DefaultConfig:
    """Defaults for every setting; instance/config.py and COORDINATOR_* env vars override."""

    SECRET_KEY: str | None = None
    #: Filled in by :func:`load_config` when not configured: SQLite in the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    #: Absolute base URL used in mails, invites and feed links.
    BASE_URL = "http://127.0.0.1:5000"
    #: A real mailbox: ORGANIZER of invites and From of every mail (it receives RSVP replies).
    MAIL_FROM = "matchtafel@example.org"
    MAIL_FROM_NAME = "Matchtafel"
    #: When no SMTP host is set, mail is written as .eml files into MAIL_DIR.
    MAIL_DIR: str | None = None
    SMTP_HOST: str | None = None
    SMTP_PORT = 587
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: str | None = None
    #: "starttls", "ssl" or "none".
    SMTP_TLS = "starttls"
    SMTP_TIMEOUT = 30

    TIMEZONE = "Europe/Amsterdam"
    #: Calendar feeds show this many days back and ahead of today.
    FEED_PAST_DAYS = 92
    FEED_FUTURE_DAYS = 548
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    #: Invitation and password-reset links stay valid this long (seconds).
    INVITATION_MAX_AGE = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600
    #: Failed logins per e-mail address (and per client address) within the window before refusal.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    #: Days after leaving before a person's personal contact details are erased.
    PERSONAL_DATA_RETENTION_DAYS = 30
    #: Directory entries not verified for this many days are marked as possibly outdated.
    STALE_AFTER_DAYS = 183
    #: Question-board threads are deleted this many days after resolution / after asking.
    QUESTION_RETENTION_RESOLVED_DAYS = 90
    QUESTION_RETENTION_UNRESOLVED_DAYS = 180
    #: Sent mail (its full text included) is deleted from the outbox after this many days.
    OUTBOX_RETENTION_DAYS = 30

    # Scheduler and delivery (``flask scheduler``; see docs/operations.md).
    #: How often the scheduler delivers the outbox (seconds).
    SCHEDULER_DELIVERY_SECONDS = 15
    #: How late a missed job run may still start (seconds); None: however late, but once.
    SCHEDULER_MISFIRE_GRACE_SECONDS: int | None = None
    #: A delivering process owns claimed mails this long; a crash returns them after it.
    MAIL_LEASE_SECONDS = 300
    #: Mails claimed per transaction by one delivering process.
    MAIL_BATCH_SIZE = 200
    #: How often the scheduler looks for due reminders (seconds).
    REMINDER_SWEEP_SECONDS = 15 * 60
    #: Retention (days) of job-run records, login attempts and revoked API tokens.
    JOB_RUN_RETENTION_DAYS = 14
    LOGIN_ATTEMPT_RETENTION_DAYS = 30
    REVOKED_TOKEN_RETENTION_DAYS = 30
    #: Move the objects made at start-up out of the garbage collector's way (``gc.freeze``),
    #: so a full collection in a long-running worker scans ~40 % of the objects and takes a
    #: few ms instead of 50–100 ms. ``None``: on, except when testing (tests build many apps).
    GC_FREEZE: bool | None = None


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Apply the configuration layers in order and fill in derived defaults.

    :param app: the application being created.
    :param overrides: explicit settings (tests), applied last.
    """
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COORDINATOR")
    _keep_text_settings_as_text(app)
    if overrides:
        app.config.update(overrides)

    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'coordinator.sqlite'}"
    if not app.config.get("MAIL_DIR"):
        app.config["MAIL_DIR"] = str(instance / "mail")
    if app.debug or app.testing:
        # Local development runs over plain http on 127.0.0.1.
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config["REMEMBER_COOKIE_SECURE"] = False
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = DEV_SECRET_KEY
    check_secret_key(app)


#: Settings that are always text: their environment values are taken as written, not as JSON
#: (``COORDINATOR_SMTP_PASSWORD=12345678`` would otherwise become a number, ``1.50`` even 1.5).
TEXT_SETTINGS = (
    "SECRET_KEY",
    "SMTP_HOST",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "MAIL_FROM",
    "MAIL_FROM_NAME",
)


def _keep_text_settings_as_text(app: Flask, prefix: str = "COORDINATOR") -> None:
    for key in TEXT_SETTINGS:
        raw = os.environ.get(f"{prefix}_{key}")
        if raw is not None:
            app.config[key] = raw


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def check_secret_key(app: Flask) -> None:
    """Refuse to start outside debug/testing with a missing or weak SECRET_KEY."""
    if app.debug or app.testing:
        return
    key = app.config.get("SECRET_KEY") or ""
    if not key:
        raise ConfigurationError(
            "SECRET_KEY ontbreekt. Zet COORDINATOR_SECRET_KEY of SECRET_KEY in "
            "instance/config.py, bijvoorbeeld met: "
            'python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
    if (
        key == DEV_SECRET_KEY
        or key.lower() in KNOWN_WEAK_SECRETS
        or len(key) < MIN_SECRET_KEY_LENGTH
    ):
        raise ConfigurationError(
            f"SECRET_KEY is te zwak: gebruik minstens {MIN_SECRET_KEY_LENGTH} willekeurige tekens "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
