"""outcome_responses: scored outcome questionnaires (activities score, pain and
interference, usual pain), each with the instrument version it was scored with

Revision ID: outcomes
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "outcomes"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("instrument", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_outcome_responses_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_responses")),
    )
    op.create_index("ix_outcome_responses_person_at", "outcome_responses", ["person_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outcome_responses_person_at", table_name="outcome_responses")
    op.drop_table("outcome_responses")
