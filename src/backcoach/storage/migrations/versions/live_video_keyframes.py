"""Uploaded videos: a heartbeat for their analysis jobs (a job silent for too long is given
up as failed), and the annotated keyframe of each repetition, kept after the video is deleted.

Revision ID: live
Revises: screening_v2
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "live"
down_revision = "screening_v2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("video_analyses") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "video_keyframes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("rep_index", sa.Integer(), nullable=False),
        sa.Column("t_s", sa.Float(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["video_id"], ["video_analyses.id"], name=op.f("fk_video_keyframes_video_id_video_analyses"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_video_keyframes_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_keyframes")),
        sa.UniqueConstraint("video_id", "rep_index", name="uq_video_keyframes_video_rep"),
    )
    op.create_index(op.f("ix_video_keyframes_person_id"), "video_keyframes", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_video_keyframes_person_id"), table_name="video_keyframes")
    op.drop_table("video_keyframes")
    with op.batch_alter_table("video_analyses") as batch:
        batch.drop_column("heartbeat_at")
