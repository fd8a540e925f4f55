"""How long the import's dry run takes on city-scale sheets (the "large file" case).

Exports the generated directory to the four CSV sheets, then times :func:`plan_import` on them
as a beheerder would upload them: every row re-validated, nothing written.

    .venv/bin/python -m bench.import_bench [--db-url ...]
"""

from __future__ import annotations

import argparse
import time

from bench.generate import DEFAULT_URL, make_app
from coordinator.auth.models import AccountRole, User
from coordinator.directory.io.columns import Sheet
from coordinator.directory.io.csv_export import export_sheet
from coordinator.directory.io.csv_import import plan_import
from coordinator.directory.models import Person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL)
    args = parser.parse_args()
    app = make_app(args.db_url)
    with app.test_request_context():
        admin = User(role=AccountRole.ADMIN, person=Person(name="Bench"))  # transient, never saved
        started = time.perf_counter()
        files = {sheet: export_sheet(sheet, admin).encode() for sheet in Sheet}
        exported = time.perf_counter() - started
        size = sum(len(data) for data in files.values()) / 1e6
        started = time.perf_counter()
        plan = plan_import(files, admin)
        planned = time.perf_counter() - started
    rows = ", ".join(f"{sheet.value} {n}" for sheet, n in plan.rows_read.items())
    print(f"export: {size:.1f} MB in {exported:.1f} s ({rows})")
    print(f"dry run: {plan.total_rows} rows in {planned:.1f} s, {len(plan.problems)} problems")
    for sheet in Sheet:
        print(f"  {sheet.value:>13}: {dict(plan.counts(sheet))}")


if __name__ == "__main__":
    main()
