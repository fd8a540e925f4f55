"""Issue 3 item 7: large imports from the command line, with progress, all or nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import sqlalchemy as sa

from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_import import plan_import
from coordinator.directory.models import Organisation, Responsibility
from coordinator.extensions import db
from tests.directory_io_data import SAMPLES, admin, make_taxonomy, sample_files


def test_progress_is_reported_per_sheet() -> None:
    make_taxonomy()
    rows = "".join(f"org-{n},Organisatie {n},formeel,sociaal,zuidoost\n" for n in range(2500))
    calls = []
    plan_import(
        {Sheet.ORGANISATIONS: f"slug,naam,soort,infrastructuur,gebieden\n{rows}".encode()},
        admin(),
        lambda sheet, done, total: calls.append((sheet, done, total)),
    )
    assert calls == [(Sheet.ORGANISATIONS, n, 2500) for n in (0, 1000, 2000, 2500)]


def test_cli_dry_run_then_commit_from_a_zip(runner, tmp_path: Path) -> None:
    make_taxonomy()
    user = admin()
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for sheet, data in sample_files().items():
            zf.writestr(f"{sheet.value}.csv", data)

    result = runner.invoke(args=["directory", "import-csv", "--as", user.email, str(archive)])
    assert result.exit_code == 0, result.output
    assert "taken: 3/3 rijen gecontroleerd" in result.output
    assert "organisaties: 2 rijen (2 nieuw)" in result.output
    assert "Proefimport zonder fouten" in result.output
    assert db.session.scalar(sa.select(Organisation).filter_by(slug="hushu-house")) is None

    result = runner.invoke(
        args=["directory", "import-csv", "--as", user.email, "--commit", str(archive)]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Responsibility)) == 3


def test_cli_refuses_and_names_problems(runner, tmp_path: Path) -> None:
    make_taxonomy()
    user = admin()
    broken = tmp_path / "taken.csv"
    broken.write_bytes((SAMPLES / "taken.csv").read_bytes().replace(b"huisvesting", b"wonen"))
    result = runner.invoke(
        args=["directory", "import-csv", "--as", user.email, "--commit", str(broken)]
    )
    assert result.exit_code == 1
    assert "taken, rij 2, kolom 'themas': Onbekend thema: wonen." in result.output
    assert "taken: 3 rijen (3 met fouten)" in result.output
    assert "niet wijzigen" not in result.output, "an unknown organisation is one problem"
    assert "er is niets opgeslagen" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Responsibility)) == 0
