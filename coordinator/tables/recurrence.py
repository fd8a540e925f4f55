"""Pure recurrence: rule builder specs ↔ RFC 5545 RRULE, validation, descriptions, expansion.

No app, no database: plain values in, plain values out. A series keeps its start as *local*
wall-clock time plus an IANA zone name, and expands in that wall-clock time, so a 10:00 meeting
stays at 10:00 on both sides of a DST change (INTEROP item 12). Exceptions are keyed by the
original local start of an occurrence, the iCalendar RECURRENCE-ID (INTEROP item 13).

Only the patterns that Outlook and Google both offer are supported (INTEROP item 10): weekly
or every N weeks on chosen weekdays, monthly on the first…fourth or last weekday, and monthly
on a day of the month; ending never, on a date, or after N times.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_calendars
from dateutil import rrule as du
from flask_babel import gettext as _

from coordinator.errors import DomainError

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: ``nth`` value meaning "the last … of the month".
LAST = -1
NTH_CHOICES = (1, 2, 3, 4, LAST)
MAX_INTERVAL = 99
MAX_COUNT = 999
MAX_MONTH_DAY = 28


class RuleError(DomainError):
    """A rule or schedule that cannot be used; the message says why, in Dutch."""


class Pattern(enum.StrEnum):
    WEEKLY = "wekelijks"
    MONTHLY_WEEKDAY = "maandelijks-weekdag"
    MONTHLY_DAY = "maandelijks-dag"


class EndKind(enum.StrEnum):
    NEVER = "nooit"
    UNTIL = "tot"
    COUNT = "aantal"


@dataclass(frozen=True)
class RuleSpec:
    """What the rule builder asks for; :func:`to_rrule` turns it into an RRULE value."""

    pattern: Pattern
    interval: int = 1
    #: Weekly: the chosen weekdays, 0 = Monday … 6 = Sunday.
    weekdays: tuple[int, ...] = ()
    #: Monthly on a weekday: 1–4, or :data:`LAST`.
    nth: int | None = None
    #: Monthly on a weekday: 0 = Monday … 6 = Sunday.
    weekday: int | None = None
    #: Monthly on a day of the month: 1–28.
    month_day: int | None = None
    end: EndKind = EndKind.NEVER
    #: Last local day (inclusive) when ``end`` is :attr:`EndKind.UNTIL`.
    until: date | None = None
    #: Number of occurrences when ``end`` is :attr:`EndKind.COUNT`.
    count: int | None = None


# --- validation --------------------------------------------------------------------------


def zone(tzid: str) -> ZoneInfo:
    """The IANA zone ``tzid``, or a :class:`RuleError` naming the field ``timezone``."""
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(
            _("Onbekende tijdzone '%(tzid)s'. Gebruik een IANA-naam zoals Europe/Amsterdam.")
            % {"tzid": tzid},
            field="timezone",
        ) from None


def validate(spec: RuleSpec, start: date | None = None) -> None:
    """Refuse an impossible rule with a specific Dutch message; ``start`` checks the end date."""
    if not isinstance(spec.interval, int) or not 1 <= spec.interval <= MAX_INTERVAL:
        raise RuleError(
            _("Het interval moet een heel getal van 1 tot en met %(max)d zijn.")
            % {"max": MAX_INTERVAL},
            field="interval",
        )
    if spec.pattern == Pattern.WEEKLY:
        if not spec.weekdays:
            raise RuleError(_("Kies minstens één weekdag."), field="weekdays")
        if any(d not in range(7) for d in spec.weekdays):
            raise RuleError(_("Een weekdag is ongeldig."), field="weekdays")
    elif spec.pattern == Pattern.MONTHLY_WEEKDAY:
        if spec.nth not in NTH_CHOICES:
            raise RuleError(
                _("Kies de eerste, tweede, derde, vierde of laatste weekdag van de maand."),
                field="nth",
            )
        if spec.weekday not in range(7):
            raise RuleError(_("Kies een weekdag."), field="weekday")
    elif spec.pattern == Pattern.MONTHLY_DAY:
        if not isinstance(spec.month_day, int) or not 1 <= spec.month_day <= MAX_MONTH_DAY:
            raise RuleError(
                _(
                    "Kies een dag van 1 tot en met 28. Niet elke maand heeft een 29e, 30e of 31e, "
                    "en agenda's gaan daar verschillend mee om; kies dan 'laatste weekdag'."
                ),
                field="month_day",
            )
    else:  # pragma: no cover - the enum is closed
        raise RuleError(_("Onbekend herhaalpatroon."), field="pattern")

    if spec.end == EndKind.UNTIL:
        if spec.until is None:
            raise RuleError(_("Vul de einddatum in."), field="until")
        if start is not None and spec.until < start:
            raise RuleError(_("De einddatum ligt vóór de startdatum."), field="until")
    elif spec.end == EndKind.COUNT and (
        not isinstance(spec.count, int) or not 1 <= spec.count <= MAX_COUNT
    ):
        raise RuleError(
            _("Het aantal keer moet tussen 1 en %(max)d liggen.") % {"max": MAX_COUNT},
            field="count",
        )


def validate_duration(minutes: int) -> None:
    """A meeting lasts between 5 minutes and 24 hours."""
    if not isinstance(minutes, int) or not 5 <= minutes <= 24 * 60:
        raise RuleError(
            _("De duur moet tussen 5 minuten en 24 uur liggen; controleer begin- en eindtijd."),
            field="duration",
        )


# --- RRULE text ----------------------------------------------------------------------------


def to_rrule(spec: RuleSpec, tzid: str) -> str:
    """The RFC 5545 RRULE value (no ``RRULE:`` prefix) for a validated ``spec``.

    UNTIL is the end of the chosen local day, in UTC, as RFC 5545 requires when DTSTART has a
    TZID. Weekly rules with an interval carry ``WKST=MO`` so every client counts weeks alike.
    """
    validate(spec)
    parts: list[str] = []
    if spec.pattern == Pattern.WEEKLY:
        parts.append("FREQ=WEEKLY")
        if spec.interval > 1:
            parts.append(f"INTERVAL={spec.interval}")
        days = sorted(set(spec.weekdays))
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days))
        if spec.interval > 1:
            parts.append("WKST=MO")
    else:
        parts.append("FREQ=MONTHLY")
        if spec.interval > 1:
            parts.append(f"INTERVAL={spec.interval}")
        if spec.pattern == Pattern.MONTHLY_WEEKDAY:
            assert spec.weekday is not None
            parts.append(f"BYDAY={spec.nth}{WEEKDAY_CODES[spec.weekday]}")
        else:
            parts.append(f"BYMONTHDAY={spec.month_day}")
    if spec.end == EndKind.UNTIL:
        assert spec.until is not None
        parts.append("UNTIL=" + format_utc(until_instant(spec.until, tzid)))
    elif spec.end == EndKind.COUNT:
        parts.append(f"COUNT={spec.count}")
    return ";".join(parts)


def until_instant(day: date, tzid: str) -> datetime:
    """The last second of local ``day`` as an aware UTC instant."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=zone(tzid))
    return local.astimezone(UTC)


def format_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _unsupported(text: str) -> RuleError:
    return RuleError(
        _(
            "Dit herhaalpatroon wordt niet ondersteund: %(rule)s. Kies wekelijks (of om de N "
            "weken) op weekdagen, maandelijks op de eerste t/m vierde of laatste weekdag, of "
            "maandelijks op een dag van de maand."
        )
        % {"rule": text},
        field="rrule",
    )


def _parse_until(value: str, tzid: str) -> date:
    """UNTIL as a local date: UTC date-time, floating local date-time, or a plain date."""
    try:
        if value.endswith("Z"):
            instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return instant.astimezone(zone(tzid)).date()
        if "T" in value:
            return datetime.strptime(value, "%Y%m%dT%H%M%S").date()  # noqa: DTZ007 - local
        return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 - a date
    except ValueError:
        raise RuleError(_("De einddatum (UNTIL) is ongeldig."), field="rrule") from None


def _int(value: str, text: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise _unsupported(text) from None


def from_rrule(text: str, tzid: str, dtstart: datetime | None = None) -> RuleSpec:
    """Parse an RRULE value into a :class:`RuleSpec`, refusing what the builder cannot show.

    ``dtstart`` (local) fills in what RFC 5545 takes from DTSTART when BYDAY/BYMONTHDAY is
    missing. Outlook's ``BYDAY=TU;BYSETPOS=2`` form is read as the second Tuesday.
    """
    raw = text.strip()
    body = raw[6:] if raw.upper().startswith("RRULE:") else raw
    fields: dict[str, str] = {}
    for part in filter(None, body.split(";")):
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        if not sep or key in fields:
            raise _unsupported(raw)
        fields[key] = value.strip().upper()
    allowed = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "UNTIL", "COUNT", "WKST"}
    if not fields or set(fields) - allowed:
        raise _unsupported(raw)
    if "UNTIL" in fields and "COUNT" in fields:
        raise RuleError(
            _("Een regel kan niet zowel een einddatum als een aantal hebben."), field="rrule"
        )

    interval = _int(fields.get("INTERVAL", "1"), raw)
    end, until, count = EndKind.NEVER, None, None
    if "UNTIL" in fields:
        end, until = EndKind.UNTIL, _parse_until(fields["UNTIL"], tzid)
    elif "COUNT" in fields:
        end, count = EndKind.COUNT, _int(fields["COUNT"], raw)

    freq = fields.get("FREQ")
    byday = [d for d in fields.get("BYDAY", "").split(",") if d]
    if freq == "WEEKLY":
        if "BYMONTHDAY" in fields or "BYSETPOS" in fields:
            raise _unsupported(raw)
        if not byday:
            if dtstart is None:
                raise _unsupported(raw)
            byday = [WEEKDAY_CODES[dtstart.weekday()]]
        if any(d not in WEEKDAY_CODES for d in byday):
            raise _unsupported(raw)
        if fields.get("WKST", "MO") != "MO" and interval > 1 and len(byday) > 1:
            raise _unsupported(raw)  # weeks would be counted differently from Monday
        spec = RuleSpec(
            Pattern.WEEKLY,
            interval=interval,
            weekdays=tuple(sorted({WEEKDAY_CODES.index(d) for d in byday})),
            end=end,
            until=until,
            count=count,
        )
    elif freq == "MONTHLY":
        if "BYMONTHDAY" in fields:
            if byday or "BYSETPOS" in fields:
                raise _unsupported(raw)
            spec = RuleSpec(
                Pattern.MONTHLY_DAY,
                interval=interval,
                month_day=_int(fields["BYMONTHDAY"], raw),
                end=end,
                until=until,
                count=count,
            )
        elif byday:
            if len(byday) != 1:
                raise _unsupported(raw)  # Outlook cannot show several nth weekdays
            code = byday[0][-2:]
            prefix = byday[0][:-2]
            if code not in WEEKDAY_CODES:
                raise _unsupported(raw)
            if prefix and "BYSETPOS" in fields:
                raise _unsupported(raw)
            nth_text = prefix or fields.get("BYSETPOS", "")
            if not nth_text:
                raise _unsupported(raw)  # every Tuesday of the month: not a builder pattern
            spec = RuleSpec(
                Pattern.MONTHLY_WEEKDAY,
                interval=interval,
                nth=_int(nth_text.lstrip("+"), raw),
                weekday=WEEKDAY_CODES.index(code),
                end=end,
                until=until,
                count=count,
            )
        else:
            if dtstart is None or "BYSETPOS" in fields:
                raise _unsupported(raw)
            spec = RuleSpec(
                Pattern.MONTHLY_DAY,
                interval=interval,
                month_day=dtstart.day,
                end=end,
                until=until,
                count=count,
            )
    else:
        raise _unsupported(raw)
    validate(spec)
    return spec


# --- expansion -----------------------------------------------------------------------------


def localize(wall: datetime, tz: ZoneInfo) -> datetime:
    """Aware datetime for a local wall-clock time, as RFC 5545 reads it.

    A time in the spring-forward gap uses the offset before the gap (02:30 → 03:30 CEST); an
    ambiguous autumn time is the first of the two (fold=0).
    """
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)


def _local_rrule_text(rrule_text: str, tzid: str) -> str:
    """Rewrite a UTC UNTIL into local wall-clock time so dateutil can compare naive times."""
    parts = []
    for part in rrule_text.split(";"):
        key, _sep, value = part.partition("=")
        if key.upper() == "UNTIL" and value.upper().endswith("Z"):
            instant = datetime.strptime(value.upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            local = instant.astimezone(zone(tzid)).replace(tzinfo=None)
            value = local.strftime("%Y%m%dT%H%M%S")
        parts.append(f"{key}={value}")
    return ";".join(parts)


@functools.lru_cache(maxsize=256)
def _compiled(rrule_text: str, dtstart: datetime, tzid: str) -> du.rrule:
    return du.rrulestr(_local_rrule_text(rrule_text, tzid), dtstart=dtstart)  # type: ignore[return-value]


def refuse_outlook_problems(spec: RuleSpec, tzid: str) -> None:
    """Refuse a rule Outlook would read differently (INTEROP 10) when a schedule is saved.

    Called where a schedule is saved, not in :func:`validate`: rules already stored keep
    loading and parsing.
    """
    from coordinator.calendaring.rules import outlook_problems

    if not outlook_problems(to_rrule(spec, tzid)):
        return
    if spec.end == EndKind.COUNT:
        raise RuleError(
            _(
                "Kies bij meerdere weekdagen een einddatum in plaats van een aantal keer: "
                "Outlook telt anders."
            ),
            field="count",
        )
    raise RuleError(  # pragma: no cover - the rule builder makes no other such rule
        _("Dit herhaalpatroon kan Outlook niet goed tonen; kies een eenvoudiger patroon."),
        field="pattern",
    )


def first_start(spec: RuleSpec, start_day: date, start_time: time, tzid: str) -> datetime:
    """The first local start on or after ``start_day`` that the rule produces (the DTSTART).

    Storing this instead of the typed date keeps DTSTART in step with the rule, which RFC 5545
    asks for and which calendar clients otherwise interpret differently.
    """
    validate(spec, start_day)
    zone(tzid)
    candidate = datetime.combine(start_day, start_time)
    rule = du.rrulestr(_local_rrule_text(to_rrule(spec, tzid), tzid), dtstart=candidate)
    first = next(iter(rule), None)  # type: ignore[call-overload]
    if first is None:
        raise RuleError(
            _("Er valt geen enkele bijeenkomst tussen de startdatum en de einddatum."),
            field="until",
        )
    return first


@dataclass(frozen=True)
class SeriesSpec:
    """One run of a schedule: local DTSTART, duration, RRULE ('' for a single meeting), zone."""

    uid: str
    dtstart: datetime
    duration: timedelta
    rrule: str
    tzid: str = "Europe/Amsterdam"
    location: str = ""


class Status(enum.StrEnum):
    SCHEDULED = "gepland"
    CANCELLED = "afgelast"
    SKIPPED = "overgeslagen"


@dataclass(frozen=True)
class Change:
    """An exception to one occurrence, keyed by series UID and the original local start."""

    uid: str
    recurrence_id: datetime
    status: Status = Status.SCHEDULED
    #: New local start, duration or location when the occurrence was moved.
    start: datetime | None = None
    duration: timedelta | None = None
    location: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Occurrence:
    uid: str
    #: Original local start (the RECURRENCE-ID), naive wall-clock time in the series' zone.
    recurrence_id: datetime
    start: datetime
    end: datetime
    status: Status
    location: str
    moved: bool = False
    reason: str = ""
    #: Name of the Dutch public holiday on the day of ``start``, if any.
    holiday: str | None = None

    @property
    def is_happening(self) -> bool:
        return self.status == Status.SCHEDULED


def rule_starts(series: SeriesSpec, after: datetime, before: datetime) -> list[datetime]:
    """Local (naive) starts the rule produces with ``after <= start <= before`` (both local)."""
    if not series.rrule:
        return [series.dtstart] if after <= series.dtstart <= before else []
    rule = _compiled(series.rrule, series.dtstart, series.tzid)
    return list(rule.between(after, before, inc=True))


def is_occurrence(series: SeriesSpec, recurrence_id: datetime) -> bool:
    """Whether the rule produces an occurrence starting at local ``recurrence_id``."""
    return recurrence_id in rule_starts(series, recurrence_id, recurrence_id)


def last_start(series: SeriesSpec) -> datetime | None:
    """The last local start of a finite series; ``None`` when it never ends."""
    if not series.rrule:
        return series.dtstart
    rule = _compiled(series.rrule, series.dtstart, series.tzid)
    if "UNTIL=" not in series.rrule.upper() and "COUNT=" not in series.rrule.upper():
        return None
    starts = list(rule)
    return starts[-1] if starts else None


@functools.lru_cache(maxsize=64)
def _holidays_nl(year: int) -> dict[date, str]:
    return dict(holiday_calendars.country_holidays("NL", years=[year], language="nl").items())


def holiday_name(day: date) -> str | None:
    """The Dutch public holiday on ``day`` (Dutch name), or ``None``."""
    return _holidays_nl(day.year).get(day)


def expand(
    series: Iterable[SeriesSpec],
    changes: Iterable[Change],
    start: datetime,
    end: datetime,
    *,
    include_cancelled: bool = True,
) -> list[Occurrence]:
    """Occurrences starting in ``[start, end)`` (aware instants), exceptions applied, sorted.

    Moved occurrences appear at their new time (even if the original time lies outside the
    window); cancelled and skipped ones keep their status unless ``include_cancelled`` is off.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("expand() needs aware window bounds")
    by_key = {(c.uid, c.recurrence_id): c for c in changes}
    result: list[Occurrence] = []
    for run in series:
        tz = zone(run.tzid)
        lo = start.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
        hi = end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
        seen: set[datetime] = set()
        for rid in rule_starts(run, lo, hi):
            seen.add(rid)
            occurrence = _apply(run, tz, rid, by_key.get((run.uid, rid)))
            result.append(occurrence)
        # Occurrences moved into the window from outside it.
        for (uid, rid), change in by_key.items():
            moved_here = uid == run.uid and rid not in seen and change.start is not None
            if moved_here and is_occurrence(run, rid):
                result.append(_apply(run, tz, rid, change))
    kept = [
        o
        for o in result
        if start <= o.start < end and (include_cancelled or o.status == Status.SCHEDULED)
    ]
    return sorted(kept, key=lambda o: (o.start, o.uid))


def _apply(run: SeriesSpec, tz: ZoneInfo, rid: datetime, change: Change | None) -> Occurrence:
    wall = rid
    duration = run.duration
    location = run.location
    status = Status.SCHEDULED
    reason = ""
    moved = False
    if change is not None:
        status = change.status
        reason = change.reason
        if change.start is not None and change.start != rid:
            wall, moved = change.start, True
        if change.duration is not None and change.duration != run.duration:
            duration, moved = change.duration, True
        if change.location is not None and change.location != run.location:
            location, moved = change.location, True
    begin = localize(wall, tz)
    finish = (begin.astimezone(UTC) + duration).astimezone(tz)
    return Occurrence(
        uid=run.uid,
        recurrence_id=rid,
        start=begin,
        end=finish,
        status=status,
        location=location,
        moved=moved,
        reason=reason,
        holiday=holiday_name(wall.date()),
    )


def iter_dates(series: SeriesSpec, count: int) -> Iterator[datetime]:
    """The first ``count`` local starts of a series (handy for previews)."""
    if not series.rrule:
        yield series.dtstart
        return
    for index, start in enumerate(_compiled(series.rrule, series.dtstart, series.tzid)):
        if index >= count:
            return
        yield start
