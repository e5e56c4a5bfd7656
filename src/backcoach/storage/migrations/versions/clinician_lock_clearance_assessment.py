"""clearances.ruled_out and clearances.seen_where: what the clinician who lifted a lock
ruled out, and where the person was seen (asked on every clearance; older rows keep NULL);
decisions.by_name: the name of the clinician who made an adjustment, shown wherever it is

Revision ID: clinician_lock
Revises: security_b
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "clinician_lock"
down_revision = "security_b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clearances") as batch:
        batch.add_column(sa.Column("ruled_out", sa.Text(), nullable=True))
        batch.add_column(sa.Column("seen_where", sa.String(length=300), nullable=True))
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("by_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("by_name")
    with op.batch_alter_table("clearances") as batch:
        batch.drop_column("seen_where")
        batch.drop_column("ruled_out")
