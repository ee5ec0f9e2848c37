"""placements and follow-ups

Revision ID: 0007_placements
Revises: 0006_participant_rights
Create Date: 2026-11-25 12:17:38.720135

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_placements'
down_revision = '0006_participant_rights'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('placement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('counsellor_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('occupation', sa.String(length=200), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('contract_type', sa.String(length=20), nullable=False),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('hours_per_week', sa.Integer(), nullable=True),
    sa.Column('wage_band', sa.String(length=20), nullable=True),
    sa.Column('phase_at_start', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=30), nullable=True),
    sa.Column('risk_level', sa.String(length=10), nullable=False),
    sa.Column('risk_signals', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['counsellor_id'], ['user.id'], name=op.f('fk_placement_counsellor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_placement_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_placement_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_placement_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_placement_proposal_id_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_placement_vacancy_id_vacancy'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_placement_proposal_id'))
    )
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_counsellor_id'), ['counsellor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_status'), ['status'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=12), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('contact_made', sa.Boolean(), nullable=True),
    sa.Column('still_employed', sa.Boolean(), nullable=True),
    sa.Column('hours_per_week', sa.Integer(), nullable=True),
    sa.Column('satisfaction_participant', sa.Integer(), nullable=True),
    sa.Column('satisfaction_employer', sa.Integer(), nullable=True),
    sa.Column('risk_signals', sa.JSON(), nullable=False),
    sa.Column('support', sa.JSON(), nullable=False),
    sa.Column('support_due', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_follow_up_done_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_follow_up_placement_id_placement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_placement_id'), ['placement_id'], unique=False)

    op.create_table('follow_up_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follow_up_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['follow_up_id'], ['follow_up.id'], name=op.f('fk_follow_up_reminder_follow_up_id_follow_up'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_reminder')),
    sa.UniqueConstraint('follow_up_id', 'due_date', name='uq_follow_up_reminder_due')
    )


def downgrade():
    op.drop_table('follow_up_reminder')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_placement_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_due_date'))

    op.drop_table('follow_up')
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_status'))
        batch_op.drop_index(batch_op.f('ix_placement_participant_id'))
        batch_op.drop_index(batch_op.f('ix_placement_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_placement_counsellor_id'))

    op.drop_table('placement')
