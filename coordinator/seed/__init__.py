"""Reference data and the fictional demo district (``flask --app coordinator seed-demo``)."""

from __future__ import annotations

import click

from coordinator.errors import DomainError


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill an empty database with the demo district of Zuidoost and Nieuw-West (idempotent)."""
    from coordinator.seed.demo import seed_demo

    try:
        report = seed_demo()
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(str(report))


@click.command("load-reference-data")
def load_reference_data_command() -> None:
    """Add Amsterdam's areas and the topic and target-group taxonomies where missing."""
    from coordinator.extensions import db
    from coordinator.seed.reference import ensure_reference_data

    added = ensure_reference_data()
    db.session.commit()
    click.echo(f"referentiegegevens toegevoegd: {added}")
