"""feeds: shared cache of serialised feed bodies; per-table feed revision (issue 9)

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-23 11:47:27.005463

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_cache",
        sa.Column(
            "scope",
            sa.Enum(
                "person",
                "organisation",
                "table",
                "area",
                name="feedscope",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "target_id", name=op.f("pk_feed_cache")),
    )
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("feed_revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("feed_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("tables", schema=None) as batch_op:
        batch_op.drop_column("feed_changed_at")
        batch_op.drop_column("feed_revision")

    op.drop_table("feed_cache")
