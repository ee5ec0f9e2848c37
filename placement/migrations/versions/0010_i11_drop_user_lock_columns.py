"""i11: drop user.failed_logins and user.locked_until (superseded by the login_failure table)

Revision ID: 0010_i11_drop_user_lock_columns
Revises: 0009_proposal_note
Create Date: 2026-12-06 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_i11_drop_user_lock_columns'
down_revision = '0009_proposal_note'
branch_labels = None
depends_on = None


def upgrade():
    # Throttling is kept per e-mail and address in login_failure (0008): these were unused.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
