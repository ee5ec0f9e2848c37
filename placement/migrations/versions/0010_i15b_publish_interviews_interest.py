"""i15b: "publish anyway" records of the wording check; interview times

Revision ID: 0010_i15b_publish_interviews_interest
Revises: 0009_proposal_note
Create Date: 2026-12-06 07:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_i15b_publish_interviews_interest"
down_revision = "0009_proposal_note"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "wording_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user.id"],
            name=op.f("fk_wording_override_actor_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancy.id"],
            name=op.f("fk_wording_override_vacancy_id_vacancy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wording_override")),
    )
    with op.batch_alter_table("wording_override", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wording_override_vacancy_id"), ["vacancy_id"], unique=False
        )

    op.create_table(
        "interview_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_role", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user.id"],
            name=op.f("fk_interview_slot_decided_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_interview_slot_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user.id"],
            name=op.f("fk_interview_slot_proposed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_slot")),
    )
    with op.batch_alter_table("interview_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_slot_proposal_id"), ["proposal_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("interview_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_slot_proposal_id"))
    op.drop_table("interview_slot")
    with op.batch_alter_table("wording_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wording_override_vacancy_id"))
    op.drop_table("wording_override")
