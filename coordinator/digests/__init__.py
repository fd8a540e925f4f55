"""Digests and housekeeping mail (issue 6 part 5), sent by the scheduler.

* ``continuity`` – the weekly continuity digest to each coordinator, over their stadsdelen
  (vacant seats, repeated absences, funding ending, paused tables, stale entries), built from
  the tables dashboard's :func:`coordinator.tables.dashboard.continuity`.
* ``verification`` – the monthly "controleer uw gegevens" mail to partner-redacteuren whose
  organisation's entries were not verified for ``STALE_AFTER_DAYS``.
* ``jobs`` – their registration with the scheduler.

Both are idempotent: the outbox's unique ``dedup_key`` (per user and ISO week, per user and
month) makes a second run, a catch-up run or a concurrent scheduler queue nothing more.
"""
