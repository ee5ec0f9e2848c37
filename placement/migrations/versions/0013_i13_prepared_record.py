"""prepared records: what the engine derived of a record, kept between processes (issue 13)

Revision ID: 0013_i13_prepared_record
Revises: 0012_i15b_ads_interviews
Create Date: 2026-12-06 07:25:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_i13_prepared_record'
down_revision = '0012_i15b_ads_interviews'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'prepared_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('features', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_record')),
        sa.UniqueConstraint('key', name=op.f('uq_prepared_record_key')),
    )


def downgrade():
    op.drop_table('prepared_record')
