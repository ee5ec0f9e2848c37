"""i13: partial index for the stamp of the matchable participants read by every match page

Revision ID: 0014_i13_matchable_index
Revises: 0013_i13_prepared_record
Create Date: 2026-12-06 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_i13_matchable_index'
down_revision = '0013_i13_prepared_record'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_participant_matchable_updated_at', 'participant', ['updated_at'], unique=False,
        postgresql_where=sa.text('consent_matching IS true'),
    )


def downgrade():
    op.drop_index('ix_participant_matchable_updated_at', table_name='participant')
