"""Domain signals (blinker) that let one capability react to another without importing it.

Senders emit *before* their service commits, so a subscriber can add rows (e.g. outbox mail)
to the same transaction; if the service then fails, nothing of either is stored. Subscribers
must not commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# --- directory ---------------------------------------------------------------------------

#: A person left their organisation ("uit dienst melden").
#: sender: the Person; kwargs: ``on_date`` (date), ``actor`` (User or None).
person_left = _signals.signal("person-left")

# --- tables ------------------------------------------------------------------------------

#: A seat got its first holder or a new seat was added with a holder.
#: sender: the Seat; kwargs: ``person`` (Person or None when the seat was added vacant),
#: ``actor`` (User or None).
seat_filled = _signals.signal("seat-filled")

#: A seat passed from one person to another (successor picked or deputy promoted).
#: sender: the Seat; kwargs: ``old_person`` (Person or None), ``new_person`` (Person),
#: ``on_date`` (date), ``note`` (str), ``actor`` (User or None). Future invitations should
#: go CANCEL to ``old_person`` and REQUEST to ``new_person``.
seat_handed_over = _signals.signal("seat-handed-over")

#: A seat was taken off the table (``removed_at`` set). sender: the Seat; kwargs: ``actor``.
#: Its holders who have no other seat at the table should get a CANCEL.
seat_removed = _signals.signal("seat-removed")

#: A series' schedule, location or details changed in place (same UID, SEQUENCE raised),
#: a first series was created, or a series was stopped by a pause (UNTIL added). When
#: ``sender.cancelled_at`` is set the whole series is off (send CANCEL for the UID).
#: sender: the TableSeries; kwargs: ``actor`` (User or None).
series_changed = _signals.signal("series-changed")

#: One occurrence moved (date, time, duration and/or location), or was restored to the
#: plain schedule (``change.status`` back to "gepland", ``new_start``/``location`` None).
#: sender: the TableSeries; kwargs: ``change`` (OccurrenceChange: ``recurrence_id`` local
#: naive, ``new_start``, ``location``, ``sequence``), ``actor`` (User or None).
occurrence_moved = _signals.signal("occurrence-moved")

#: One occurrence was cancelled or skipped (``change.status`` says which; ``change.reason``).
#: sender: the TableSeries; kwargs: ``change`` (OccurrenceChange), ``actor`` (User or None).
occurrence_cancelled = _signals.signal("occurrence-cancelled")

#: The schedule changed from a date onwards: the old series got an UNTIL (SEQUENCE raised),
#: a new series with a new UID starts.
#: sender: the Table; kwargs: ``old_series``, ``new_series`` (TableSeries), ``actor``.
series_split = _signals.signal("series-split")

#: The table ended; every future occurrence is off (each live series got an UNTIL or
#: ``cancelled_at``, SEQUENCE raised; no separate ``series_changed`` is sent).
#: sender: the Table; kwargs: ``on_date`` (date), ``actor`` (User or None).
table_ended = _signals.signal("table-ended")
