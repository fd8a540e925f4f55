"""Pure helpers for feed tokens: 256 random bits, stored only as SHA-256, and their URLs."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlsplit, urlunsplit

#: Prefix that makes a Matchtafel feed token recognisable (e.g. in leaked-secret scans).
TOKEN_PREFIX = "mtf_"  # noqa: S105 - a public marker, not a secret
#: Characters of the token kept in the database to tell subscriptions apart.
PREFIX_LENGTH = 10


def new_token() -> str:
    """A fresh token: the prefix and 32 random bytes (256 bits), URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    """Cheap shape check before touching the database (length and alphabet)."""
    body = value.removeprefix(TOKEN_PREFIX)
    return (
        value.startswith(TOKEN_PREFIX)
        and 40 <= len(body) <= 64
        and all(c.isalnum() or c in "-_" for c in body)
    )


def webcal_url(url: str) -> str:
    """The ``webcal://`` form of an http(s) feed URL (one-click subscribe in Apple/Outlook)."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", parts.netloc, parts.path, parts.query, parts.fragment))
