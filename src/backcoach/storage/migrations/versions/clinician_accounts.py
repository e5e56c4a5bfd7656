"""users: clinician approval (pending | approved | refused), profession, registration number,
and who decided the approval and when (DESIGN §8: a clinician account is pending until an
administrator approves it)

Clinician accounts that already exist become *pending*: nobody has checked them, and the
safe default is that they see no one's data until an administrator approves them
(`backcoach clinicians list` / `approve EMAIL`, or the Clinicians page). Person and
administrator accounts keep approval NULL.

Revision ID: clinician_accounts
Revises: camera_app
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "clinician_accounts"
down_revision = "camera_app"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("approval", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("profession", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("registration_number", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("approval_decided_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("approval_decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(op.f("fk_users_approval_decided_by_users"), "users", ["approval_decided_by"], ["id"],
                                 ondelete="SET NULL")
    op.execute("UPDATE users SET approval = 'pending' WHERE role = 'clinician'")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("fk_users_approval_decided_by_users"), type_="foreignkey")
        batch.drop_column("approval_decided_at")
        batch.drop_column("approval_decided_by")
        batch.drop_column("registration_number")
        batch.drop_column("profession")
        batch.drop_column("approval")
