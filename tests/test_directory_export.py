"""Issue 3 item 7: CSV export re-imports unchanged and respects visibility."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import sqlalchemy as sa

from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_export import export_sheet, export_zip
from coordinator.directory.io.csv_import import import_directory, plan_import
from coordinator.directory.models import (
    Assignment,
    Organisation,
    Person,
    PersonKind,
    Responsibility,
    Role,
    Visibility,
)
from coordinator.extensions import db
from tests.directory_io_data import admin, coordinator_of, make_taxonomy, sample_files
from tests.factories import PersonFactory, UserFactory


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def export_all(user: object) -> dict[Sheet, bytes]:
    return {sheet: export_sheet(sheet, user).encode() for sheet in Sheet}


def test_export_round_trips_through_import() -> None:
    make_taxonomy()
    user = admin()
    import_directory(sample_files(), user)
    exported = export_all(user)

    # Re-importing the export into the same directory changes nothing ...
    plan = plan_import(exported, user)
    assert plan.ok
    assert all(set(plan.counts(sheet)) == {"ongewijzigd"} for sheet in Sheet)

    # ... and into an emptied directory rebuilds exactly the same export.
    imported = sa.select(Organisation.id).where(Organisation.slug.not_like("organisatie-%"))
    db.session.execute(sa.delete(Responsibility))
    db.session.execute(sa.delete(Assignment))
    db.session.execute(sa.delete(Person).where(Person.organisation_id.in_(imported)))
    db.session.execute(sa.delete(Role))
    db.session.execute(sa.delete(Organisation).where(Organisation.id.in_(imported)))
    db.session.commit()
    import_directory(exported, user)
    # Rebuilt tasks get new ids (unknown ids fall back to matching on content).
    assert without_ids(export_all(user)) == without_ids(exported)


def without_ids(sheets: dict[Sheet, bytes]) -> dict[Sheet, list[dict[str, str]]]:
    parsed = {sheet: rows(data.decode()) for sheet, data in sheets.items()}
    for row in parsed[Sheet.RESPONSIBILITIES]:
        del row["id"]
    return parsed


def test_export_hides_what_the_viewer_may_not_see() -> None:
    make_taxonomy()
    import_directory(sample_files(), admin())
    hushu = db.session.scalar(sa.select(Organisation).filter_by(slug="hushu-house"))
    PersonFactory(
        organisation=hushu, name="Sleutelfiguur zonder toestemming", kind=PersonKind.KEY_FIGURE
    )
    db.session.scalar(
        sa.select(Role).filter_by(name="Dagcoördinator")
    ).visibility = Visibility.ORGANISATION
    sanne = db.session.scalar(sa.select(Person).filter_by(name="Sanne de Boer"))
    sanne.contact_visibility = Visibility.ORGANISATION
    db.session.commit()
    partner = UserFactory()  # logged in, another organisation

    people = {row["naam"]: row for row in rows(export_sheet(Sheet.PEOPLE, partner))}
    assert "Sleutelfiguur zonder toestemming" not in people
    assert "Mounir Amrani" not in people  # a volunteer without recorded consent
    assert people["Sanne de Boer"]["email"] == ""  # contact visible to own organisation only
    assert people["Sanne de Boer"]["functie"] == "Brugfunctionaris"

    mounir = db.session.scalar(sa.select(Person).filter_by(name="Mounir Amrani"))
    mounir.consent_given_on = date(2026, 1, 5)
    db.session.commit()
    people = {row["naam"]: row for row in rows(export_sheet(Sheet.PEOPLE, partner))}
    assert people["Mounir Amrani"]["functie"] == ""  # the role itself is organisation-only
    roles = [row["naam"] for row in rows(export_sheet(Sheet.ROLES, partner))]
    assert roles == ["Brugfunctionaris"]
    assert "mounir@hushu.example.org" in export_sheet(Sheet.PEOPLE, admin())

    anonymous = rows(export_sheet(Sheet.ORGANISATIONS, None))
    assert [row["slug"] for row in anonymous] == ["buurtteam-zuidoost"]


def test_zip_holds_the_four_sheets_with_bom() -> None:
    make_taxonomy()
    user = admin()
    import_directory(sample_files(), user)
    archive = zipfile.ZipFile(io.BytesIO(export_zip(user)))
    assert archive.namelist() == ["organisaties.csv", "functies.csv", "personen.csv", "taken.csv"]
    data = archive.read("taken.csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert plan_import({Sheet.RESPONSIBILITIES: data}, user).ok


def test_reimport_by_someone_who_cannot_see_a_contact_keeps_it_and_adds_no_duplicate() -> None:
    """The export leaves hidden e-mail blank; importing it back is not "a new person without
    e-mail" (a duplicate), and blank does not erase what the importer was not shown."""
    taxonomy = make_taxonomy()
    import_directory(sample_files(), admin())
    sanne = db.session.scalar(sa.select(Person).filter_by(name="Sanne de Boer"))
    sanne.contact_visibility = Visibility.ORGANISATION
    db.session.commit()
    coordinator = coordinator_of(taxonomy.zuidoost)
    people = [
        row
        for row in rows(export_sheet(Sheet.PEOPLE, coordinator))
        if row["organisatie"] == "buurtteam-zuidoost"
    ]
    assert [(row["naam"], row["email"]) for row in people] == [("Sanne de Boer", "")]
    sheet = io.StringIO()
    writer = csv.DictWriter(sheet, fieldnames=list(people[0]))
    writer.writeheader()
    writer.writerows(people)
    files = {Sheet.PEOPLE: sheet.getvalue().encode()}

    plan = plan_import(files, coordinator)
    assert plan.ok, [str(p) for p in plan.problems]
    assert set(plan.counts(Sheet.PEOPLE)) == {"ongewijzigd"}

    people[0]["talen"] = "nl;ar;ber"
    sheet = io.StringIO()
    writer = csv.DictWriter(sheet, fieldnames=list(people[0]))
    writer.writeheader()
    writer.writerows(people)
    import_directory({Sheet.PEOPLE: sheet.getvalue().encode()}, coordinator)
    db.session.expire_all()
    [sanne] = db.session.scalars(sa.select(Person).filter_by(name="Sanne de Boer")).all()
    assert sanne.email == "s.deboer@buurtteam.example.org"
    assert sanne.phone == "06 1234 5678"
    assert sanne.language_codes == ["nl", "ar", "ber"]
