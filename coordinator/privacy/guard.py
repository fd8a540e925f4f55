"""Pure detection of resident personal data in free text (no Flask).

Matchtafel holds data about organisations and professionals only. Text that enters through
questions, answers, agendas, minutes and notes is scanned for things that identify a
resident: a valid BSN (11-proef), phone numbers, e-mail addresses outside the network's own
domains, IBANs, dates of birth and postcode + house number. Those are *refused*. Residence
status next to what looks like a person's name is *warned* about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    BSN = "bsn"
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    BIRTH_DATE = "birth_date"
    POSTCODE_HOUSE_NUMBER = "postcode_house_number"
    STATUS_WITH_NAME = "status_with_name"


REFUSED = frozenset(
    {Kind.BSN, Kind.PHONE, Kind.EMAIL, Kind.IBAN, Kind.BIRTH_DATE, Kind.POSTCODE_HOUSE_NUMBER}
)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    #: The matched text, masked except for its first and last character.
    excerpt: str
    start: int
    end: int

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED


def mask(value: str) -> str:
    """``0612345678`` → ``0••••••••8``: enough to recognise, not to copy."""
    value = value.strip()
    if len(value) <= 2:
        return "•" * len(value)
    return value[0] + "•" * (len(value) - 2) + value[-1]


# --- BSN -----------------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"(?<![\w+])\d(?:[ .-]?\d){7,8}(?![\w])")


def is_valid_bsn(digits: str) -> bool:
    """The 11-proef: Σ d_i × (9, 8, …, 2, −1) is a positive multiple of 11."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return total % 11 == 0


def _bsns(text: str) -> Iterable[Finding]:
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # A 10-digit run is a phone number, not a BSN; 8 or 9 digits are checked.
        if len(digits) in (8, 9) and is_valid_bsn(digits):
            yield Finding(Kind.BSN, mask(match.group()), match.start(), match.end())


# --- phone numbers -------------------------------------------------------------------------

_PHONE = re.compile(
    r"""
    (?<![\w])
    (?:
        (?:\+|00)[1-9]\d{0,2}[\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d){6,12}  # international
      | 0[1-9](?:[\s.-]?\d){8}                                   # Dutch, 10 digits
      | \(0\d{1,3}\)[\s.-]?\d(?:[\s.-]?\d){5,7}                   # (020) 123 4567
    )
    (?![\w])
    """,
    re.VERBOSE,
)


def _phones(text: str) -> Iterable[Finding]:
    for match in _PHONE.finditer(text):
        if _looks_like_date(match.group()):
            continue
        yield Finding(Kind.PHONE, mask(match.group()), match.start(), match.end())


def _looks_like_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}", value.strip()))


# --- e-mail --------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", re.UNICODE)


#: Mail providers anyone can sign up with. A network member using one of these says nothing
#: about other addresses there, so they never count as a network domain.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.nl",
        "outlook.com",
        "live.nl",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "ziggo.nl",
        "kpnmail.nl",
        "planet.nl",
        "xs4all.nl",
        "proton.me",
        "protonmail.com",
    }
)


def is_public_mail_domain(domain: str) -> bool:
    domain = domain.lower().strip().rstrip(".").lstrip("@")
    return any(domain == d or domain.endswith("." + d) for d in PUBLIC_MAIL_DOMAINS)


def _domain_allowed(domain: str, allowed: frozenset[str]) -> bool:
    domain = domain.lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def _emails(
    text: str, allowed_domains: frozenset[str], allowed_addresses: frozenset[str]
) -> Iterable[Finding]:
    for match in _EMAIL.finditer(text):
        if match.group().lower() in allowed_addresses:
            continue
        if not _domain_allowed(match.group(1), allowed_domains):
            yield Finding(Kind.EMAIL, mask(match.group()), match.start(), match.end())


# --- IBAN ----------------------------------------------------------------------------------

_IBAN = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[\s-]?[A-Z0-9]{4}){2,7}(?:[\s-]?[A-Z0-9]{1,3})?\b", re.IGNORECASE
)


def is_valid_iban(value: str) -> bool:
    """ISO 13616 mod-97 check."""
    compact = re.sub(r"[\s-]", "", value).upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def _ibans(text: str) -> Iterable[Finding]:
    for match in _IBAN.finditer(text):
        if is_valid_iban(match.group()):
            yield Finding(Kind.IBAN, mask(match.group()), match.start(), match.end())


# --- dates of birth ------------------------------------------------------------------------

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[-./]\d{{1,2}}[-./](?P<y1>\d{{4}})|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-\d{{2}}-\d{{2}})\b",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(
    r"\b(geboren|geb\.|geboortedatum|geboortejaar|born|date of birth|dob)\b", re.IGNORECASE
)
#: A full date this many years back or more reads as someone's date of birth.
BIRTH_DATE_MIN_AGE_YEARS = 12


def _birth_dates(text: str, today: date) -> Iterable[Finding]:
    for match in _DATE.finditer(text):
        year = int(match.group("y1") or match.group("y2") or match.group("y3"))
        window = text[max(0, match.start() - 30) : match.start()]
        if _BIRTH_WORDS.search(window) or year <= today.year - BIRTH_DATE_MIN_AGE_YEARS:
            yield Finding(Kind.BIRTH_DATE, mask(match.group()), match.start(), match.end())


# --- postcode + house number ---------------------------------------------------------------

#: Lowercase two-letter words that follow a number in ordinary Dutch ("2026 om 10:00"); in
#: lowercase they are no postcode letters. Uppercase "1102 OM 12" is still a postcode.
_NOT_POSTCODE_LETTERS = (
    "al|am|an|as|at|bv|ca|cm|de|dl|en|er|et|ex|ik|in|is|je|jl|kg|km|me|ml|mm|na|nl|nr|nu|"
    "of|ok|om|op|pm|st|te|uw|vs|we|ze|zo"
)
_POSTCODE = (
    rf"[1-9]\d{{3}}\s?(?![Ss][AaDdSs])(?!(?:{_NOT_POSTCODE_LETTERS})(?![A-Za-z]))[A-Za-z]{{2}}"
    r"(?![A-Za-z])"
)
_HOUSE = r"\d{1,5}(?:\s?[-]?\s?[A-Za-z]{1,2}\b|\s?-\s?\d{1,4})?"
_POSTCODE_HOUSE = re.compile(
    rf"""
    \b{_POSTCODE}[\s,]*(?:nr\.?\s*|huisnummer\s*)?{_HOUSE}\b  # 1102 AB 12, 1102ab12
  | \b[A-Za-zÀ-ÿ'.-]{{3,}}\s{_HOUSE}\s*,?\s*{_POSTCODE}\b            # Kraaiennest 12, 1104 AB
    """,
    re.VERBOSE,
)


def _postcodes(text: str) -> Iterable[Finding]:
    for match in _POSTCODE_HOUSE.finditer(text):
        yield Finding(Kind.POSTCODE_HOUSE_NUMBER, mask(match.group()), match.start(), match.end())


# --- residence status next to a name (warning) ---------------------------------------------

_STATUS = re.compile(
    r"\b(ongedocumenteerd\w*|illega\w*|uitgeprocedeerd\w*|zonder (?:verblijfs)?papieren|"
    r"geen verblijfsvergunning|zonder verblijfsvergunning|asielzoeker\w*|statushouder\w*|"
    r"vluchteling\w*|verblijfsstatus|status(?:loos)?|ind[- ]procedure)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"\b(?:meneer|mevrouw|mevr\.|mw\.|dhr\.|de heer|mr\.|mrs\.|ms\.)\s+[A-Z][\w'-]+"
    r"|\b[A-Z][a-z]{2,}\s+(?:is|heeft|zit|woont|wil|komt|moet|kan)\b"
)
#: Capitalised words that are no names (sentence openers, organisations, places).
_NOT_NAMES = {
    "Het",
    "Dit",
    "Dat",
    "Deze",
    "Die",
    "Er",
    "Wie",
    "Wat",
    "Waar",
    "Welke",
    "Iemand",
    "Niemand",
    "Men",
    "Elke",
    "Iedereen",
    "Zij",
    "Hij",
    "Ze",
    "Ik",
    "Wij",
    "We",
    "Jij",
    "Familie",
    "Gezin",
    "Buurtteam",
    "Coa",
    "Wpi",
    "Ggd",
    "Amsterdam",
    "Zuidoost",
    "West",
    "Noord",
    "Oost",
    "Zuid",
}


def _status_with_name(text: str) -> Iterable[Finding]:
    for sentence in re.finditer(r"[^.!?\n]+", text):
        chunk = sentence.group()
        if not _STATUS.search(chunk):
            continue
        for name in _NAME.finditer(chunk):
            first = name.group().split()[0]
            if first in _NOT_NAMES or first.upper() == first:
                continue
            start = sentence.start() + name.start()
            yield Finding(
                Kind.STATUS_WITH_NAME, mask(name.group()), start, start + len(name.group())
            )
            break


# --- the one entry point -------------------------------------------------------------------


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def scan(
    text: str,
    *,
    allowed_email_domains: Iterable[str] = (),
    allowed_email_addresses: Iterable[str] = (),
    today: date | None = None,
) -> list[Finding]:
    """Every finding in ``text``, in order of appearance; refusals and warnings alike.

    :param allowed_email_domains: the network organisations' own domains (staff addresses).
        Public mail providers (:data:`PUBLIC_MAIL_DOMAINS`) are ignored here.
    :param allowed_email_addresses: exact addresses of known organisations and staff, which
        pass even at a public mail provider.
    :param today: reference day for birth-date detection (default: today).
    """
    if not text:
        return []
    today = today or date.today()  # noqa: DTZ011 - a calendar day is enough here
    allowed = frozenset(
        d.lower().strip().lstrip("@")
        for d in allowed_email_domains
        if d.strip() and not is_public_mail_domain(d)
    )
    addresses = frozenset(a.lower().strip() for a in allowed_email_addresses)
    ibans = list(_ibans(text))
    # An IBAN explains its own digits: no phone number or BSN inside it.
    phones = [p for p in _phones(text) if not any(_overlaps(p, i) for i in ibans)]
    bsns = [
        b
        for b in _bsns(text)
        # digits inside a longer phone number (0031 20 1234567) are not a BSN
        if not any(
            p.start <= b.start and b.end <= p.end and (p.end - p.start) > (b.end - b.start)
            for p in phones
        )
        and not any(_overlaps(b, i) for i in ibans)
    ]
    found: list[Finding] = [
        *bsns,
        *ibans,
        *_emails(text, allowed, addresses),
        *_birth_dates(text, today),
        *_postcodes(text),
    ]
    taken = [(f.start, f.end) for f in found]
    for phone in phones:
        # A BSN, IBAN or date already explains these digits.
        if not any(s < phone.end and phone.start < e for s, e in taken):
            found.append(phone)
    found.extend(_status_with_name(text))
    return sorted(found, key=lambda f: f.start)
