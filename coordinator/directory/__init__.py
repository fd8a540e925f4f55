"""The shared directory ("wie doet wat"): organisations, roles, people and boundaries.

Package guide:

* ``models`` – areas, taxonomies, organisations, roles, people, assignments, responsibilities
  (handles / does *not* handle) and the audit log.
* ``lookup`` – the "Wie doet wat?" answer: who handles a topic for a group in an area, who
  explicitly does not and why, ranked, with staleness and alternatives; its pure rules are in
  ``ranking`` and its queries in ``candidates``.
* ``visibility`` – the openbaar / netwerk / organisatie tiers and consent, as pure rules and
  matching SQL filters; ``access`` – who may change what.
* ``services`` (organisations, roles, responsibilities) and ``people`` (people, assignments,
  leaving, erasure) – every change: rights check, validation, audit entry, one commit.
* ``audit`` – recording and reading history; ``browse`` – search and the organisation page.
* ``views`` / ``edit_views`` / ``forms`` – HTML pages; ``api`` / ``api_docs`` / ``serialise`` –
  /api/v1; ``cli`` – ``flask directory …``.

Other capabilities react to a person leaving through :data:`coordinator.signals.person_left`;
the scheduler calls :func:`coordinator.directory.people.erase_departed_people` daily (also
available as ``flask directory erase-departed``).
"""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/wie-doet-wat")

import coordinator.directory.io_views  # noqa: E402,F401  (import, export, print)
from coordinator.directory import views  # noqa: E402,F401

# isort: split
from coordinator.directory import cli, edit_views  # noqa: E402,F401
