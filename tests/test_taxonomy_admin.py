"""Beheerders edit the taxonomies (thema's, doelgroepen, gebieden); slugs never change."""

from __future__ import annotations

import sqlalchemy as sa

from coordinator.auth.models import AccountRole
from coordinator.directory.models import Area, AreaKind, AuditEntry, TargetGroup, Topic
from coordinator.extensions import db
from tests.directory_fixtures import build_city
from tests.factories import PASSWORD, UserFactory
from tests.helpers import csrf_token, login, post_form
from tests.test_directory_api import bearer

PAGE = "/beheer/taxonomie/"


def _admin(client):  # noqa: ANN001, ANN202
    admin = UserFactory(role=AccountRole.ADMIN)
    login(client, admin.email, PASSWORD)
    return admin


def test_a_new_topic_appears_in_the_api_and_the_lookup_form(client):
    build_city()
    admin = _admin(client)

    response = post_form(client, f"{PAGE}thema/nieuw", {"name": "  Werk en   inkomen "})

    assert response.status_code == 302
    topic = db.session.scalars(sa.select(Topic).where(Topic.slug == "werk-en-inkomen")).one()
    assert topic.name == "Werk en inkomen"
    topics = client.get("/api/v1/topics", headers=bearer(admin)).get_json()
    assert topics[-1]["slug"] == "werk-en-inkomen"
    assert topics[-1]["name"] == "Werk en inkomen"
    lookup = client.get("/wie-doet-wat/").get_data(as_text=True)
    assert '<option value="werk-en-inkomen">Werk en inkomen</option>' in lookup
    listing = client.get(PAGE).get_data(as_text=True)
    assert "werk-en-inkomen" in listing
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "topic")).one()
    assert (entry.actor_user_id, entry.new_value) == (admin.id, "Werk en inkomen")


def test_target_groups_and_areas_can_be_added(client):
    build_city()
    _admin(client)

    assert (
        post_form(client, f"{PAGE}doelgroep/nieuw", {"name": "Arbeidsmigranten"}).status_code == 302
    )
    zuidoost = db.session.scalars(sa.select(Area).where(Area.slug == "zuidoost")).one()
    response = post_form(
        client, f"{PAGE}gebied/nieuw", {"name": "Gaasperdam", "parent": zuidoost.id}
    )

    assert response.status_code == 302
    group = db.session.scalars(sa.select(TargetGroup).where(TargetGroup.slug == "arbeidsmigranten"))
    assert group.one().name == "Arbeidsmigranten"
    wijk = db.session.scalars(sa.select(Area).where(Area.slug == "gaasperdam")).one()
    assert (wijk.parent_id, wijk.kind) == (zuidoost.id, AreaKind.NEIGHBOURHOOD)
    listing = client.get(PAGE).get_data(as_text=True)
    assert "Gaasperdam" in listing
    assert "Arbeidsmigranten" in listing


def test_rename_keeps_the_slug(client):
    build_city()
    _admin(client)
    topic = db.session.scalars(sa.select(Topic).where(Topic.slug == "taal")).one()

    response = post_form(client, f"{PAGE}thema/{topic.id}/naam", {"name": "Taal en NT2"})

    assert response.status_code == 302
    db.session.expire_all()
    renamed = db.session.get(Topic, topic.id)
    assert (renamed.slug, renamed.name) == ("taal", "Taal en NT2")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "topic")).one()
    assert (entry.field, entry.old_value, entry.new_value) == (
        "name",
        "Taal en inburgering",
        "Taal en NT2",
    )


def test_duplicates_are_refused_and_nothing_changes(client):
    build_city()
    _admin(client)
    topic_count = db.session.scalar(sa.select(sa.func.count(Topic.id)))
    taal = db.session.scalars(sa.select(Topic).where(Topic.slug == "taal")).one()

    added = post_form(client, f"{PAGE}thema/nieuw", {"name": "huisvesting"})
    renamed = post_form(client, f"{PAGE}thema/{taal.id}/naam", {"name": "Zorg en Gezondheid"})

    for response in (added, renamed):
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="name-error"' in html
        assert "Deze naam bestaat al" in html
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Topic.id))) == topic_count
    assert db.session.get(Topic, taal.id).name == "Taal en inburgering"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_only_beheerders_may_edit_taxonomies(client):
    build_city()
    taal = db.session.scalars(sa.select(Topic).where(Topic.slug == "taal")).one()
    topic_count = db.session.scalar(sa.select(sa.func.count(Topic.id)))
    for role in (AccountRole.COORDINATOR, AccountRole.EDITOR, AccountRole.PARTNER):
        user = UserFactory(role=role)
        login(client, user.email, PASSWORD)
        html = client.get("/account/").get_data(as_text=True)
        token = csrf_token(html)
        assert "/beheer/taxonomie/" not in html
        assert client.get(PAGE).status_code == 403
        assert client.get(f"{PAGE}thema/nieuw").status_code == 403
        added = client.post(f"{PAGE}thema/nieuw", data={"name": "Nieuw", "csrf_token": token})
        renamed = client.post(
            f"{PAGE}thema/{taal.id}/naam", data={"name": "Anders", "csrf_token": token}
        )
        assert (added.status_code, renamed.status_code) == (403, 403)
        client.post("/account/logout", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Topic.id))) == topic_count
    assert db.session.get(Topic, taal.id).name == "Taal en inburgering"


def test_the_beheerder_navigation_links_the_page(client):
    _admin(client)
    html = client.get("/account/").get_data(as_text=True)
    assert 'href="/beheer/taxonomie/"' in html
