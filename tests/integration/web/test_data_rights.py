"""Data rights (DESIGN §8, issue 10): consent at sign-up kept with its version and time, a copy
of everything held (JSON and FHIR), and account deletion with a confirmation and a grace period
that removes the data everywhere and leaves the audit log only that a deletion happened."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import create_engine, text

from .conftest import PASSWORD, new_client, person_with_program, sign_up


def _db(app):
    return create_engine(app.state.engine.url)


def _count(app, sql: str, **params) -> int:
    engine = _db(app)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def test_sign_up_needs_consent_and_keeps_its_version_and_time(app, clock):
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    email = f"c-{uuid.uuid4().hex[:6]}@example.org"
    body = {"email": email, "password": PASSWORD, "display_name": "Cee"}
    r = client.post("/api/auth/signup", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400 and "privacy notice" in r.json()["detail"]
    assert _count(app, "SELECT count(*) FROM users WHERE email = :e", e=email) == 0
    r = client.post("/api/auth/signup", json={**body, "accept_privacy_notice": True}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text
    version = client.get("/api/privacy-notice").json()["version"]
    engine = _db(app)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT consent_version, consent_at FROM users WHERE email = :e"), {"e": email}).one()
    engine.dispose()
    assert row[0] == version and row[1] is not None

    page = new_client(app).get("/signup")
    assert 'name="accept_privacy_notice"' in page.text and 'href="/privacy"' in page.text
    assert new_client(app).get("/privacy").status_code == 200


def test_the_sign_up_form_without_the_box_ticked_keeps_nothing(app):
    client = new_client(app)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signup").text).group(1)
    email = f"f-{uuid.uuid4().hex[:6]}@example.org"
    r = client.post("/signup", data={"csrf_token": csrf, "email": email, "password": PASSWORD, "display_name": "F",
                                     "role": "person"})
    assert r.status_code == 400 and "privacy notice" in r.text
    assert _count(app, "SELECT count(*) FROM users WHERE email = :e", e=email) == 0


def test_a_person_downloads_everything_held_about_them(app):
    user = person_with_program(app)
    user.post("/api/pain", json={"nprs": 4, "note": "stairs"})
    r = user.get("/api/me/export/everything")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    tables = r.json()["tables"]
    assert tables["users"][0]["email"] == user.email and "password_hash" not in tables["users"][0]
    for name in ("people", "screenings", "assessments", "programs", "pain_entries", "audit_log"):
        assert tables.get(name), name
    assert tables["pain_entries"][0]["note"] == "stairs"
    assert all("key" not in s for s in tables.get("web_sessions", []))
    fhir = user.get("/api/me/export/fhir")
    assert fhir.status_code == 200 and fhir.json()["resourceType"] == "Bundle"
    page = user.client.get("/account").text
    assert 'href="/api/me/export/everything"' in page and 'href="/api/me/export/fhir"' in page


def test_deleting_needs_the_password_and_logging_in_within_the_grace_period_cancels(app, clock):
    user = person_with_program(app)
    assert user.post("/api/me/delete", json={"password": "not it at all"}).status_code == 400
    assert user.get("/api/auth/me").status_code == 200
    r = user.post("/api/me/delete", json={"password": PASSWORD})
    assert r.status_code == 202 and r.json()["grace_days"] == 7
    assert user.get("/api/auth/me").status_code == 401  # every log-in ended
    assert user.client.get("/api/auth/me").status_code == 401
    clock.advance(days=3)
    login = new_client(app)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login.get("/login").text).group(1)
    r = login.post("/login", data={"csrf_token": csrf, "email": user.email, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and "deletion-cancelled" in r.headers["location"]
    clock.advance(days=10)
    sign_up(app)  # someone else logs in: the purge runs, this account stays
    assert login.get("/api/auth/me").status_code == 200


def test_after_the_grace_period_the_account_and_all_its_data_are_gone(app, clock, tmp_path):
    clinician = sign_up(app, "clinician")
    code = clinician.post("/api/clinician/invitations").json()["code"]
    user = person_with_program(app, invitation_code=code)
    person_id = user.account["person_id"]
    user_id = user.account["id"]
    user.post("/api/pain", json={"nprs": 4, "note": "stairs"}, headers={"Idempotency-Key": "del-1"})
    video = tmp_path / "kept-video.mp4"
    video.write_bytes(b"not really a video")
    engine = _db(app)
    with engine.begin() as conn:  # a video the person chose to keep
        conn.execute(text("INSERT INTO video_analyses (person_id, exercise_id, status, progress, file_path, size_bytes, "
                          "keep_video, created_at) VALUES (:p, 'glute_bridge', 'done', 1.0, :f, 18, :t, :at)"),
                     {"p": person_id, "f": str(video), "t": True, "at": clock()})
        video_id = conn.execute(text("SELECT max(id) FROM video_analyses WHERE person_id = :p"), {"p": person_id}).scalar()
        conn.execute(text("INSERT INTO video_keyframes (video_id, person_id, rep_index, t_s, width, height, image) "
                          "VALUES (:v, :p, 1, 2.5, 640, 360, :img)"), {"v": video_id, "p": person_id, "img": b"\xff\xd8\xff"})
    engine.dispose()
    assert clinician.get(f"/api/clinician/people/{person_id}/export/fhir").status_code == 200  # audited
    html = user.client.get("/account").text
    tokens = user.page_tokens(html)
    r = user.client.post("/account/delete", data={**tokens, "password": "wrong password here"})
    assert r.status_code == 400 and "nothing was deleted" in r.text
    r = user.client.post("/account/delete", data={**tokens, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and "deletion-requested" in r.headers["location"]

    clock.advance(days=8)
    from backcoach.services import data_rights
    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as uow:
        assert data_rights.purge_deleted(uow, clock(), 7) >= 1
        uow.commit()

    assert _count(app, "SELECT count(*) FROM users WHERE id = :u", u=user_id) == 0
    assert _count(app, "SELECT count(*) FROM people WHERE id = :p", p=person_id) == 0
    for table in ("screenings", "assessments", "programs", "session_logs", "pain_entries", "decisions",
                  "clearances", "clinician_assignments"):
        assert _count(app, f"SELECT count(*) FROM {table} WHERE person_id = :p", p=person_id) == 0, table
    assert _count(app, "SELECT count(*) FROM web_sessions WHERE user_id = :u", u=user_id) == 0
    assert _count(app, "SELECT count(*) FROM video_analyses WHERE person_id = :p", p=person_id) == 0
    assert _count(app, "SELECT count(*) FROM video_keyframes WHERE person_id = :p", p=person_id) == 0
    assert not video.exists()
    assert _count(app, "SELECT count(*) FROM web_idempotency WHERE account_id = :u", u=user_id) == 0
    assert _count(app, "SELECT count(*) FROM invitations WHERE used_by_person_id = :p", p=person_id) == 0
    assert _count(app, "SELECT count(*) FROM audit_log WHERE person_id = :p OR actor_user_id = :u",
                  p=person_id, u=user_id) == 0
    assert _count(app, "SELECT count(*) FROM audit_log WHERE action = 'account.deleted'") >= 1
    assert _count(app, "SELECT count(*) FROM web_login_attempts WHERE key = :k", k=f"email:{user.email}") == 0
    login = new_client(app).post("/api/auth/token", json={"email": user.email, "password": PASSWORD})
    assert login.status_code in (400, 401)
    assert clinician.get("/api/clinician/people").status_code == 200


def test_purge_deleted_command(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from backcoach.cli import app as cli_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("BACKCOACH_DATA_DIR", str(tmp_path))
    from backcoach.settings import get_settings

    get_settings.cache_clear()
    r = CliRunner().invoke(cli_app, ["purge-deleted"])
    get_settings.cache_clear()
    assert r.exit_code == 0, r.output
    assert "0 accounts removed" in r.output
