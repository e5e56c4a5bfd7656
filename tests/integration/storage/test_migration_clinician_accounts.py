"""Migration `clinician_accounts`: clinician accounts that existed before approvals start out pending."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from backcoach.storage.database import get_engine, head_revision, upgrade


def test_existing_clinicians_become_pending_and_others_stay_unset(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    assert upgrade(url, "camera_app") == "camera_app"
    engine = get_engine(url)
    with engine.begin() as conn:
        for email, role in (("doc@x.org", "clinician"), ("boss@x.org", "admin"), ("ana@x.org", "person")):
            conn.execute(text("INSERT INTO users (email, password_hash, role, display_name, created_at, active) "
                              "VALUES (:e, 'x', :r, :e, '2026-01-01 00:00:00', 1)"), {"e": email, "r": role})
    assert upgrade(url) == head_revision()
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT email, approval FROM users")).all())
    assert rows == {"doc@x.org": "pending", "boss@x.org": None, "ana@x.org": None}
    from alembic import command

    from backcoach.storage.database import alembic_config

    command.downgrade(alembic_config(url, engine), "camera_app")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 3
