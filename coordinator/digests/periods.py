"""Pure period keys for once-per-week and once-per-month mail, in local (Amsterdam) time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def iso_week(now: datetime, tz: ZoneInfo) -> str:
    """The local ISO week of ``now`` (aware): ``2027-W02``; weeks start on Monday."""
    year, week, _day = now.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def month(now: datetime, tz: ZoneInfo) -> str:
    """The local calendar month of ``now`` (aware): ``2027-01``."""
    return now.astimezone(tz).strftime("%Y-%m")
