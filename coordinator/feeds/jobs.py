"""Scheduler job: drop cached feed bodies nobody has rebuilt for a few days."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.feeds import cache
from coordinator.scheduling.registry import daily_at, register_job


def prune_feed_cache(app: Flask) -> Mapping[str, int]:
    return {"pruned": cache.prune()}


register_job(
    "prune-feed-cache",
    prune_feed_cache,
    daily_at(4, 15),
    description=_l("Ruimt opgeslagen agenda-feeds op die niet meer worden opgevraagd"),
)
