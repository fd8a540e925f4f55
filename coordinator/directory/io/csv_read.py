"""Reading uploaded CSV sheets into checked cell values, collecting Dutch row-level problems.

Pure apart from gettext: nothing here touches the database. Row numbers are the ones a
spreadsheet shows (the header is row 1), so "rij 7" points at the line the user must fix.
"""

from __future__ import annotations

import csv
import enum
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from coordinator.directory.io.columns import COLUMNS, LIST_SEPARATOR, Sheet

E = TypeVar("E", bound=enum.Enum)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,24}$")
_LANGUAGE_CODES = frozenset(code for code in Locale("en").languages if len(code) == 2)
#: ISO 639-2/3 codes for languages without a two-letter code (ber, pap, srn), as the edit form
#: and the API accept them; two-letter codes must be known, to catch typos.
_THREE_LETTER_CODE = re.compile(r"^[a-z]{3}$")


def _known_language(code: str) -> bool:
    return code in _LANGUAGE_CODES or bool(_THREE_LETTER_CODE.match(code))


@dataclass(frozen=True)
class Problem:
    """Something wrong with one cell, row or sheet; ``row`` 1 is the header."""

    sheet: Sheet
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return _(
                "%(sheet)s, rij %(row)s, kolom '%(column)s': %(message)s",
                sheet=self.sheet.value,
                row=self.row,
                column=self.column,
                message=self.message,
            )
        return _(
            "%(sheet)s, rij %(row)s: %(message)s",
            sheet=self.sheet.value,
            row=self.row,
            message=self.message,
        )


@dataclass(frozen=True)
class RawRow:
    number: int
    values: dict[str, str]


@dataclass
class SheetData:
    sheet: Sheet
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252; ``None`` if neither."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(first_line: str) -> str:
    """Dutch Excel writes ';', most tools ','; the header decides."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_sheet(sheet: Sheet, data: bytes) -> SheetData:
    """Split ``data`` into rows keyed by column; header problems make the sheet unusable."""
    result = SheetData(sheet)
    text = decode(data)
    if text is None:
        result.problems.append(
            Problem(sheet, 1, None, _("Het bestand is geen leesbare tekst (gebruik UTF-8)."))
        )
        return result
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        result.problems.append(Problem(sheet, 1, None, _("Het bestand is leeg.")))
        return result
    names = [name.strip().lower() for name in header]
    known = {column.name for column in COLUMNS[sheet]}
    for name in names:
        if name and name not in known:
            result.problems.append(
                Problem(
                    sheet,
                    1,
                    name,
                    _("Onbekende kolom. Toegestaan: %(known)s.", known=", ".join(sorted(known))),
                )
            )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            result.problems.append(Problem(sheet, 1, name, _("Deze kolom staat er twee keer in.")))
        seen.add(name)
    for column in COLUMNS[sheet]:
        if column.required and column.name not in names:
            result.problems.append(Problem(sheet, 1, column.name, _("Verplichte kolom ontbreekt.")))
    if result.problems:
        return result
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(names):
                result.problems.append(
                    Problem(sheet, number, None, _("Deze rij heeft meer cellen dan de kop."))
                )
                continue
            values = {
                name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)
            }
            result.rows.append(RawRow(number, values))
    except csv.Error as error:
        result.problems.append(
            Problem(sheet, reader.line_num, None, _("Onleesbare CSV: %(error)s", error=str(error)))
        )
    return result


def slugify(value: str) -> str:
    """``"Huis van de Wijk Ganzenhoef"`` → ``"huis-van-de-wijk-ganzenhoef"``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Cells:
    """Typed access to one row's cells; every bad value adds a :class:`Problem` and yields a default."""

    def __init__(self, sheet: Sheet, row: RawRow, problems: list[Problem]) -> None:
        self.sheet = sheet
        self.row = row
        self.problems = problems

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.row.number, column, message))

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.row.values.get(name, "")
        if required and not value:
            self.problem(name, _("Dit veld is verplicht."))
        if max_length is not None and len(value) > max_length:
            self.problem(name, _("Te lang: maximaal %(n)s tekens.", n=max_length))
            return value[:max_length]
        return value

    def optional(self, name: str, *, max_length: int | None = None) -> str | None:
        return self.text(name, max_length=max_length) or None

    def slug(self, name: str, *, fallback: str = "") -> str:
        value = self.text(name, max_length=120) or slugify(fallback)
        if not _SLUG.match(value):
            self.problem(
                name,
                _(
                    "'%(value)s' is geen geldige slug (kleine letters, cijfers en streepjes).",
                    value=value,
                ),
            )
        return value

    def choice(self, name: str, enum_cls: type[E], default: E | None = None) -> E | None:
        value = self.text(name).lower()
        if not value:
            if default is None:
                self.problem(name, _("Dit veld is verplicht."))
            return default
        try:
            return enum_cls(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in enum_cls)
            self.problem(
                name,
                _(
                    "'%(value)s' is geen geldige waarde; kies uit: %(allowed)s.",
                    value=value,
                    allowed=allowed,
                ),
            )
            return default

    def yes_no(self, name: str) -> bool:
        value = self.text(name).lower()
        if value in ("ja", "j", "yes", "1", "true"):
            return True
        if value in ("nee", "n", "no", "0", "false"):
            return False
        self.problem(name, _("Vul 'ja' (doet dit) of 'nee' (doet dit niet) in."))
        return True

    def date(self, name: str) -> date | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(name, _("'%(value)s' is geen datum; gebruik JJJJ-MM-DD.", value=value))
            return None

    def items(self, name: str, *, required: bool = False) -> list[str]:
        """A ';'-separated list, trimmed, lower-cased, without duplicates, in order."""
        raw = self.text(name)
        items = list(
            dict.fromkeys(p.strip().lower() for p in raw.split(LIST_SEPARATOR) if p.strip())
        )
        if required and not items:
            self.problem(name, _("Noem er minstens één."))
        return items

    def tags(self, name: str) -> list[str]:
        raw = self.text(name)
        return list(dict.fromkeys(p.strip() for p in raw.split(LIST_SEPARATOR) if p.strip()))

    def languages(self, name: str) -> list[str]:
        codes = self.items(name)
        unknown = [code for code in codes if not _known_language(code)]
        if unknown:
            self.problem(
                name,
                _(
                    "Onbekende taalcode(s): %(codes)s. Gebruik ISO 639-codes, bijv. nl;ar;tr "
                    "(drie letters als er geen code van twee is, bijv. ber).",
                    codes=", ".join(unknown),
                ),
            )
        return [code for code in codes if _known_language(code)]

    def email(self, name: str) -> str | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            self.problem(name, _("'%(value)s' is geen geldig e-mailadres.", value=value))
            return None

    def phone(self, name: str) -> str | None:
        value = self.text(name)
        if not value:
            return None
        if not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 6:
            self.problem(name, _("'%(value)s' is geen geldig telefoonnummer.", value=value))
            return None
        return value

    def url(self, name: str) -> str | None:
        value = self.text(name, max_length=300)
        if not value:
            return None
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
            self.problem(name, _("'%(value)s' is geen webadres; begin met https://.", value=value))
            return None
        return value
