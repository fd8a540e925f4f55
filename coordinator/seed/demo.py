"""Placeholder: the demo data set is built in a follow-up commit."""

from __future__ import annotations


def seed_demo() -> str:
    return "nothing yet"
