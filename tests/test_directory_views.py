"""Directory pages: lookup, browsing, organisation page, public map, edit rights and forms."""

from __future__ import annotations

import sqlalchemy as sa

from coordinator.auth.models import AccountRole
from coordinator.directory.models import (
    AuditEntry,
    Organisation,
    PersonKind,
    Responsibility,
    Visibility,
)
from coordinator.extensions import db
from tests.directory_fixtures import build_city, organisation, responsibility
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    PersonFactory,
    RoleFactory,
    SeatFactory,
    UserFactory,
)
from tests.helpers import login, post_form
from tests.test_directory_lookup import BSN_REASON


def _editor_of(org: Organisation, **kwargs: object):  # noqa: ANN202
    return UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=org), **kwargs)


def test_lookup_page_shows_helpers_and_the_buurtteam_boundary(client):
    city = build_city()
    housing = city.topics["huisvesting"]
    buurtteam = organisation("Buurtteam Zuidoost")
    responsibility(
        buurtteam,
        topics=[housing],
        groups=[city.groups["ongedocumenteerden"]],
        areas=[city.zuidoost],
        handles=False,
        reason=BSN_REASON,
    )
    responsibility(
        organisation("Hushu House"),
        topics=[housing],
        groups=[city.groups["ongedocumenteerden"]],
        areas=[city.amsterdam],
        verified_days_ago=400,
    )
    user = UserFactory()
    login(client, user.email, PASSWORD)
    response = client.get(
        "/wie-doet-wat/?topic=huisvesting&target_group=ongedocumenteerden&area=zuidoost"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    helps, refuses = html.split('id="boundaries-title"')
    assert "Hushu House" in helps
    assert "mogelijk verouderd" in helps
    assert "Buurtteam Zuidoost" in refuses
    assert "Geen BSN, geen hulp mogelijk" in refuses


def test_lookup_page_needs_login_and_reports_empty_answers(client):
    city = build_city()
    assert client.get("/wie-doet-wat/").status_code == 302
    login(client, UserFactory().email, PASSWORD)
    html = client.get("/wie-doet-wat/?topic=taal&area=noord").get_data(as_text=True)
    assert "Niemand in de sociale kaart helpt hierbij" in html
    assert city.noord.name in html


def test_anonymous_visitor_sees_only_public_entries(client):
    city = build_city()
    public = organisation("Taalcafé Openbaar", visibility=Visibility.PUBLIC, areas=[city.zuidoost])
    network = organisation("Netwerkpartner", areas=[city.zuidoost])
    for org in (public, network):
        responsibility(
            org, topics=[city.topics["taal"]], groups=[], areas=[city.zuidoost], summary="Taalles"
        )
    volunteer = PersonFactory(
        organisation=public,
        name="Vrijwilliger Zonder Toestemming",
        kind=PersonKind.VOLUNTEER,
        contact_visibility=Visibility.PUBLIC,
    )
    AssignmentFactory(person=volunteer, role=RoleFactory(organisation=public, name="Taalmaatje"))
    html = client.get("/wie-doet-wat/sociale-kaart/zuidoost").get_data(as_text=True)
    assert "Taalcafé Openbaar" in html
    assert "Netwerkpartner" not in html
    assert "Vrijwilliger Zonder Toestemming" not in html
    assert public.email not in html  # functional contacts are for partners
    internal = RoleFactory(
        organisation=public, name="Interne Functie", visibility=Visibility.NETWORK
    )
    responsibility(
        public,
        role=internal,
        topics=[city.topics["zorg"]],
        groups=[],
        areas=[city.zuidoost],
        summary="Taak van een netwerkfunctie",
    )
    public_page = client.get(f"/wie-doet-wat/organisaties/{public.slug}")
    assert public_page.status_code == 200
    assert "Interne Functie" not in public_page.get_data(as_text=True)
    # A task follows its role's tier: not on the public pages, as in the print page and exports.
    assert "Taak van een netwerkfunctie" not in public_page.get_data(as_text=True)
    public_map = client.get("/wie-doet-wat/sociale-kaart/zuidoost").get_data(as_text=True)
    assert "Taak van een netwerkfunctie" not in public_map
    assert client.get(f"/wie-doet-wat/organisaties/{network.slug}").status_code == 404
    # A wijk page includes its stadsdeel's organisations.
    assert "Taalcafé Openbaar" in client.get(
        "/wie-doet-wat/sociale-kaart/bijlmer-centrum"
    ).get_data(as_text=True)


def test_volunteers_and_key_figures_need_consent_beyond_their_organisation(client):
    org = organisation("Zelforganisatie")
    role = RoleFactory(organisation=org, name="Sleutelfiguur buurt")
    figure = PersonFactory(organisation=org, name="Sleutelfiguur A", kind=PersonKind.KEY_FIGURE)
    AssignmentFactory(person=figure, role=role)
    outsider = UserFactory(person=PersonFactory(organisation=organisation("Ander")))
    insider = UserFactory(person=PersonFactory(organisation=org))
    login(client, outsider.email, PASSWORD)
    assert "Sleutelfiguur A" not in client.get(f"/wie-doet-wat/organisaties/{org.slug}").get_data(
        as_text=True
    )
    figure.consent_given_on = figure.created_at.date()
    db.session.commit()
    assert "Sleutelfiguur A" in client.get(f"/wie-doet-wat/organisaties/{org.slug}").get_data(
        as_text=True
    )
    figure.consent_given_on = None
    db.session.commit()
    client.post("/account/logout", data={})
    other = client.application.test_client()
    login(other, insider.email, PASSWORD)
    assert "Sleutelfiguur A" in other.get(f"/wie-doet-wat/organisaties/{org.slug}").get_data(
        as_text=True
    )


def test_editor_of_another_organisation_is_refused_and_nothing_changes(client):
    theirs = organisation("Andere Stichting", description="Origineel")
    editor = _editor_of(organisation("Mijn Stichting"))
    login(client, editor.email, PASSWORD)
    assert client.get(f"/wie-doet-wat/organisaties/{theirs.slug}/bewerken").status_code == 403
    mine_html = client.get(f"/wie-doet-wat/organisaties/{editor.person.organisation.slug}/bewerken")
    response = post_form(
        client,
        f"/wie-doet-wat/organisaties/{theirs.slug}/bewerken",
        {
            "name": "Gekaapt",
            "kind": "formeel",
            "infrastructure": "sociaal",
            "visibility": "openbaar",
        },
        page=f"/wie-doet-wat/organisaties/{editor.person.organisation.slug}/bewerken",
    )
    assert mine_html.status_code == 200
    assert response.status_code == 403
    db.session.expire_all()
    fresh = db.session.get(Organisation, theirs.id)
    assert (fresh.name, fresh.description, fresh.visibility) == (
        "Andere Stichting",
        "Origineel",
        Visibility.NETWORK,
    )
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_editor_edits_own_listing_and_sees_it_in_the_history(client):
    city = build_city()
    mine = organisation("Mijn Stichting", description="Oud")
    editor = _editor_of(mine)
    login(client, editor.email, PASSWORD)
    url = f"/wie-doet-wat/organisaties/{mine.slug}/bewerken"
    response = post_form(
        client,
        url,
        {
            "name": "Mijn Stichting",
            "kind": "formeel",
            "infrastructure": "sociaal",
            "visibility": "openbaar",
            "description": "Taalles en ontmoeting",
            "areas": str(city.zuidoost.id),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/wie-doet-wat/organisaties/{mine.slug}").get_data(as_text=True)
    assert "Taalles en ontmoeting" in page
    history = page.split("Geschiedenis")[1]
    assert "(omschrijving)" in history
    assert "Oud" in history
    assert editor.person.name in history


def test_responsibility_form_refuses_resident_data_and_missing_reason(client):
    city = build_city()
    mine = organisation("Mijn Stichting")
    login(client, _editor_of(mine).email, PASSWORD)
    url = f"/wie-doet-wat/organisaties/{mine.slug}/taken/nieuw"
    base = {
        "handles": "0",
        "role": "0",
        "topics": "huisvesting",
        "target_groups": "ongedocumenteerden",
    }
    response = post_form(client, url, {**base, "reason": "Zoals bij BSN 111222333"})
    assert response.status_code == 400
    assert "burgerservicenummer" in response.get_data(as_text=True)
    response = post_form(client, url, {**base, "reason": ""})
    assert response.status_code == 400
    assert "Leg uit waarom" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Responsibility.id))) == 0
    response = post_form(client, url, {**base, "reason": "Geen BSN, geen hulp mogelijk"})
    assert response.status_code == 302
    resp = db.session.scalars(sa.select(Responsibility)).one()
    assert not resp.handles
    assert [g.slug for g in resp.target_groups] == ["ongedocumenteerden"]
    assert resp.verified_at is not None
    assert city.topics["huisvesting"] in resp.topics


def test_leaving_via_the_page_makes_the_role_vacant(client):
    mine = organisation("Mijn Stichting")
    login(client, _editor_of(mine).email, PASSWORD)
    role = RoleFactory(organisation=mine, name="Aandachtsfunctionaris nieuwkomers")
    leaver = PersonFactory(organisation=mine, name="Vertrekkende Collega")
    AssignmentFactory(person=leaver, role=role)
    page = client.get(f"/wie-doet-wat/organisaties/{mine.slug}").get_data(as_text=True)
    assert "Vertrekkende Collega" in page
    response = post_form(
        client,
        f"/wie-doet-wat/organisaties/{mine.slug}/mensen/{leaver.id}/uit-dienst",
        {"on_date": "2025-01-31"},
    )
    assert response.status_code == 302
    page = client.get(f"/wie-doet-wat/organisaties/{mine.slug}").get_data(as_text=True)
    roles = page.split("<h2>Functies</h2>")[1].split("<h2>")[0]
    assert "Aandachtsfunctionaris nieuwkomers" in roles
    assert "vacant" in roles
    people = page.split("<h2>Mensen</h2>")[1].split("<h2>")[0]
    assert "Vertrekkende Collega" not in people


def test_search_finds_roles_and_people(client):
    org = organisation("Buurtteam West")
    role = RoleFactory(organisation=org, name="Brugfunctionaris")
    AssignmentFactory(person=PersonFactory(organisation=org, name="Fatima Brug"), role=role)
    login(client, UserFactory().email, PASSWORD)
    html = client.get("/wie-doet-wat/organisaties?q=brug").get_data(as_text=True)
    assert "Brugfunctionaris" in html
    assert "Fatima Brug" in html


def test_every_edit_page_renders_for_an_editor_and_saves(client):
    city = build_city()
    mine = organisation("Mijn Stichting", areas=[city.zuidoost])
    editor = _editor_of(mine)
    role = RoleFactory(organisation=mine, name="Brugfunctionaris")
    person = PersonFactory(organisation=mine, name="Nieuwe Collega", language_codes=["nl", "ar"])
    resp = responsibility(
        mine, topics=[city.topics["taal"]], groups=[], areas=[city.zuidoost], role=role
    )
    login(client, editor.email, PASSWORD)
    base = f"/wie-doet-wat/organisaties/{mine.slug}"
    pages = [
        f"{base}/bewerken",
        f"{base}/functies/nieuw",
        f"{base}/functies/{role.id}/bewerken",
        f"{base}/functies/{role.id}/toewijzen",
        f"{base}/mensen/nieuw",
        f"{base}/mensen/{person.id}/bewerken",
        f"{base}/mensen/{person.id}/uit-dienst",
        f"{base}/taken/nieuw",
        f"{base}/taken/{resp.id}/bewerken",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert 'name="csrf_token"' in response.get_data(as_text=True)
    assert 'value="nl, ar"' in client.get(f"{base}/mensen/{person.id}/bewerken").get_data(
        as_text=True
    )
    assert (
        post_form(
            client,
            f"{base}/functies/{role.id}/toewijzen",
            {"person": str(person.id), "starts_on": "2025-02-01"},
        ).status_code
        == 302
    )
    assert role.holders == [person]
    assert (
        post_form(
            client,
            f"{base}/mensen/nieuw",
            {
                "name": "Vrijwilliger B",
                "kind": "vrijwilliger",
                "contact_visibility": "organisatie",
                "language_codes": "nl, ti",
            },
        ).status_code
        == 302
    )
    assert (
        post_form(
            client, f"{base}/functies/nieuw", {"name": "Sociaal beheerder", "visibility": "netwerk"}
        ).status_code
        == 302
    )
    response = post_form(
        client, f"{base}/taken/{resp.id}/bevestigen", {}, page=f"{base}/taken/{resp.id}/bewerken"
    )
    assert response.status_code == 302
    resp_id = resp.id
    response = post_form(
        client, f"{base}/taken/{resp_id}/verwijderen", {}, page=f"{base}/taken/{resp_id}/bewerken"
    )
    assert response.status_code == 302
    db.session.expunge_all()
    assert db.session.get(Responsibility, resp_id) is None
    history = client.get(base).get_data(as_text=True).split("Geschiedenis")[1]
    assert "verwijderd" in history
    assert "Vrijwilliger B" in history  # shown from the directory while the person is listed
    stored = " ".join(
        f"{e.entity_label} {e.old_value} {e.new_value}"
        for e in db.session.scalars(sa.select(AuditEntry))
    )
    assert "Vrijwilliger B" not in stored  # names never enter the stored history


def test_new_organisation_for_coordinators_only(client):
    city = build_city()
    partner = UserFactory(role=AccountRole.EDITOR)
    login(client, partner.email, PASSWORD)
    assert client.get("/wie-doet-wat/organisaties/nieuw").status_code == 403
    coordinator = UserFactory(role=AccountRole.COORDINATOR, areas=[city.zuidoost])
    other = client.application.test_client()
    login(other, coordinator.email, PASSWORD)
    response = post_form(
        other,
        "/wie-doet-wat/organisaties/nieuw",
        {
            "name": "Stichting Nieuw",
            "kind": "informeel",
            "infrastructure": "aankomst",
            "visibility": "netwerk",
            "areas": str(city.zuidoost.id),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/wie-doet-wat/organisaties/stichting-nieuw")


def test_public_index_is_login_free(client):
    build_city()
    html = client.get("/wie-doet-wat/sociale-kaart/").get_data(as_text=True)
    assert "Zuidoost" in html
    assert "Bijlmer-Centrum" not in html  # wijken are reached through their stadsdeel


def test_organisation_page_lists_the_tables_it_sits_at(client):
    org = organisation("Buurtteam Zuidoost")
    seat = SeatFactory(role=RoleFactory(organisation=org), table__name="Matchtafel Zuidoost")
    SeatFactory(
        role=RoleFactory(organisation=org), table__name="Oude Tafel"
    ).removed_at = seat.created_at
    db.session.commit()
    login(client, UserFactory().email, PASSWORD)
    page = client.get(f"/wie-doet-wat/organisaties/{org.slug}").get_data(as_text=True)
    tables = page.split("<h2>Tafels</h2>")[1].split("<h2>")[0]
    assert "Matchtafel Zuidoost" in tables
    assert "Oude Tafel" not in tables
