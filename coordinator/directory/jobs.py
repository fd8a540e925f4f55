"""Scheduler job: erase personal contact details of people who left, after the retention."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.directory.people import erase_departed_people
from coordinator.scheduling.registry import daily_at, local_today, register_job


def erase_departed(app: Flask) -> Mapping[str, int]:
    return {"erased": erase_departed_people(local_today(app))}


register_job(
    "erase-departed-people",
    erase_departed,
    daily_at(3, 45),
    description=_l("Wist contactgegevens van mensen die uit dienst zijn, na de bewaartermijn"),
)
