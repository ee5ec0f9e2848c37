"""outreach contact log

Revision ID: 0004_outreach
Revises: 0003_modules
Create Date: 2026-11-25 13:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_outreach'
down_revision = '0003_modules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('next_step', sa.String(length=300), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_contact_entry_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_contact_entry_done_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_contact_entry_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_entry'))
    )
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_entry_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_entry_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_entry_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_contact_entry_due_on'))

    op.drop_table('contact_entry')
