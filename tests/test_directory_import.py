"""Issue 3 item 7: CSV import with dry run, row-level Dutch errors and all-or-nothing commit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_export import export_sheet
from coordinator.directory.io.csv_import import import_directory, plan_import
from coordinator.directory.models import (
    Assignment,
    Organisation,
    Person,
    Responsibility,
    Role,
    Visibility,
)
from coordinator.errors import DomainError, PermissionDenied
from coordinator.extensions import db
from tests.directory_io_data import admin, coordinator_of, make_taxonomy, sample_files
from tests.factories import OrganisationFactory, UserFactory


def count(model: type) -> int:
    """Rows of ``model``, leaving out what the user factories made for the importer."""
    query = sa.select(sa.func.count()).select_from(model)
    if model is Organisation:
        query = query.where(Organisation.slug.not_like("organisatie-%"))
    if model is Person:
        query = query.where(Person.name.not_like("Medewerker %"))
    return db.session.scalar(query)


def test_good_csv_imports_completely() -> None:
    make_taxonomy()
    plan = import_directory(sample_files(), admin())

    assert plan.ok
    assert plan.counts(Sheet.ORGANISATIONS)["nieuw"] == 2
    db.session.expire_all()
    buurtteam = db.session.scalar(sa.select(Organisation).filter_by(slug="buurtteam-zuidoost"))
    assert buurtteam.visibility == Visibility.PUBLIC
    assert [a.slug for a in buurtteam.areas] == ["zuidoost"]
    role = db.session.scalar(sa.select(Role).filter_by(name="Brugfunctionaris"))
    assert [p.name for p in role.holders] == ["Sanne de Boer"]
    assert role.holders[0].language_codes == ["nl", "ar"]
    boundary = db.session.scalar(sa.select(Responsibility).filter_by(handles=False))
    assert boundary.reason == "geen BSN, geen hulp mogelijk"
    assert [t.slug for t in boundary.target_groups] == ["ongedocumenteerden"]
    assert boundary.verified_at is not None
    assert count(Responsibility) == 3
    assert count(Person) == 2
    assert count(Assignment) == 2


def test_dry_run_changes_nothing_and_reports_counts() -> None:
    make_taxonomy()
    plan = plan_import(sample_files(), admin())

    assert plan.ok
    assert plan.rows_read == {
        Sheet.ORGANISATIONS: 2,
        Sheet.ROLES: 2,
        Sheet.PEOPLE: 2,
        Sheet.RESPONSIBILITIES: 3,
    }
    assert plan.counts(Sheet.RESPONSIBILITIES) == {"nieuw": 3}
    assert count(Organisation) == 0


def test_reimport_updates_instead_of_duplicating() -> None:
    make_taxonomy()
    user = admin()
    import_directory(sample_files(), user)

    plan = plan_import(sample_files(), user)
    assert {sheet: dict(plan.counts(sheet)) for sheet in Sheet} == {
        sheet: {"ongewijzigd": n} for sheet, n in plan.rows_read.items()
    }
    import_directory(sample_files(), user)
    assert count(Organisation) == 2
    assert count(Responsibility) == 3
    assert count(Assignment) == 2


BROKEN_ORGANISATIONS = """slug,naam,soort,infrastructuur,gebieden,email,website
goed,Goede organisatie,formeel,sociaal,zuidoost,info@goed.example.org,
kapot,Kapotte organisatie,formal,sociaal,zuidoost,,
,,informeel,beide,nergens,geen-mail,ftp://x
goed,Dubbel,formeel,sociaal,west,,
"""

BROKEN_RESPONSIBILITIES = """organisatie,doet,themas,doelgroepen,gebieden,reden,samenvatting
goed,nee,huisvesting,ongedocumenteerden,zuidoost,,Geen reden gegeven
bestaat-niet,ja,fietsen,statushouders,zuidoost,,
goed,ja,huisvesting,statushouders,zuidoost,,Bel mevrouw op 06-12345678
"""


def test_broken_rows_import_nothing_and_are_all_named() -> None:
    make_taxonomy()
    files = {
        Sheet.ORGANISATIONS: BROKEN_ORGANISATIONS.encode(),
        Sheet.RESPONSIBILITIES: BROKEN_RESPONSIBILITIES.encode(),
    }
    user = admin()
    plan = plan_import(files, user)
    where = {(p.sheet, p.row, p.column) for p in plan.problems}

    assert (Sheet.ORGANISATIONS, 3, "soort") in where
    assert (Sheet.ORGANISATIONS, 4, "naam") in where
    assert (Sheet.ORGANISATIONS, 4, "gebieden") in where
    assert (Sheet.ORGANISATIONS, 4, "email") in where
    assert (Sheet.ORGANISATIONS, 4, "website") in where
    assert (Sheet.ORGANISATIONS, 5, "slug") in where  # duplicate of row 2
    assert (Sheet.RESPONSIBILITIES, 2, "reden") in where  # a boundary needs its reason
    assert (Sheet.RESPONSIBILITIES, 3, "organisatie") in where
    assert (Sheet.RESPONSIBILITIES, 3, "themas") in where
    assert (Sheet.RESPONSIBILITIES, 4, "samenvatting") in where  # privacy guard
    assert (Sheet.ORGANISATIONS, 2) not in {(p.sheet, p.row) for p in plan.problems}
    messages = [str(p) for p in plan.problems]
    assert "organisaties, rij 3, kolom 'soort': 'formal' is geen geldige waarde" in messages[0]
    assert any("dezelfde sleutel staat ook in rij 2" in m for m in messages)
    assert any("telefoonnummer" in m for m in messages)

    with pytest.raises(DomainError, match="er is niets opgeslagen"):
        import_directory(files, user)
    assert count(Organisation) == 0
    assert count(Responsibility) == 0


def test_missing_and_unknown_columns_are_named() -> None:
    make_taxonomy()
    plan = plan_import({Sheet.ROLES: b"organisatie;functienaam\nx;y\n"}, admin())
    assert {(p.row, p.column) for p in plan.problems} == {(1, "functienaam"), (1, "naam")}


def test_semicolon_delimited_excel_export_with_bom_is_read() -> None:
    taxonomy = make_taxonomy()
    csv = "\ufeffslug;naam;soort;infrastructuur;gebieden\nx;Één;formeel;beide;zuidoost;west\n"
    plan = plan_import({Sheet.ORGANISATIONS: csv.encode("utf-8")}, admin())
    # ";" is both the Excel delimiter and the list separator: the cell needed quotes.
    assert [(p.row, p.column) for p in plan.problems] == [(2, None)]
    csv = '\ufeffslug;naam;soort;infrastructuur;gebieden\nx;Één;formeel;beide;"zuidoost;west"\n'
    plan = import_directory({Sheet.ORGANISATIONS: csv.encode("utf-8")}, admin())
    organisation = db.session.scalar(sa.select(Organisation).filter_by(slug="x"))
    assert organisation.name == "Één"
    assert set(organisation.areas) == {taxonomy.zuidoost, taxonomy.west}


def test_coordinator_imports_only_within_own_areas() -> None:
    taxonomy = make_taxonomy()
    elsewhere = OrganisationFactory(slug="elders", areas=[taxonomy.west])
    user = coordinator_of(taxonomy.zuidoost)
    files = {
        Sheet.ORGANISATIONS: (
            b"slug,naam,soort,infrastructuur,gebieden\n"
            b"eigen,Eigen,formeel,sociaal,ganzenhoef\n"
            b"vreemd,Vreemd,formeel,sociaal,west\n"
        ),
        Sheet.ROLES: b"organisatie,naam\nelders,Klantmanager\neigen,Opbouwwerker\n",
    }
    plan = plan_import(files, user)
    assert {(p.sheet, p.row, p.column) for p in plan.problems} == {
        (Sheet.ORGANISATIONS, 3, "gebieden"),
        (Sheet.ROLES, 2, "organisatie"),
    }
    assert elsewhere.roles == []


def test_partners_may_not_import() -> None:
    make_taxonomy()
    with pytest.raises(PermissionDenied):
        plan_import(sample_files(), UserFactory())


def test_docs_name_every_column() -> None:
    """docs/import.md documents each sheet's columns; keep it in step with columns.py."""
    from pathlib import Path

    from coordinator.directory.io.columns import COLUMNS

    text = (Path(__file__).parents[1] / "docs" / "import.md").read_text()
    for sheet, columns in COLUMNS.items():
        section = text.split(f"### `{sheet.value}.csv`")[1].split("###")[0]
        for column in columns:
            assert f"| `{column.name}` | {'ja' if column.required else 'nee'} |" in section


def test_task_id_from_an_export_allows_changing_its_scope() -> None:
    make_taxonomy()
    user = admin()
    import_directory(sample_files(), user)
    boundary = db.session.scalar(sa.select(Responsibility).filter_by(handles=False))
    sheet = (
        "id,organisatie,doet,themas,doelgroepen,gebieden,reden\n"
        f"{boundary.id},buurtteam-zuidoost,nee,huisvesting;werk,ongedocumenteerden,zuidoost,geen BSN\n"
    )
    plan = import_directory({Sheet.RESPONSIBILITIES: sheet.encode()}, user)
    assert plan.counts(Sheet.RESPONSIBILITIES) == {"bijgewerkt": 1}
    db.session.expire_all()
    assert [t.slug for t in boundary.topics] == ["huisvesting", "werk"]
    assert count(Responsibility) == 3

    other = db.session.scalar(
        sa.select(Responsibility).join(Responsibility.organisation).filter_by(slug="hushu-house")
    )
    sheet = f"id,organisatie,doet,themas,doelgroepen,gebieden\n{other.id},buurtteam-zuidoost,ja,werk,iedereen,zuidoost\n"
    problems = plan_import({Sheet.RESPONSIBILITIES: sheet.encode()}, user).problems
    assert [(p.row, p.column) for p in problems] == [(2, "id")]


def test_coordinator_cannot_move_an_organisation_out_of_their_areas() -> None:
    taxonomy = make_taxonomy()
    OrganisationFactory(slug="buurthuis", areas=[taxonomy.zuidoost])
    user = coordinator_of(taxonomy.zuidoost)
    sheet = b"slug,naam,soort,infrastructuur,gebieden\nbuurthuis,Buurthuis,formeel,sociaal,west\n"
    plan = plan_import({Sheet.ORGANISATIONS: sheet}, user)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "gebieden")]
    sheet = sheet.replace(b",west", b",ganzenhoef")
    assert plan_import({Sheet.ORGANISATIONS: sheet}, user).ok


def test_three_letter_language_codes_import_like_on_the_edit_form() -> None:
    """Berber, Papiamento and Sranan have no two-letter code; the edit form stores ber, pap, srn."""
    make_taxonomy()
    files = {
        Sheet.ORGANISATIONS: b"slug,naam,soort,infrastructuur\neigen,Eigen,formeel,sociaal\n",
        Sheet.PEOPLE: (
            b"organisatie,naam,talen\n"
            b"eigen,Youssef,nl;ar;ber\n"
            b"eigen,Joyce,nl;srn;pap\n"
            b"eigen,Typfout,nl;xx\n"
            b"eigen,Te lang,nederlands\n"
        ),
    }
    plan = plan_import(files, admin())
    assert {(p.row, p.column) for p in plan.problems} == {(4, "talen"), (5, "talen")}
    good_rows = files[Sheet.PEOPLE].splitlines()[:3]
    import_directory({**files, Sheet.PEOPLE: b"\n".join(good_rows) + b"\n"}, admin())
    youssef = db.session.scalar(sa.select(Person).filter_by(name="Youssef"))
    assert youssef.language_codes == ["nl", "ar", "ber"]


def test_coordinator_reimports_an_unchanged_export_of_the_whole_city() -> None:
    """Rows of organisations outside the coordinator's areas are skipped when unchanged."""
    taxonomy = make_taxonomy()
    import_directory(sample_files(), admin())
    elsewhere = {
        Sheet.ORGANISATIONS: b"slug,naam,soort,infrastructuur,gebieden\nelders,Elders,formeel,sociaal,west\n",
        Sheet.ROLES: b"organisatie,naam\nelders,Klantmanager\n",
        Sheet.RESPONSIBILITIES: (
            b"organisatie,functie,doet,themas,doelgroepen,gebieden\n"
            b"elders,Klantmanager,ja,werk,iedereen,west\n"
        ),
    }
    import_directory(elsewhere, admin())
    user = coordinator_of(taxonomy.zuidoost)
    export = {sheet: export_sheet(sheet, user).encode() for sheet in Sheet}
    assert b"elders" in export[Sheet.ORGANISATIONS]

    plan = plan_import(export, user)
    assert plan.ok, [(p.sheet, p.row, p.message) for p in plan.problems]
    assert {sheet: set(plan.counts(sheet)) for sheet in Sheet if plan.rows_read[sheet]} == {
        sheet: {"ongewijzigd"} for sheet in Sheet if plan.rows_read[sheet]
    }

    # Changing a row of that organisation is still refused, and names the row.
    changed = export[Sheet.ROLES].replace(b"elders,Klantmanager,", b"elders,Klantmanager,Nieuw ")
    assert changed != export[Sheet.ROLES]
    plan = plan_import({**export, Sheet.ROLES: changed}, user)
    assert [(p.sheet, p.column) for p in plan.problems] == [(Sheet.ROLES, "organisatie")]
