"""screenings.rule_version: the version of the red-flag rules that decided each screen
(DESIGN §2 version 2). Screens stored before it were decided by version 1, and keep it.

Revision ID: screening_v2
Revises: clinician_accounts
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "screening_v2"
down_revision = "clinician_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.add_column(sa.Column("rule_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("rule_version")
