"""Generate a city-scale directory: 3,000 organisations, 15,000 people, 60,000 responsibilities.

The schema is built by running the migrations, then rows are bulk-inserted with SQLAlchemy Core.
All data is fictional and deterministic for a given ``--seed``.

    .venv/bin/python -m bench.generate                       # SQLite: bench/city.sqlite
    .venv/bin/python -m bench.generate --db-url postgresql+psycopg://postgres@127.0.0.1/mt_bench

The target database is emptied first (SQLite file removed, PostgreSQL ``public`` schema dropped):
point it at a scratch database only.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from coordinator import create_app
from coordinator.extensions import db

HERE = Path(__file__).resolve().parent
DEFAULT_URL = f"sqlite:///{HERE / 'city.sqlite'}"
TODAY = date(2026, 11, 23)

DISTRICTS = ["Centrum", "Noord", "Oost", "West", "Zuid", "Zuidoost", "Nieuw-West", "Weesp"]
TOPICS = [
    "huisvesting", "taal-inburgering", "werk", "vrijwilligerswerk", "geld-schulden",
    "zorg-gezondheid", "psychische-hulp", "juridisch", "gezinshereniging", "voedsel", "kleding",
    "ontmoeting", "digitale-hulp", "fietsen-zwemmen", "kinderen-jongeren", "veiligheid",
    "formulieren-brieven", "verzekering", "dagbesteding", "lotgenoten",
]  # fmt: skip
GROUPS = [
    "statushouders", "asielzoekers", "ongedocumenteerden", "oekraiense-ontheemden",
    "arbeidsmigranten", "oudkomers", "iedereen",
]  # fmt: skip
ROLE_NAMES = [
    "Opbouwwerker", "Aandachtsfunctionaris nieuwkomers", "Brugfunctionaris", "Klantmanager",
    "Sociaal beheerder", "Buurtteammedewerker", "Coördinator", "Jongerenwerker",
    "Sociaal raadsman", "Gebiedsmakelaar", "Ervaringsdeskundige", "Vrijwilligerscoördinator",
]  # fmt: skip
LANGUAGES = ["ar", "tr", "fa", "en", "fr", "ti", "so", "uk", "ru", "pl", "es", "pt"]
REASONS = [
    "geen BSN, geen hulp mogelijk",
    "kerntaak is alleen opvang",
    "geen mandaat voor bewoners van de boot",
    "geen individuele begeleiding",
    "wij zijn geen zorgorganisatie",
]


def make_app(url: str) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "TESTING": True,
            "GC_FREEZE": True,  # as a production worker does (TESTING alone would skip it)
        },
        instance_path=str(HERE / "instance"),
    )


def reset(url: str) -> None:
    """Start from an empty database (file removed, or PostgreSQL schema dropped)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()


def insert(table: str, rows: list[dict]) -> None:
    if rows:
        db.session.execute(db.metadata.tables[table].insert(), rows)


def generate(
    *, organisations: int, people: int, responsibilities: int, seed: int = 42
) -> dict[str, int]:
    """Fill the (migrated, empty) database of the current app context; returns row counts."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    # Areas: the city, eight stadsdelen, ten wijken each.
    areas = [{"id": 1, "slug": "amsterdam", "name": "Amsterdam", "kind": "stad", "parent_id": None}]
    district_ids, wijken_of = [], {}
    for district in DISTRICTS:
        district_id = len(areas) + 1
        areas.append(
            {
                "id": district_id,
                "slug": district.lower(),
                "name": district,
                "kind": "stadsdeel",
                "parent_id": 1,
            }
        )
        district_ids.append(district_id)
        wijken_of[district_id] = []
        for n in range(1, 11):
            wijk_id = len(areas) + 1
            areas.append(
                {
                    "id": wijk_id,
                    "slug": f"{district.lower()}-wijk-{n}",
                    "name": f"{district} wijk {n}",
                    "kind": "wijk",
                    "parent_id": district_id,
                }
            )
            wijken_of[district_id].append(wijk_id)
    insert("areas", areas)
    insert(
        "topics",
        [
            {"id": i, "slug": s, "name": s.replace("-", " ").capitalize(), "position": i}
            for i, s in enumerate(TOPICS, 1)
        ],
    )
    insert(
        "target_groups",
        [
            {"id": i, "slug": s, "name": s.replace("-", " ").capitalize(), "position": i}
            for i, s in enumerate(GROUPS, 1)
        ],
    )
    everyone = len(GROUPS)

    # Organisations, each working citywide, in one or two stadsdelen, or in a few wijken.
    orgs, org_areas, org_scope = [], [], {}
    for org_id in range(1, organisations + 1):
        informal = rng.random() < 0.3
        orgs.append(
            {
                "id": org_id,
                "slug": f"organisatie-{org_id}",
                "name": f"{'Stichting' if informal else 'Organisatie'} {org_id:04d}",
                "kind": "informeel" if informal else "formeel",
                "infrastructure": rng.choice(["aankomst", "sociaal", "beide"]),
                "sector": rng.choice(["welzijn", "zorg", "overheid", "wonen", "religie", None]),
                "description": "Fictieve organisatie voor de benchmark.",
                "email": f"info@org{org_id}.example.org",
                "phone": "020 123 4567",
                "visibility": rng.choices(["openbaar", "netwerk", "organisatie"], [3, 6, 1])[0],
                "funding_ends_on": TODAY + timedelta(days=rng.randint(30, 900))
                if informal
                else None,
                "is_demo": False,
                "created_at": now,
                "updated_at": now,
            }
        )
        roll = rng.random()
        if roll < 0.05:
            scope = [1]
        elif roll < 0.55:
            scope = rng.sample(district_ids, rng.choice([1, 1, 2]))
        else:
            district = rng.choice(district_ids)
            scope = rng.sample(wijken_of[district], rng.randint(1, 3))
        org_scope[org_id] = scope
        org_areas.extend({"organisation_id": org_id, "area_id": a} for a in scope)
    insert("organisations", orgs)
    insert("organisation_areas", org_areas)

    # Roles: four per organisation on average.
    roles, roles_of = [], {}
    for org_id in range(1, organisations + 1):
        names = rng.sample(ROLE_NAMES, rng.randint(2, 6))
        roles_of[org_id] = []
        for name in names:
            role_id = len(roles) + 1
            roles.append(
                {
                    "id": role_id,
                    "organisation_id": org_id,
                    "name": name,
                    "description": "",
                    "email": f"{name.split()[0].lower()}@org{org_id}.example.org"
                    if rng.random() < 0.6
                    else None,
                    "visibility": rng.choices(["openbaar", "netwerk"], [1, 3])[0],
                }
            )
            roles_of[org_id].append(role_id)
    insert("roles", roles)

    # People, each holding one current role; some with an ended earlier assignment.
    persons, assignments = [], []
    for person_id in range(1, people + 1):
        org_id = rng.randint(1, organisations)
        persons.append(
            {
                "id": person_id,
                "organisation_id": org_id,
                "name": f"Medewerker {person_id:05d}",
                "email": f"m{person_id}@org{org_id}.example.org",
                "phone": None,
                "kind": rng.choices(["medewerker", "vrijwilliger", "sleutelfiguur"], [8, 2, 1])[0],
                "contact_visibility": rng.choices(
                    ["openbaar", "netwerk", "organisatie"], [1, 7, 2]
                )[0],
                "consent_given_on": TODAY - timedelta(days=rng.randint(1, 700))
                if rng.random() < 0.5
                else None,
                "language_codes": ["nl", *rng.sample(LANGUAGES, rng.choice([0, 0, 1, 2]))],
                "focus_tags": [],
                "is_demo": False,
                "created_at": now,
            }
        )
        role_id = rng.choice(roles_of[org_id])
        start = TODAY - timedelta(days=rng.randint(0, 2000))
        assignments.append(
            {"person_id": person_id, "role_id": role_id, "starts_on": start, "ends_on": None}
        )
        if rng.random() < 0.1:
            assignments.append(
                {
                    "person_id": person_id,
                    "role_id": rng.choice(roles_of[org_id]),
                    "starts_on": start - timedelta(days=900),
                    "ends_on": start - timedelta(days=1),
                }
            )
    insert("people", persons)
    insert("assignments", assignments)

    # Responsibilities: twenty per organisation on average; 15 % are boundaries ("doet niet").
    tasks, task_topics, task_groups, task_areas = [], [], [], []
    for task_id in range(1, responsibilities + 1):
        org_id = rng.randint(1, organisations)
        handles = rng.random() >= 0.15
        valid_until = TODAY - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.05 else None
        tasks.append(
            {
                "id": task_id,
                "organisation_id": org_id,
                "role_id": rng.choice(roles_of[org_id]) if rng.random() < 0.5 else None,
                "handles": handles,
                "summary": f"Taak {task_id}",
                "reason": "" if handles else rng.choice(REASONS),
                "referral_tips": "Loop mee naar het spreekuur." if rng.random() < 0.3 else "",
                "opening_hours": "ma-vr 9-17",
                "language_codes": ["nl", *rng.sample(LANGUAGES, rng.choice([0, 1, 2]))],
                "waiting_time": "",
                "valid_from": None,
                "valid_until": valid_until,
                "verified_at": now - timedelta(days=rng.randint(0, 400)),
                "verified_by_id": None,
                "created_at": now,
            }
        )
        for topic in rng.sample(range(1, len(TOPICS) + 1), rng.choice([1, 1, 2, 3])):
            task_topics.append({"responsibility_id": task_id, "topic_id": topic})
        groups = (
            [everyone] if rng.random() < 0.1 else rng.sample(range(1, everyone), rng.choice([1, 2]))
        )
        for group in groups:
            task_groups.append({"responsibility_id": task_id, "target_group_id": group})
        scope = org_scope[org_id]
        for area in rng.sample(scope, min(len(scope), rng.choice([1, 1, 2]))):
            task_areas.append({"responsibility_id": task_id, "area_id": area})
    insert("responsibilities", tasks)
    insert("responsibility_topics", task_topics)
    insert("responsibility_target_groups", task_groups)
    insert("responsibility_areas", task_areas)
    db.session.commit()
    return {
        "areas": len(areas),
        "organisations": len(orgs),
        "roles": len(roles),
        "people": len(persons),
        "assignments": len(assignments),
        "responsibilities": len(tasks),
        "responsibility_topics": len(task_topics),
        "responsibility_target_groups": len(task_groups),
        "responsibility_areas": len(task_areas),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--organisations", type=int, default=3000)
    parser.add_argument("--people", type=int, default=15000)
    parser.add_argument("--responsibilities", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    from flask_migrate import upgrade

    reset(args.db_url)
    app = make_app(args.db_url)
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        counts = generate(
            organisations=args.organisations,
            people=args.people,
            responsibilities=args.responsibilities,
            seed=args.seed,
        )
        db.session.execute(sa.text("ANALYZE"))  # planner statistics, on both backends
        db.session.commit()
        elapsed = time.perf_counter() - started
    for name, n in counts.items():
        print(f"{name:>30}: {n:>7}")
    print(f"generated into {args.db_url} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
