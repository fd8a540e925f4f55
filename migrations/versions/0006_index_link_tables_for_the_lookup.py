"""Index the responsibility link tables by topic, target group and area (the lookup's filters).

Their primary keys are led by responsibility_id, so "tasks for this topic / area" scanned the
whole table; on PostgreSQL these indexes halved the lookup baseline's server time at city scale
(bench/README.md). Plain CREATE INDEX: no table rebuild is needed on either backend.

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-23 11:10:20.730644

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_responsibility_topics_topic_id", "responsibility_topics", "topic_id"),
    ("ix_responsibility_target_groups_target_group_id", "responsibility_target_groups", "target_group_id"),
    ("ix_responsibility_areas_area_id", "responsibility_areas", "area_id"),
]


def upgrade():
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], unique=False)


def downgrade():
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
