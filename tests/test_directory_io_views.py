"""Issue 3 item 7 through the browser: upload → preview → confirm, downloads and print page."""

from __future__ import annotations

import io

import sqlalchemy as sa
import vobject

from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_import import import_directory, plan_import
from coordinator.directory.models import Organisation, Responsibility, Role, Visibility
from coordinator.extensions import db
from tests.directory_io_data import SAMPLES, coordinator_of, make_taxonomy, sample_files
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.helpers import csrf_token, login


def upload(client, files: dict[str, bytes]):  # noqa: ANN001, ANN201
    token = csrf_token(client.get("/wie-doet-wat/import").get_data(as_text=True))
    data = {"csrf_token": token}
    for name, content in files.items():
        data[name] = (io.BytesIO(content), f"{name}.csv")
    return client.post("/wie-doet-wat/import", data=data, content_type="multipart/form-data")


def sample(name: str) -> bytes:
    return (SAMPLES / f"{name}.csv").read_bytes()


def imported_organisations() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Organisation.slug)
            .where(Organisation.slug.not_like("organisatie-%"))
            .order_by(Organisation.slug)
        )
    )


def test_upload_preview_then_confirm_imports_everything(client) -> None:
    make_taxonomy()
    user = UserFactory(role="beheerder")
    login(client, user.email, PASSWORD)
    names = ["organisaties", "functies", "personen", "taken"]
    response = upload(client, {name: sample(name) for name in names})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "9 rijen gelezen en gecontroleerd" in html
    assert imported_organisations() == []  # the preview changed nothing
    confirm = csrf_token(html)
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/wie-doet-wat/import/bevestigen", data={"csrf_token": confirm, "token": token}
    )
    assert response.status_code == 302
    assert imported_organisations() == ["buurtteam-zuidoost", "hushu-house"]
    assert "Import voltooid: 9 rijen verwerkt." in client.get("/wie-doet-wat/import").get_data(
        as_text=True
    )
    # The staged upload is gone: confirming twice imports nothing twice.
    again = client.post(
        "/wie-doet-wat/import/bevestigen", data={"csrf_token": confirm, "token": token}
    )
    assert again.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Responsibility)) == 3


def test_broken_upload_lists_every_problem_and_offers_no_confirm(client) -> None:
    taxonomy = make_taxonomy()
    user = coordinator_of(taxonomy.zuidoost)
    login(client, user.email, PASSWORD)
    broken = b"slug,naam,soort,infrastructuur,gebieden\nx,X,formal,sociaal,zuidoost\ny,,formeel,sociaal,nergens\n"
    html = upload(client, {"organisaties": broken}).get_data(as_text=True)
    assert "fout(en) gevonden" in html
    assert "organisaties, rij 2, kolom &#39;soort&#39;" in html
    assert "organisaties, rij 3, kolom &#39;naam&#39;" in html
    assert "organisaties, rij 3, kolom &#39;gebieden&#39;" in html
    assert 'name="token"' not in html
    assert imported_organisations() == []


def test_partners_cannot_open_the_import(client) -> None:
    user = UserFactory()
    login(client, user.email, PASSWORD)
    assert client.get("/wie-doet-wat/import").status_code == 403


def test_downloads_and_print_page(client) -> None:
    make_taxonomy()
    admin = UserFactory(role="beheerder")
    import_directory(sample_files(), admin)
    role_id = db.session.scalar(sa.select(Role.id).filter_by(name="Brugfunctionaris"))

    # Anonymous: public entries only, no CSV.
    assert client.get("/wie-doet-wat/export/organisaties.csv").status_code == 302
    hsds = client.get("/wie-doet-wat/export/hsds.json").get_json()
    assert [org["name"] for org in hsds] == ["Buurtteam Zuidoost"]
    assert client.get("/wie-doet-wat/vcard/organisatie/hushu-house.vcf").status_code == 404
    card = client.get(f"/wie-doet-wat/vcard/functie/{role_id}.vcf")
    assert card.mimetype == "text/vcard"
    assert card.headers["Content-Type"] == "text/vcard; charset=utf-8"
    assert vobject.readOne(card.get_data(as_text=True)).fn.value.startswith("Brugfunctionaris")
    page = client.get("/wie-doet-wat/sociale-kaart/ganzenhoef/afdrukken").get_data(as_text=True)
    assert "Buurtteam Zuidoost" in page
    assert "geen BSN, geen hulp mogelijk" in page
    assert "Hushu House" not in page

    login(client, admin.email, PASSWORD)
    response = client.get("/wie-doet-wat/export/taken.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "geen BSN" in response.get_data(as_text=True)
    assert client.get("/wie-doet-wat/export/sociale-kaart.zip").mimetype == "application/zip"
    page = client.get("/wie-doet-wat/sociale-kaart/ganzenhoef/afdrukken").get_data(as_text=True)
    assert "Hushu House" in page  # citywide, network-visible
    assert "Sanne de Boer" in page
    card = client.get(f"/wie-doet-wat/vcard/functie/{role_id}.vcf").get_data(as_text=True)
    assert vobject.readOne(card).fn.value == "Sanne de Boer"


def test_print_page_and_exports_hide_functional_contact_from_anonymous(client) -> None:
    """DOMAIN §8: functional e-mail and phone are partner information, as on the public page."""
    make_taxonomy()
    import_directory(sample_files(), UserFactory(role="beheerder"))
    public = ("info@buurtteam.example.org", "020 123 4567", "brug@buurtteam.example.org")
    network = ("hallo@hushu.example.org",)  # Hushu House is a network-visibility organisation
    kaart = "/wie-doet-wat/sociale-kaart/ganzenhoef/afdrukken"

    page = client.get(kaart).get_data(as_text=True)
    hsds = client.get("/wie-doet-wat/export/hsds.json").get_data(as_text=True)
    card = client.get("/wie-doet-wat/vcard/organisatie/buurtteam-zuidoost.vcf")
    card_text = card.get_data(as_text=True)
    assert "Buurtteam Zuidoost" in page
    assert "https://buurtteam.example.org" in page
    for detail in public + network:
        assert detail not in page
        assert detail not in hsds
        assert detail not in card_text
    assert "1234567" not in card_text  # the phone, normalised for vCard
    assert vobject.readOne(card_text).fn.value == "Buurtteam Zuidoost"

    partner = UserFactory()
    login(client, partner.email, PASSWORD)
    page = client.get(kaart).get_data(as_text=True)
    hsds = client.get("/wie-doet-wat/export/hsds.json").get_data(as_text=True)
    card_text = client.get("/wie-doet-wat/vcard/organisatie/buurtteam-zuidoost.vcf").get_data(
        as_text=True
    )
    for detail in public + network:
        assert detail in page
        assert detail in hsds
    assert "info@buurtteam.example.org" in card_text


def test_public_hsds_is_cached_but_follows_changes(client) -> None:
    make_taxonomy()
    OrganisationFactory(name="Eerste", visibility=Visibility.PUBLIC)
    first = client.get("/wie-doet-wat/export/hsds.json")
    assert first.headers["Cache-Control"] == "public, max-age=600"
    assert [o["name"] for o in first.get_json()] == ["Eerste"]
    OrganisationFactory(name="Tweede", visibility=Visibility.PUBLIC)
    names = [o["name"] for o in client.get("/wie-doet-wat/export/hsds.json").get_json()]
    assert names == ["Eerste", "Tweede"]


def test_upload_without_files_says_so(client) -> None:
    user = UserFactory(role="beheerder")
    login(client, user.email, PASSWORD)
    html = upload(client, {}).get_data(as_text=True)
    assert "Kies minstens één CSV-bestand om te importeren." in html


def test_templates_import_cleanly(client) -> None:
    """The downloadable sheets (header + documented example row) are valid imports."""
    make_taxonomy()
    user = UserFactory(role="beheerder")
    login(client, user.email, PASSWORD)
    files = {}
    for sheet in ("organisaties", "functies", "personen", "taken"):
        response = client.get(f"/wie-doet-wat/import/sjabloon/{sheet}.csv")
        assert response.mimetype == "text/csv"
        files[Sheet(sheet)] = response.data
    plan = plan_import(files, user)
    assert [str(p) for p in plan.problems] == []
    assert plan.total_rows == 4
