"""questions: the question board ("Vraag aan het netwerk")

Adds ``questions``, their ``question_answers`` (an answer may point at the directory
responsibility made from it, which survives the thread), ``question_recipients`` (who was
notified, by organisation/role/table; the inbox of those with an account) and
``question_preferences`` (opt-in to questions from the areas of one's tables).

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-23 10:57:07.961874

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notify_questions', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_question_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_question_preferences'))
    )
    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asker_user_id', sa.Integer(), nullable=True),
    sa.Column('asker_organisation_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'opgelost', name='questionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_questions_area_id_areas')),
    sa.ForeignKeyConstraint(['asker_organisation_id'], ['organisations.id'], name=op.f('fk_questions_asker_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['asker_user_id'], ['users.id'], name=op.f('fk_questions_asker_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_group_id'], ['target_groups.id'], name=op.f('fk_questions_target_group_id_target_groups')),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_questions_topic_id_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_asker_organisation_id'), ['asker_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_asker_user_id'), ['asker_user_id'], unique=False)
        batch_op.create_index('ix_questions_status_created_at', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_target_group_id'), ['target_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_topic_id'), ['topic_id'], unique=False)

    op.create_table('question_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('is_best', sa.Boolean(), nullable=False),
    sa.Column('responsibility_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_question_answers_author_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_question_answers_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_answers_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsibility_id'], ['responsibilities.id'], name=op.f('fk_question_answers_responsibility_id_responsibilities'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_answers'))
    )
    with op.batch_alter_table('question_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_answers_author_user_id'), ['author_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_answers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_answers_responsibility_id'), ['responsibility_id'], unique=False)

    op.create_table('question_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('taak', 'organisatie', 'tafel', name='recipientreason', native_enum=False, length=32), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_question_recipients_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_question_recipients_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_recipients_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_question_recipients_role_id_roles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['table_id'], ['tables.id'], name=op.f('fk_question_recipients_table_id_tables'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_question_recipients_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_recipients')),
    sa.UniqueConstraint('question_id', 'person_id', name=op.f('uq_question_recipients_question_id_person_id'))
    )
    with op.batch_alter_table('question_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_recipients_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_recipients_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_recipients_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('question_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_recipients_user_id'))
        batch_op.drop_index(batch_op.f('ix_question_recipients_person_id'))
        batch_op.drop_index(batch_op.f('ix_question_recipients_organisation_id'))

    op.drop_table('question_recipients')
    with op.batch_alter_table('question_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_answers_responsibility_id'))
        batch_op.drop_index(batch_op.f('ix_question_answers_question_id'))
        batch_op.drop_index(batch_op.f('ix_question_answers_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_question_answers_author_user_id'))

    op.drop_table('question_answers')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_topic_id'))
        batch_op.drop_index(batch_op.f('ix_questions_target_group_id'))
        batch_op.drop_index('ix_questions_status_created_at')
        batch_op.drop_index(batch_op.f('ix_questions_asker_user_id'))
        batch_op.drop_index(batch_op.f('ix_questions_asker_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_questions_area_id'))

    op.drop_table('questions')
    op.drop_table('question_preferences')
