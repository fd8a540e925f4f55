"""What each person was last sent for a series: the SEQUENCE ledger of the iMIP invites.

The outbox forgets a mail after ``purge-sent-mail`` (31 days for mail with a dedup key), but a
recipient's calendar keeps our last REQUEST or CANCEL for as long as the series runs. This
ledger keeps the part of that history ``invites.send`` needs to stay above it, for good.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.extensions import db


class SentSequence(db.Model):
    """The highest SEQUENCE of a series-level invite sent to one person, and its METHOD.

    One row per (series, person), written in the transaction that queues the mail. Only ids:
    no address or name. Occurrence-level mails (RECURRENCE-ID) are not recorded here; their
    SEQUENCE lives on the ``OccurrenceChange`` row.
    """

    __tablename__ = "sent_sequences"

    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("table_series.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The highest SEQUENCE of any series-level REQUEST or CANCEL sent to this person.
    sequence: Mapped[int]
    #: METHOD of the last series-level mail queued for them: "REQUEST" or "CANCEL".
    method: Mapped[str] = mapped_column(sa.String(10))

    def __repr__(self) -> str:
        return f"<SentSequence {self.series_id}/{self.person_id} {self.method} {self.sequence}>"
