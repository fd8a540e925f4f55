"""Feeds tests reuse the tables' network and the invites' seated table."""

from tests.invites.conftest import make_table, seat_everyone, seated  # noqa: F401
from tests.tables.conftest import network  # noqa: F401
