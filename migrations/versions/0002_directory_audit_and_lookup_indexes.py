"""directory: audit log, topic clusters, lookup indexes

Adds ``audit_entries`` (who changed what in the directory, old -> new), ``topics.cluster``
(neighbouring topics for empty lookups) and indexes that let the "wie doet wat" lookup start
from a topic, target group or area instead of scanning the association tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:25:42.914178

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('aangemaakt', 'gewijzigd', 'verwijderd', name='auditaction', native_enum=False, length=32), nullable=False),
    sa.Column('entity_label', sa.String(length=300), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_audit_entries_actor_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_audit_entries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_entity', ['entity_type', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_entries_organisation_at', ['organisation_id', 'at'], unique=False)

    with op.batch_alter_table('organisation_areas', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_areas_area_id', ['area_id'], unique=False)

    with op.batch_alter_table('responsibility_areas', schema=None) as batch_op:
        batch_op.create_index('ix_responsibility_areas_lookup', ['area_id', 'responsibility_id'], unique=False)

    with op.batch_alter_table('responsibility_target_groups', schema=None) as batch_op:
        batch_op.create_index('ix_responsibility_target_groups_lookup', ['target_group_id', 'responsibility_id'], unique=False)

    with op.batch_alter_table('responsibility_topics', schema=None) as batch_op:
        batch_op.create_index('ix_responsibility_topics_lookup', ['topic_id', 'responsibility_id'], unique=False)

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cluster', sa.String(length=80), nullable=True))



def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('cluster')

    with op.batch_alter_table('responsibility_topics', schema=None) as batch_op:
        batch_op.drop_index('ix_responsibility_topics_lookup')

    with op.batch_alter_table('responsibility_target_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_responsibility_target_groups_lookup')

    with op.batch_alter_table('responsibility_areas', schema=None) as batch_op:
        batch_op.drop_index('ix_responsibility_areas_lookup')

    with op.batch_alter_table('organisation_areas', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_areas_area_id')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_organisation_at')
        batch_op.drop_index('ix_audit_entries_entity')

    op.drop_table('audit_entries')
