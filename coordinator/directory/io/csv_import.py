"""CSV import of the directory: validate every row first, preview, then commit all or nothing.

:func:`plan_import` reads the uploaded sheets, checks every cell, every reference (areas,
topics, target groups, organisations, roles), the importer's rights and the privacy guard, and
says per sheet how many rows are new, changed or unchanged. :func:`import_directory` runs the
same plan and, only when there is not a single problem, writes everything in one transaction.

Keys that make a re-import update instead of duplicate: organisation slug; role = organisation +
name; person = organisation + e-mail (else name); responsibility = organisation + role +
handles + topics + target groups + areas.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from coordinator.directory.io import visibility
from coordinator.directory.io.catalog import Catalog, StoredTask, person_key, scope_key
from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_apply import CHANGED, NEW, UNCHANGED, apply_plan
from coordinator.directory.io.csv_read import Cells, Problem, RawRow, SheetData, read_sheet
from coordinator.directory.models import (
    Infrastructure,
    Organisation,
    OrganisationKind,
    Person,
    PersonKind,
    Visibility,
)
from coordinator.errors import DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.permissions import can_edit_organisation, is_admin, managed_area_ids
from coordinator.privacy import EXPLANATIONS, network_email_domains
from coordinator.privacy.guard import Kind, scan

if TYPE_CHECKING:
    from coordinator.auth.models import User

log = logging.getLogger(__name__)

PROGRESS_EVERY = 1000
#: ``progress(sheet, rows_done, rows_total)``
Progress = Callable[[Sheet, int, int], None]


def may_import(user: User | None) -> bool:
    """Coordinators and beheerders import; partners edit their listing by hand."""
    from coordinator.auth.models import AccountRole  # auth.models imports the directory

    return bool(
        user is not None
        and user.is_authenticated
        and user.role in (AccountRole.ADMIN, AccountRole.COORDINATOR)
    )


@dataclass
class Record:
    """One validated row: the target's key, its clean field values and the outcome."""

    sheet: Sheet
    row: int
    org_slug: str
    values: dict[str, Any]
    key: tuple = ()
    outcome: str = NEW
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """What an import would do; ``problems`` empty means it can be committed."""

    records: dict[Sheet, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_read: dict[Sheet, int] = field(default_factory=dict)
    #: What the rows were checked against; committing reuses it.
    catalog: Catalog | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems and any(self.rows_read.values())

    def counts(self, sheet: Sheet) -> Counter[str]:
        return Counter(record.outcome for record in self.records.get(sheet, []))

    @property
    def total_rows(self) -> int:
        return sum(self.rows_read.values())


def _outcome(existing: object | None, values: Mapping[str, Any]) -> str:
    if existing is None:
        return NEW
    same = all(getattr(existing, name) == value for name, value in values.items())
    return UNCHANGED if same else CHANGED


class _Planner:
    """Validates the sheets in dependency order against the catalog and the importer's rights."""

    FREE_TEXT = {
        Sheet.ORGANISATIONS: ("beschrijving",),
        Sheet.ROLES: ("beschrijving",),
        Sheet.RESPONSIBILITIES: (
            "samenvatting",
            "reden",
            "doorverwijstips",
            "openingstijden",
            "wachttijd",
        ),
    }

    def __init__(
        self, sheets: dict[Sheet, SheetData], user: User, progress: Progress | None = None
    ) -> None:
        self.sheets = sheets
        self.user = user
        self.report = progress
        self.catalog = Catalog()
        self.plan = ImportPlan()
        #: Organisations of this upload: slug → (row, area slugs, may edit).
        self.uploaded: dict[str, tuple[int, list[str], bool]] = {}
        self.roles_uploaded: set[tuple[str, str]] = set()
        self._rights: dict[str, bool] = {}
        self._domains = network_email_domains() | self._uploaded_domains()

    def _uploaded_domains(self) -> set[str]:
        domains: set[str] = set()
        for data in self.sheets.values():
            for row in data.rows:
                for column in ("email", "website"):
                    value = row.values.get(column, "")
                    if "@" in value:
                        domains.add(value.rpartition("@")[2].lower())
                    elif "//" in value:
                        host = value.split("//", 1)[1].split("/", 1)[0]
                        domains.add(host.removeprefix("www.").lower())
        return domains

    # --- shared checks ---------------------------------------------------------------------

    def _privacy(self, cells: Cells, sheet: Sheet) -> None:
        for column in self.FREE_TEXT.get(sheet, ()):
            text = cells.row.values.get(column, "")
            if not text:
                continue
            # The guard normalises the allowed domains on every call: pass them only when needed.
            findings = scan(text, allowed_email_domains=self._domains if "@" in text else ())
            refused = list(dict.fromkeys(f.kind for f in findings if f.refused))
            if refused:
                what = ", ".join(str(EXPLANATIONS[kind]) for kind in refused)
                cells.problem(
                    column,
                    _(
                        "Deze tekst lijkt persoonsgegevens van een bewoner te bevatten (%(what)s). "
                        "Beschrijf het aanbod zonder gegevens die iemand herkenbaar maken.",
                        what=what,
                    ),
                )
            if any(f.kind == Kind.STATUS_WITH_NAME for f in findings):
                self.plan.warnings.append(
                    Problem(
                        sheet,
                        cells.row.number,
                        column,
                        _(
                            "Noemt een verblijfsstatus naast iets dat op een naam lijkt; laat namen van bewoners weg."
                        ),
                    )
                )

    def _areas(self, cells: Cells, column: str, *, required: bool = True) -> list[str]:
        slugs = cells.items(column, required=required)
        unknown = [s for s in slugs if s not in self.catalog.areas]
        if unknown:
            cells.problem(column, _("Onbekend gebied: %(slugs)s.", slugs=", ".join(unknown)))
        return [s for s in slugs if s in self.catalog.areas]

    def _organisation_ref(self, cells: Cells) -> str:
        """Checks that the ``organisatie`` cell names a known or uploaded organisation."""
        slug = cells.text("organisatie", required=True).lower()
        if slug and slug not in self.uploaded and slug not in self.catalog.organisations:
            cells.problem(
                "organisatie",
                _(
                    "Organisatie '%(slug)s' bestaat niet en staat ook niet in het organisatiebestand.",
                    slug=slug,
                ),
            )
        return slug

    def _refuse_unless_editable(self, cells: Cells, org: str, outcome: str) -> None:
        """A row that would add or change something needs the right to edit ``org``.

        Unchanged rows are skipped on commit, so an unchanged export imports back for anyone.
        """
        known = org in self.uploaded or org in self.catalog.organisations
        if known and outcome != UNCHANGED and not self._may_edit(org):
            cells.problem(
                "organisatie",
                _("U mag de gegevens van organisatie '%(slug)s' niet wijzigen.", slug=org),
            )

    def _may_edit(self, slug: str) -> bool:
        if slug in self.uploaded:
            return self.uploaded[slug][2]
        if slug not in self._rights:
            organisation = self.catalog.organisations.get(slug)
            self._rights[slug] = organisation is not None and can_edit_organisation(
                self.user, organisation
            )
        return self._rights[slug]

    def _may_place(self, area_slugs: list[str]) -> bool:
        """A new organisation: beheerders anywhere, coordinators only within their areas."""
        if is_admin(self.user):
            return True
        managed = managed_area_ids(self.user)
        return bool(area_slugs) and all(self.catalog.areas[s].id in managed for s in area_slugs)

    def _duplicate(self, seen: dict, key: tuple, cells: Cells, column: str) -> None:
        if key in seen:
            cells.problem(
                column, _("Dubbel: dezelfde sleutel staat ook in rij %(row)s.", row=seen[key])
            )
        else:
            seen[key] = cells.row.number

    # --- sheets ----------------------------------------------------------------------------

    def organisations(self) -> None:
        seen: dict = {}
        records = self.plan.records.setdefault(Sheet.ORGANISATIONS, [])
        for raw in self._progress(Sheet.ORGANISATIONS):
            cells = Cells(Sheet.ORGANISATIONS, raw, self.plan.problems)
            name = cells.text("naam", required=True, max_length=200)
            slug = cells.slug("slug", fallback=name)
            self._duplicate(seen, (slug,), cells, "slug")
            areas = self._areas(cells, "gebieden", required=False)
            values = {
                "name": name,
                "kind": cells.choice("soort", OrganisationKind),
                "infrastructure": cells.choice("infrastructuur", Infrastructure),
                "sector": cells.optional("sector", max_length=80),
                "description": cells.text("beschrijving"),
                "website": cells.url("website"),
                "email": cells.email("email"),
                "phone": cells.phone("telefoon"),
                "visibility": cells.choice("zichtbaarheid", Visibility, Visibility.NETWORK),
                "funding_ends_on": cells.date("subsidie_einddatum"),
            }
            self._privacy(cells, Sheet.ORGANISATIONS)
            existing = self.catalog.organisations.get(slug)
            outcome = _outcome(existing, values)
            areas_changed = existing is not None and {a.slug for a in existing.areas} != set(areas)
            if areas_changed:
                outcome = CHANGED
            allowed = self._organisation_allowed(cells, slug, existing, areas, outcome)
            self.uploaded[slug] = (raw.number, areas, allowed)
            records.append(
                Record(
                    Sheet.ORGANISATIONS,
                    raw.number,
                    slug,
                    values,
                    (slug,),
                    outcome,
                    {"areas": areas},
                )
            )

    def _organisation_allowed(
        self,
        cells: Cells,
        slug: str,
        existing: Organisation | None,
        areas: list[str],
        outcome: str,
    ) -> bool:
        """Whether the importer may edit this organisation (and so its roles, people, tasks).

        Only a row that adds or changes something is refused; an unchanged row is skipped.
        """
        if existing is None:
            if not self._may_place(areas):
                cells.problem(
                    "gebieden",
                    _("U mag alleen organisaties toevoegen in de stadsdelen die u coördineert."),
                )
                return False
            return True
        if not self._may_edit(slug):
            if outcome != UNCHANGED:
                cells.problem("slug", _("U mag organisatie '%(slug)s' niet wijzigen.", slug=slug))
            return False
        moved = {a.slug for a in existing.areas} != set(areas)
        if moved and self.user.organisation_id != existing.id and not self._may_place(areas):
            # A coordinator may not move another organisation out of their stadsdelen.
            cells.problem(
                "gebieden",
                _("U mag alleen gebieden kiezen in de stadsdelen die u coördineert."),
            )
            return False
        return True

    def roles(self) -> None:
        seen: dict = {}
        records = self.plan.records.setdefault(Sheet.ROLES, [])
        for raw in self._progress(Sheet.ROLES):
            cells = Cells(Sheet.ROLES, raw, self.plan.problems)
            org = self._organisation_ref(cells)
            name = cells.text("naam", required=True, max_length=160)
            key = (org, name.lower())
            self._duplicate(seen, key, cells, "naam")
            values = {
                "description": cells.text("beschrijving"),
                "email": cells.email("email"),
                "phone": cells.phone("telefoon"),
                "visibility": cells.choice("zichtbaarheid", Visibility, Visibility.NETWORK),
            }
            self._privacy(cells, Sheet.ROLES)
            self.roles_uploaded.add(key)
            outcome = _outcome(self.catalog.roles.get(key), values)
            self._refuse_unless_editable(cells, org, outcome)
            records.append(
                Record(Sheet.ROLES, raw.number, org, values, key, outcome, {"name": name})
            )

    def _role_ref(self, cells: Cells, org: str) -> str:
        name = cells.text("functie", max_length=160)
        if name and org:
            key = (org, name.lower())
            if key not in self.roles_uploaded and key not in self.catalog.roles:
                cells.problem(
                    "functie",
                    _(
                        "Functie '%(name)s' bestaat niet bij '%(org)s' en staat ook niet in het functiebestand.",
                        name=name,
                        org=org,
                    ),
                )
        return name

    def people(self) -> None:
        seen: dict = {}
        records = self.plan.records.setdefault(Sheet.PEOPLE, [])
        for raw in self._progress(Sheet.PEOPLE):
            cells = Cells(Sheet.PEOPLE, raw, self.plan.problems)
            org = self._organisation_ref(cells)
            name = cells.text("naam", required=True, max_length=200)
            email = cells.email("email")
            role = self._role_ref(cells, org)
            starts_on = cells.date("functie_vanaf")
            ends_on = cells.date("functie_tot")
            if starts_on and ends_on and ends_on < starts_on:
                cells.problem("functie_tot", _("De einddatum ligt vóór de startdatum."))
            if not role and (starts_on or ends_on):
                cells.problem("functie", _("Vul de functie in bij een start- of einddatum."))
            key = (org, person_key(email, name))
            self._duplicate(
                seen, (*key, role.lower(), starts_on), cells, "functie" if role else "naam"
            )
            values = {
                "name": name,
                "email": email,
                "phone": cells.phone("telefoon"),
                "kind": cells.choice("soort", PersonKind, PersonKind.STAFF),
                "contact_visibility": cells.choice(
                    "zichtbaarheid_contact", Visibility, Visibility.NETWORK
                ),
                "consent_given_on": cells.date("toestemming_op"),
                "language_codes": cells.languages("talen"),
                "focus_tags": cells.tags("focus"),
            }
            existing = self.catalog.people.get(key)
            if existing is None and email is None:
                existing = self._person_with_hidden_contact(org, name)
                if existing is not None:
                    # Blank e-mail and phone mean "not shown to you", not "erase".
                    key = (org, person_key(existing.email, existing.name))
                    values["email"] = existing.email
                    values["phone"] = values["phone"] or existing.phone
            outcome = _outcome(existing, values)
            if role and outcome == UNCHANGED:
                start = starts_on or date.today()  # noqa: DTZ011 - a calendar day
                same = [a for a in existing.assignments if a.role.name.lower() == role.lower()]
                if not any(
                    a.ends_on == ends_on and (starts_on is None or a.starts_on == start)
                    for a in same
                ):
                    outcome = CHANGED
            self._refuse_unless_editable(cells, org, outcome)
            records.append(
                Record(
                    Sheet.PEOPLE,
                    raw.number,
                    org,
                    values,
                    key,
                    outcome,
                    {"role": role, "starts_on": starts_on, "ends_on": ends_on},
                )
            )

    def _person_with_hidden_contact(self, org: str, name: str) -> Person | None:
        """The one person of ``org`` called ``name`` whose e-mail the importer may not see.

        An export leaves such an e-mail blank; without this, importing the export back would
        add a second person (keyed on the name) instead of recognising the first.
        """
        candidates = [
            person
            for person in self.catalog.people_with_email.get((org, name.lower()), [])
            if not visibility.contact_visible(self.user, person)
        ]
        return candidates[0] if len(candidates) == 1 else None

    def responsibilities(self) -> None:
        seen: dict = {}
        records = self.plan.records.setdefault(Sheet.RESPONSIBILITIES, [])
        by_id, by_scope = self.catalog.tasks() if self._rows(Sheet.RESPONSIBILITIES) else ({}, {})
        for raw in self._progress(Sheet.RESPONSIBILITIES):
            cells = Cells(Sheet.RESPONSIBILITIES, raw, self.plan.problems)
            org = self._organisation_ref(cells)
            role = self._role_ref(cells, org)
            handles = cells.yes_no("doet")
            topics = cells.items("themas", required=True)
            unknown = [s for s in topics if s not in self.catalog.topics]
            if unknown:
                cells.problem("themas", _("Onbekend thema: %(slugs)s.", slugs=", ".join(unknown)))
            groups = cells.items("doelgroepen", required=True)
            unknown = [s for s in groups if s not in self.catalog.groups]
            if unknown:
                cells.problem(
                    "doelgroepen", _("Onbekende doelgroep: %(slugs)s.", slugs=", ".join(unknown))
                )
            areas = self._areas(cells, "gebieden")
            reason = cells.text("reden")
            if not handles and not reason:
                cells.problem("reden", _("Leg uit waarom deze organisatie dit niet doet."))
            valid_from = cells.date("geldig_vanaf")
            valid_until = cells.date("geldig_tot")
            if valid_from and valid_until and valid_until < valid_from:
                cells.problem("geldig_tot", _("De einddatum ligt vóór de startdatum."))
            verified_on = cells.date("geverifieerd_op")
            values = {
                "summary": cells.text("samenvatting", max_length=300),
                "reason": reason,
                "referral_tips": cells.text("doorverwijstips"),
                "opening_hours": cells.text("openingstijden", max_length=300),
                "language_codes": cells.languages("talen"),
                "waiting_time": cells.text("wachttijd", max_length=120),
                "valid_from": valid_from,
                "valid_until": valid_until,
                "verified_at": datetime.combine(verified_on, time(12), tzinfo=UTC)
                if verified_on
                else None,
            }
            self._privacy(cells, Sheet.RESPONSIBILITIES)
            scope = scope_key(org, role, handles, topics, groups, areas)
            existing = self._stored_task(cells, by_id, org) or by_scope.get(scope)
            key = ("id", existing.row.id) if existing is not None else scope
            self._duplicate(seen, key, cells, "id" if key[0] == "id" else "themas")
            stored = existing.row.verified_at if existing is not None else None
            if stored is not None and stored.date() == verified_on:
                # The sheet holds the day only: keep the stored instant when the day agrees.
                values["verified_at"] = stored
            outcome = _outcome(existing.row if existing else None, values)
            if existing is not None and outcome == UNCHANGED and existing.key != scope:
                outcome = CHANGED
            self._refuse_unless_editable(cells, org, outcome)
            records.append(
                Record(
                    Sheet.RESPONSIBILITIES,
                    raw.number,
                    org,
                    values,
                    key,
                    outcome,
                    {
                        "stored_id": existing.row.id if existing is not None else None,
                        "role": role,
                        "handles": handles,
                        "topics": topics,
                        "groups": groups,
                        "areas": areas,
                    },
                )
            )

    def _stored_task(
        self, cells: Cells, by_id: dict[int, StoredTask], org: str
    ) -> StoredTask | None:
        """The task named in the ``id`` column, if it exists and belongs to ``org``."""
        value = cells.text("id")
        if not value:
            return None
        if not value.isdigit():
            cells.problem("id", _("'%(value)s' is geen taaknummer.", value=value))
            return None
        stored = by_id.get(int(value))
        if stored is not None and stored.key[0] != org:
            cells.problem(
                "id",
                _(
                    "Taak %(id)s hoort bij een andere organisatie (%(org)s).",
                    id=value,
                    org=stored.key[0],
                ),
            )
            return None
        return stored

    def _progress(self, sheet: Sheet) -> Iterator[RawRow]:
        """The sheet's rows, telling ``progress(sheet, done, total)`` every 1,000 rows."""
        rows = self._rows(sheet)
        for done, row in enumerate(rows):
            if self.report and done % PROGRESS_EVERY == 0:
                self.report(sheet, done, len(rows))
            yield row
        if self.report and rows:
            self.report(sheet, len(rows), len(rows))

    def _rows(self, sheet: Sheet) -> list:
        data = self.sheets.get(sheet)
        return data.rows if data else []

    def run(self) -> ImportPlan:
        self.plan.catalog = self.catalog
        for data in self.sheets.values():
            self.plan.problems.extend(data.problems)
            self.plan.rows_read[data.sheet] = len(data.rows)
        self.organisations()
        self.roles()
        self.people()
        self.responsibilities()
        order = list(Sheet)
        self.plan.problems.sort(key=lambda p: (order.index(p.sheet), p.row))
        return self.plan


def plan_import(
    files: Mapping[Sheet, bytes], user: User, progress: Progress | None = None
) -> ImportPlan:
    """Validate uploaded sheets (any subset) without changing anything: the dry run.

    :param progress: called as ``progress(sheet, rows_done, rows_total)`` while checking.
    """
    if not may_import(user):
        raise PermissionDenied(_("Alleen coördinatoren en beheerders kunnen importeren."))
    sheets = {sheet: read_sheet(sheet, files[sheet]) for sheet in Sheet if files.get(sheet)}
    if not sheets:
        raise DomainError(_("Kies minstens één CSV-bestand om te importeren."))
    return _Planner(sheets, user, progress).run()


def import_directory(
    files: Mapping[Sheet, bytes], user: User, progress: Progress | None = None
) -> ImportPlan:
    """Validate again and, if there is no problem at all, write every row in one transaction."""
    return commit_plan(plan_import(files, user, progress), user)


def commit_plan(plan: ImportPlan, user: User) -> ImportPlan:
    """Write a plan just made in this session; refused (nothing written) if it has problems."""
    if not plan.ok:
        raise DomainError(
            _("De import bevat %(n)s fout(en); er is niets opgeslagen.", n=len(plan.problems))
        )
    try:
        apply_plan(plan, user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("directory import by user %s: %s rows", user.id, plan.total_rows)
    return plan
