"""i15b: "publish anyway" records of the wording check

Revision ID: 0010_i15b_publish_interviews_interest
Revises: 0009_proposal_note
Create Date: 2026-12-06 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_i15b_publish_interviews_interest'
down_revision = '0009_proposal_note'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wording_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_wording_override_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_wording_override_vacancy_id_vacancy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wording_override'))
    )
    with op.batch_alter_table('wording_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wording_override_vacancy_id'), ['vacancy_id'], unique=False)


def downgrade():
    with op.batch_alter_table('wording_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wording_override_vacancy_id'))
    op.drop_table('wording_override')
