"""Human descriptions of recurrence rules, in Dutch and English (pure, Babel only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.dates import format_date, format_time, get_day_names

from coordinator.tables.recurrence import LAST, EndKind, Pattern, RuleSpec

_ORDINALS = {
    "nl": {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", LAST: "laatste"},
    "en": {1: "first", 2: "second", 3: "third", 4: "fourth", LAST: "last"},
}
_WORDS = {
    "nl": {
        "and": "en",
        "weekly": "Elke week op {days}",
        "weekly_n": "Om de {n} weken op {days}",
        "monthly_weekday": "Elke {nth} {day} van de maand",
        "monthly_weekday_n": "Om de {n} maanden op de {nth} {day}",
        "monthly_day": "Elke maand op de {d}e",
        "monthly_day_n": "Om de {n} maanden op de {d}e",
        "until": "tot en met {date}",
        "count": "{n} keer",
        "count_1": "1 keer",
    },
    "en": {
        "and": "and",
        "weekly": "Every week on {days}",
        "weekly_n": "Every {n} weeks on {days}",
        "monthly_weekday": "Every {nth} {day} of the month",
        "monthly_weekday_n": "Every {n} months on the {nth} {day}",
        "monthly_day": "Every month on day {d}",
        "monthly_day_n": "Every {n} months on day {d}",
        "until": "until {date}",
        "count": "{n} times",
        "count_1": "once",
    },
}


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def describe(
    spec: RuleSpec,
    start_time: time | None = None,
    duration: timedelta | None = None,
    locale: str = "nl",
) -> str:
    """A sentence for people: "Elke tweede dinsdag van de maand, 10:00–11:30, 10 keer"."""
    lang = "en" if locale.startswith("en") else "nl"
    words = _WORDS[lang]
    names = get_day_names("wide", locale=lang)
    n = spec.interval
    if spec.pattern == Pattern.WEEKLY:
        days = _join([str(names[d]) for d in sorted(set(spec.weekdays))], words["and"])
        text = words["weekly" if n == 1 else "weekly_n"].format(n=n, days=days)
    elif spec.pattern == Pattern.MONTHLY_WEEKDAY:
        assert spec.nth is not None
        assert spec.weekday is not None
        text = words["monthly_weekday" if n == 1 else "monthly_weekday_n"].format(
            n=n, nth=_ORDINALS[lang][spec.nth], day=names[spec.weekday]
        )
    else:
        text = words["monthly_day" if n == 1 else "monthly_day_n"].format(n=n, d=spec.month_day)
    pieces = [text]
    if start_time is not None:
        clock = format_time(start_time, "HH:mm", locale=lang)
        if duration is not None:
            end_time = (datetime.combine(date(2000, 1, 1), start_time) + duration).time()
            clock += "–" + format_time(end_time, "HH:mm", locale=lang)
        pieces.append(clock)
    if spec.end == EndKind.UNTIL and spec.until is not None:
        pieces.append(words["until"].format(date=format_date(spec.until, "d MMMM y", locale=lang)))
    elif spec.end == EndKind.COUNT and spec.count is not None:
        pieces.append(words["count_1"] if spec.count == 1 else words["count"].format(n=spec.count))
    return ", ".join(pieces)
