"""Command-line entry points: ``flask --app coordinator <command>``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app

from coordinator.extensions import db


@click.command("create-api-token")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="Label to recognise the token by.")
def create_api_token_command(email: str, name: str) -> None:
    """Create a personal API token for EMAIL and print it once."""
    from coordinator.auth.services import create_api_token, find_user_by_email

    user = find_user_by_email(email)
    if user is None or not user.is_active:
        raise click.ClickException(f"Geen actief account met e-mailadres {email}.")
    _token, plain = create_api_token(user, name)
    click.echo(plain)


@click.command("send-due")
@click.option("--batch-size", default=200, show_default=True)
def send_due_command(batch_size: int) -> None:
    """Deliver every due mail in the outbox once (for cron and tests)."""
    from coordinator.mail.delivery import deliver_due

    report = deliver_due(current_app._get_current_object(), batch_size=batch_size)  # noqa: SLF001
    click.echo(
        f"verstuurd: {report.sent}, later opnieuw: {report.retried}, mislukt: {report.failed}"
    )


@click.command("check-db")
def check_db_command() -> None:
    """Exit non-zero when the database is unreachable or has pending migrations."""
    from coordinator.health import pending_migrations

    db.session.execute(sa.text("SELECT 1"))
    pending = pending_migrations()
    if pending:
        raise click.ClickException(f"Openstaande migraties: {', '.join(pending)}")
    click.echo("database ok")


def register_commands(app: Flask) -> None:
    """Attach the CLI commands to the app."""
    from coordinator.seed import load_reference_data_command, seed_demo_command

    for command in (
        create_api_token_command,
        send_due_command,
        check_db_command,
        seed_demo_command,
        load_reference_data_command,
    ):
        app.cli.add_command(command)
