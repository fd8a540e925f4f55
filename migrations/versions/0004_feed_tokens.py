"""feeds: secret calendar-feed tokens (scope person|organisation|table|area, SHA-256 only)

Revision ID: 0004
Revises: 0007
Create Date: 2026-11-23 11:07:45.953999

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('person', 'organisation', 'table', 'area', name='feedscope', native_enum=False, length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_feed_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_feed_tokens_scope_target', ['scope', 'target_id'], unique=False)



def downgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_feed_tokens_scope_target')
        batch_op.drop_index(batch_op.f('ix_feed_tokens_created_by_id'))

    op.drop_table('feed_tokens')
