"""video_analyses: uploaded videos of a set and their analysis jobs (status, progress, result)

Revision ID: camera_app
Revises: clinician_lock
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "camera_app"
down_revision = "clinician_lock"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("file_path", sa.String(length=500), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("keep_video", sa.Boolean(), nullable=False),
        sa.Column("hold_s", sa.Float(), nullable=True),
        sa.Column("job_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_video_analyses_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_analyses")),
    )
    op.create_index("ix_video_analyses_person_created", "video_analyses", ["person_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_video_analyses_person_created", table_name="video_analyses")
    op.drop_table("video_analyses")
