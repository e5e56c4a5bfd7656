"""web app tables: login attempts (rate limiting) and used one-time form tokens

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_login_attempts")),
    )
    op.create_index("ix_web_login_attempts_key_at", "web_login_attempts", ["key", "at"], unique=False)
    op.create_table(
        "web_form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_form_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_web_form_submissions_token")),
    )


def downgrade() -> None:
    op.drop_table("web_form_submissions")
    op.drop_index("ix_web_login_attempts_key_at", table_name="web_login_attempts")
    op.drop_table("web_login_attempts")
