"""Stable identifiers for exported entries: the same row gets the same UUID in every export."""

from __future__ import annotations

import uuid


def stable_uuid(base_url: str, kind: str, key: object) -> uuid.UUID:
    """A name-based UUID (v5) under this installation's base URL, e.g. ``organisation/12``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url.rstrip('/')}/{kind}/{key}")
