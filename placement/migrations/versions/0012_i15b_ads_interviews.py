"""i15b: "publish anyway" records of the wording check; interview times; "still interested?"

Revision ID: 0012_i15b_ads_interviews
Revises: 0011_i15a_notifications_accounts
Create Date: 2026-12-06 07:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_i15b_ads_interviews"
down_revision = "0011_i15a_notifications_accounts"
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

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_active_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("wants_suggestions", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.alter_column("wants_suggestions", server_default=None)
    # The last sign-in is the best record of activity there is so far.
    op.execute(
        'UPDATE participant SET last_active_at = (SELECT u.last_login_at FROM "user" u '
        "WHERE u.id = participant.user_id)"
    )
    op.create_table(
        "interest_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("mail_status", sa.String(length=12), nullable=True),
        sa.Column("mail_claimed_at", sa.DateTime(), nullable=True),
        sa.Column("mailed_at", sa.DateTime(), nullable=True),
        sa.Column("answer", sa.String(length=3), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by_role", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_interest_check_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_check")),
        sa.UniqueConstraint("participant_id", "since", name="uq_interest_check_since"),
    )
    with op.batch_alter_table("interest_check", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interest_check_participant_id"), ["participant_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("interest_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_check_participant_id"))
    op.drop_table("interest_check")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("wants_suggestions")
        batch_op.drop_column("last_active_at")
    with op.batch_alter_table("interview_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_slot_proposal_id"))
    op.drop_table("interview_slot")
    with op.batch_alter_table("wording_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wording_override_vacancy_id"))
    op.drop_table("wording_override")
