"""``flask directory import-csv``: the same import for files too large for a web request.

Prints progress while checking, then every problem; writes only with ``--commit`` and only
when there is no problem at all (all or nothing, as on the import page).
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import click
import sqlalchemy as sa

from coordinator.directory import bp
from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_import import ImportPlan, commit_plan, plan_import
from coordinator.extensions import db


def read_files(paths: tuple[Path, ...]) -> dict[Sheet, bytes]:
    """Sheets from ``organisaties.csv`` … ``taken.csv`` files, or from a ZIP export."""
    files: dict[Sheet, bytes] = {}
    names = {f"{sheet.value}.csv": sheet for sheet in Sheet}
    for path in paths:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if Path(name).name in names:
                        files[names[Path(name).name]] = archive.read(name)
        elif path.name in names:
            files[names[path.name]] = path.read_bytes()
        else:
            raise click.BadParameter(
                f"{path.name}: noem het bestand {', '.join(names)} of geef een ZIP-export"
            )
    return files


@bp.cli.command("import-csv")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--as", "email", required=True, help="E-mailadres van een beheerder of coördinator")
@click.option("--commit", is_flag=True, help="Opslaan als er geen fouten zijn (anders proefimport)")
def import_csv(paths: tuple[Path, ...], email: str, commit: bool) -> None:
    """Importeer sociale-kaartbestanden (proefimport tenzij --commit)."""
    from coordinator.auth.models import User

    user = db.session.scalar(sa.select(User).filter_by(email=email.lower()))
    if user is None:
        raise click.ClickException(f"Geen account met e-mailadres {email}")

    def progress(sheet: Sheet, done: int, total: int) -> None:
        click.echo(f"\r{sheet.value}: {done}/{total} rijen gecontroleerd", nl=done == total)

    plan = plan_import(read_files(paths), user, progress)
    for sheet in Sheet:
        if sheet in plan.rows_read:
            click.echo(_summary(plan, sheet))
    for problem in plan.problems:
        click.echo(str(problem), err=True)
    for warning in plan.warnings:
        click.echo(f"let op: {warning}", err=True)
    if not plan.ok:
        raise click.ClickException(f"{len(plan.problems)} fout(en); er is niets opgeslagen.")
    if commit:
        commit_plan(plan, user)
        click.echo(f"Opgeslagen: {plan.total_rows} rijen.")
    else:
        click.echo("Proefimport zonder fouten; voeg --commit toe om op te slaan.")


def _summary(plan: ImportPlan, sheet: Sheet) -> str:
    """``organisaties: 4 rijen (2 nieuw, 1 ongewijzigd, 1 met fouten)``."""
    broken = {problem.row for problem in plan.problems if problem.sheet == sheet}
    outcomes = Counter(
        record.outcome for record in plan.records.get(sheet, []) if record.row not in broken
    )
    parts = [f"{n} {outcome}" for outcome, n in outcomes.items()]
    if broken:
        parts.append(f"{len(broken)} met fouten")
    return f"{sheet.value}: {plan.rows_read[sheet]} rijen ({', '.join(parts) or 'leeg'})"
