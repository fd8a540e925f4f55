"""Fictional demo data for Zuidoost and Nieuw-West (``flask --app coordinator seed-demo``)."""

from __future__ import annotations

import click


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill an empty database with the demo district (idempotent)."""
    from coordinator.seed.demo import seed_demo

    summary = seed_demo()
    click.echo(summary)
