"""``flask directory …`` commands (cron-friendly fallbacks for the scheduler)."""

from __future__ import annotations

from datetime import date

import click

from coordinator.directory import bp


@bp.cli.command("erase-departed")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Reken vanaf deze dag (JJJJ-MM-DD); standaard vandaag.",
)
def erase_departed_command(today: object | None) -> None:
    """Erase personal contact details of people who left longer ago than the retention."""
    from coordinator.directory.people import erase_departed_people

    day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]  # noqa: DTZ011
    count = erase_departed_people(day)
    click.echo(f"gegevens verwijderd van {count} {'persoon' if count == 1 else 'personen'}")
