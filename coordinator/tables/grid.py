"""Pure helpers for calendar pages: month grids and occurrence keys in URLs."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


def occurrence_key(recurrence_id: datetime) -> str:
    """URL key of an occurrence: its original local start, ``2026-12-08T10:00``."""
    return recurrence_id.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    items: list[Any]


def month_grid(year: int, month: int, items: Iterable[tuple[date, Any]]) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the items that fall on it."""
    by_day: dict[date, list[Any]] = defaultdict(list)
    for day, item in items:
        by_day[day].append(item)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def parse_month(value: str | None, today: date) -> tuple[int, int]:
    """``2026-12`` → (2026, 12); anything else → this month."""
    try:
        year_text, month_text = (value or "").split("-")
        year, month = int(year_text), int(month_text)
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return year, month
    except ValueError:
        pass
    return today.year, today.month
