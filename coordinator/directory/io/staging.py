"""Uploaded CSV files kept between the dry-run preview and the confirmation.

Files live in ``<instance>/imports/<token>/`` for at most :data:`MAX_AGE` and only the user who
uploaded them can confirm them. Confirming re-validates from these bytes, so what is committed
is exactly what was previewed (or refused if the directory changed meanwhile).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from coordinator.directory.io.columns import Sheet
from coordinator.errors import NotFound

MAX_AGE = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _root() -> Path:
    return Path(current_app.instance_path) / "imports"


def purge_expired(now: float | None = None) -> None:
    """Remove staged uploads older than :data:`MAX_AGE`."""
    root = _root()
    if not root.exists():
        return
    limit = (now or time.time()) - MAX_AGE
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def stage(files: dict[Sheet, bytes], user_id: int) -> str:
    """Keep ``files`` for confirmation by ``user_id``; returns the token."""
    purge_expired()
    token = secrets.token_urlsafe(24)
    folder = _root() / token
    folder.mkdir(parents=True)
    for sheet, data in files.items():
        (folder / f"{sheet.value}.csv").write_bytes(data)
    (folder / "meta.json").write_text(json.dumps({"user_id": user_id, "created": time.time()}))
    return token


def load(token: str, user_id: int) -> dict[Sheet, bytes]:
    """The staged files of ``token``; refused when unknown, expired or someone else's."""
    folder = _root() / token if _TOKEN.match(token or "") else None
    gone = NotFound(_("Deze import is verlopen of onbekend. Upload de bestanden opnieuw."))
    if folder is None or not (folder / "meta.json").exists():
        raise gone
    meta = json.loads((folder / "meta.json").read_text())
    if meta["user_id"] != user_id or meta["created"] < time.time() - MAX_AGE:
        raise gone
    return {
        sheet: (folder / f"{sheet.value}.csv").read_bytes()
        for sheet in Sheet
        if (folder / f"{sheet.value}.csv").exists()
    }


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        shutil.rmtree(_root() / token, ignore_errors=True)
