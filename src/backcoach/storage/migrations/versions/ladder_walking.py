"""pain_entries.walked_minutes: minutes walked the day before a check-in (the daily walking
goal, issue 14). Check-ins stored before it have none.

Revision ID: ladder
Revises: live
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ladder"
down_revision = "live"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:
        batch.add_column(sa.Column("walked_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:
        batch.drop_column("walked_minutes")
