"""calendaring: sent_sequences, the durable ledger of invite SEQUENCEs per series and person

Until now ``invites.send`` read what a person was sent from the outbox dedup keys, which
``purge-sent-mail`` deletes after 31 days. The upgrade seeds the ledger from the keys still
there, so nothing sent before the deploy is forgotten.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:13:42.534367

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sent_sequences",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_sent_sequences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["table_series.id"],
            name=op.f("fk_sent_sequences_series_id_table_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("series_id", "person_id", name=op.f("pk_sent_sequences")),
    )
    with op.batch_alter_table("sent_sequences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sent_sequences_person_id"), ["person_id"], unique=False
        )
    _seed_from_outbox()


def _seed_from_outbox():
    """Series-level invites still in the outbox: highest SEQUENCE and last METHOD per person.

    Readable keys look like ``invite:METHOD:PERSON:SEQUENCE:series:EXTRA:UID`` (hashed keys,
    too long to store, cannot be read and are skipped, as before).
    """
    bind = op.get_bind()
    series_ids = dict(bind.execute(sa.text("SELECT uid, id FROM table_series")).all())
    people = {row[0] for row in bind.execute(sa.text("SELECT id FROM people"))}
    keys = bind.execute(
        sa.text(
            "SELECT dedup_key FROM outbox_messages WHERE dedup_key LIKE 'invite:%:series:%' "
            "ORDER BY id"
        )
    ).scalars()
    ledger = {}
    for key in keys:
        parts = key.split(":", 5)
        if len(parts) < 6 or parts[4] != "series" or parts[1] not in ("REQUEST", "CANCEL"):
            continue
        try:
            person_id, sequence = int(parts[2]), int(parts[3])
        except ValueError:
            continue
        series_id = series_ids.get(parts[5].rsplit(":", 1)[-1])
        if series_id is None or person_id not in people:
            continue
        earlier = ledger.get((series_id, person_id))
        ledger[(series_id, person_id)] = (
            max(sequence, earlier[0] if earlier else sequence),
            parts[1],
        )
    if ledger:
        op.bulk_insert(
            sa.table(
                "sent_sequences",
                sa.column("series_id", sa.Integer()),
                sa.column("person_id", sa.Integer()),
                sa.column("sequence", sa.Integer()),
                sa.column("method", sa.String()),
            ),
            [
                {"series_id": s, "person_id": p, "sequence": seq, "method": method}
                for (s, p), (seq, method) in ledger.items()
            ],
        )


def downgrade():
    with op.batch_alter_table("sent_sequences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sent_sequences_person_id"))

    op.drop_table("sent_sequences")
