"""Issue 10, findings 1, 6, 12 and 13 on both databases: the request body limit (before
authentication), control characters refused with 422, a database that cannot be used
gives a clear 503 without its address, and the headers every response carries.
(Finding 7, the keep-alive connection after a 500, needs a real server: test_keepalive.py.)"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import event

from backcoach.settings import Settings
from backcoach.web import WebOptions, create_app

from .conftest import PASSWORD, new_client, sign_up

NUL = "\x00"


# -- 1: the body limit ----------------------------------------------------------------------

def test_an_anonymous_large_json_body_is_refused_with_413_before_authentication(app):
    client = new_client(app)
    body = json.dumps({"nprs": 3, "note": "x" * (2 * 1024 * 1024)})
    r = client.post("/api/pain", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    assert "too large" in r.json()["detail"] and "64 KB" in r.json()["detail"]


def test_a_large_form_is_refused_with_a_page_that_says_so(app):
    client = new_client(app)
    r = client.post("/login", data={"email": "a@example.org", "password": "p" * 100_000})
    assert r.status_code == 413
    assert "text/html" in r.headers["content-type"] and "too large" in r.text


def test_a_large_body_without_content_length_is_counted_while_read(app):
    """A chunked upload (no Content-Length) is refused as it passes the limit."""
    client = new_client(app)

    def chunks():
        for _ in range(200):
            yield b"x" * 4096

    r = client.post("/api/pain", content=chunks(), headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 413, r.text


def test_a_huge_unknown_key_is_not_echoed_in_the_422(app):
    user = sign_up(app)
    key = "k" * 50_000
    r = user.post("/api/pain", json={"nprs": 3, key: 1})
    assert r.status_code == 422, r.text
    assert len(r.content) < 2000 and "kkkkk" in r.text  # the field is named, cut short
    assert all("input" not in e for e in r.json()["errors"])


def test_the_per_path_limits_are_a_settings_table(monkeypatch, tmp_path):
    from backcoach.web.limits import body_limit

    assert body_limit("/api/pain", 65536, {"/api/videos": 10**8}) == 65536
    assert body_limit("/api/videos", 65536, {"/api/videos": 10**8}) == 10**8
    assert body_limit("/api/videos/3/file", 65536, {"/api/videos": 10**8}) == 10**8
    assert body_limit("/api/videosx", 65536, {"/api/videos": 10**8}) == 65536
    monkeypatch.setenv("BACKCOACH_MAX_BODY_BYTES", "32768")
    monkeypatch.setenv("BACKCOACH_BODY_LIMITS", '{"/api/videos": 1000000}')
    s = Settings(data_dir=tmp_path, secret_key="x")
    assert s.max_body_bytes == 32768 and s.body_limits == {"/api/videos": 1000000}
    monkeypatch.delenv("BACKCOACH_BODY_LIMITS")
    assert Settings(data_dir=tmp_path, secret_key="x").body_limits["/api/videos"] >= 100 * 1024 * 1024


# -- 6: control characters ------------------------------------------------------------------

def _signup_body(**overrides):
    body = {"email": f"nul-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD, "display_name": "Nul Test",
            "accept_privacy_notice": True}
    body.update(overrides)
    return body


@pytest.mark.parametrize("field,value", [
    ("email", f"a{NUL}b@example.org"), ("display_name", f"Ana{NUL}"), ("password", f"{PASSWORD}{NUL}"),
    ("invitation_code", f"AB{NUL}CD"), ("display_name", "bell\x07"), ("display_name", "esc\x1b[31m"),
    ("display_name", "c1\x85"), ("display_name", "half \ud800 surrogate"),
])
def test_control_characters_in_sign_up_are_refused_with_422_before_log_in(app, field, value):
    client = new_client(app)
    body = json.dumps(_signup_body(**{field: value}))  # ensure_ascii: every character arrives as \uXXXX
    r = client.post("/api/auth/signup", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert field in r.json()["detail"] and "control character" in r.json()["detail"]


@pytest.mark.parametrize("value", ["c1\x85", "del\x7f"])
def test_control_characters_sent_unescaped_in_json_are_refused_too(app, value):
    """The guard skips parsing a body without escapes only when the whole body is text."""
    client = new_client(app)
    body = json.dumps(_signup_body(display_name=value), ensure_ascii=False).encode("utf-8")
    assert b"\\" not in body
    r = client.post("/api/auth/signup", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert "display_name" in r.json()["detail"] and "control character" in r.json()["detail"]


def test_control_characters_in_a_key_the_query_or_a_page_form_are_refused(app):
    client = new_client(app)
    r = client.post("/api/auth/login", content=json.dumps({"email": "a@b.org", "password": "x", f"k{NUL}": 1}),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and NUL not in r.text
    r = client.get("/login?next=%00")
    assert r.status_code == 422 and "control character" in r.text
    page = client.get("/signup")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/signup", data={"csrf_token": csrf, "email": "p@example.org", "password": PASSWORD,
                                     "display_name": f"Ana{NUL}", "role": "person", "accept_privacy_notice": "yes"})
    assert r.status_code == 422 and "display_name" in r.text and "text/html" in r.headers["content-type"]
    r = client.post("/signup", files={"x": ("a.txt", b"...")},
                    data={"csrf_token": csrf, "display_name": f"Ana{NUL}"})
    assert r.status_code == 422, r.text


def test_notes_keep_tabs_and_new_lines_but_not_nul(app):
    user = sign_up(app)
    r = user.post("/api/pain", json={"nprs": 3, "note": f"worse{NUL}today"})
    assert r.status_code == 422 and "note" in r.json()["detail"]
    r = user.post("/api/pain", json={"nprs": 3, "note": "worse\ttoday\r\nafter the walk"})
    assert r.status_code in (201, 409), r.text  # 409: no program yet is fine; not a 422 or 500
    assert r.status_code != 422


# -- 12: a database that cannot be used ------------------------------------------------------

def test_a_refused_postgresql_gives_503_without_its_address(tmp_path):
    url = "postgresql+psycopg://secretuser:secretpw@127.0.0.1:1/secretdb"
    settings = Settings(database_url=url, secret_key="k", data_dir=tmp_path)
    app = create_app(settings, WebOptions(fast_password_hash=True, run_migrations=False))
    login = new_client(app).post("/api/auth/login", json={"email": "a@example.org", "password": PASSWORD})
    assert login.status_code == 503, login.text
    for r in (login, new_client(app).get("/today", headers={"Authorization": "Bearer x"}),
              new_client(app).post("/api/auth/token", json={"email": "a@example.org", "password": PASSWORD})):
        assert r.status_code in (503, 401), r.text
        assert r.status_code == 401 or "Retry-After" in r.headers
        for secret in ("secretuser", "secretpw", "secretdb", "127.0.0.1", ":1", "psycopg", "postgresql"):
            assert secret not in r.text, secret


def _sqlite_app(tmp_path, url_suffix="", pragma=None):
    path = tmp_path / "db.sqlite3"
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="k", data_dir=tmp_path)
    writer = create_app(settings, WebOptions(fast_password_hash=True))
    return path, writer


def test_a_read_only_sqlite_database_gives_a_clear_503_also_for_log_in(tmp_path):
    path, writer = _sqlite_app(tmp_path)
    user = sign_up(writer)
    ro = Settings(database_url=f"sqlite:///file:{path}?mode=ro&uri=true", secret_key="k", data_dir=tmp_path)
    app = create_app(ro, WebOptions(fast_password_hash=True, run_migrations=False))
    client = new_client(app)
    r = client.post("/api/auth/login", json={"email": user.email, "password": "not the password at all"})
    assert r.status_code == 503, r.text
    assert "read-only or full" in r.json()["detail"] and "sqlite" not in r.text.lower()
    r = client.post("/api/auth/token", json={"email": user.email, "password": PASSWORD})
    assert r.status_code in (200, 503), r.text
    r = client.post("/api/pain", json={"nprs": 2}, headers=user.bearer)
    assert r.status_code == 503 and "nothing was changed" in r.json()["detail"]


def test_a_full_sqlite_database_gives_a_clear_503(tmp_path):
    path, app = _sqlite_app(tmp_path)
    user = sign_up(app)
    engine = app.state.engine
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()
    big = "n" * 900
    for i in range(200):
        r = user.post("/api/pain", json={"nprs": 2, "note": big})
        if r.status_code == 503:
            break
        assert r.status_code in (201, 409), r.text
    assert r.status_code == 503, r.text
    assert "read-only or full" in r.json()["detail"]


# -- 13: headers -----------------------------------------------------------------------------

def test_every_page_and_json_response_says_no_store_and_carries_the_security_headers(app):
    user = sign_up(app)
    responses = [user.client.get("/login"), user.client.get("/today"), user.get("/api/auth/me"),
                 user.get("/api/pain"), new_client(app).get("/api/pain"), new_client(app).get("/no-such-page"),
                 new_client(app).post("/api/pain", content=b"x" * 70_000)]
    for r in responses:
        assert r.headers.get("cache-control") == "no-store", (r.request.url, r.headers)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["strict-transport-security"].startswith("max-age=")  # the test client uses https
    static = user.client.get("/static/favicon.svg")
    assert static.status_code == 200 and static.headers.get("cache-control") != "no-store"


def test_hsts_is_sent_over_https_only_unless_configured(app, tmp_path):
    from fastapi.testclient import TestClient

    plain = TestClient(app, base_url="http://testserver")
    assert "strict-transport-security" not in plain.get("/login").headers
    settings = Settings(database_url=f"sqlite:///{tmp_path}/h.sqlite3", secret_key="k", data_dir=tmp_path, hsts="always")
    always = TestClient(create_app(settings, WebOptions(fast_password_hash=True)), base_url="http://testserver")
    assert "strict-transport-security" in always.get("/login").headers


@pytest.mark.postgres
def test_a_read_only_postgresql_gives_a_clear_503_also_for_log_in(tmp_path):
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from postgres_support import fresh_postgres_database

    from backcoach.storage.database import dispose_engines, make_engine

    with fresh_postgres_database("backcoach_ro") as url:
        writer = create_app(Settings(database_url=url, secret_key="k", data_dir=tmp_path),
                            WebOptions(fast_password_hash=True))
        user = sign_up(writer)
        dispose_engines()
        admin = make_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{make_url(url).database}" SET default_transaction_read_only = on'))
        admin.dispose()
        app = create_app(Settings(database_url=url, secret_key="k", data_dir=tmp_path),
                         WebOptions(fast_password_hash=True, run_migrations=False))
        client = new_client(app)
        r = client.post("/api/auth/login", json={"email": user.email, "password": "not the password at all"})
        assert r.status_code == 503, r.text
        assert "read-only or full" in r.json()["detail"] and "postgres" not in r.text.lower()
        r = client.post("/api/pain", json={"nprs": 2}, headers=user.bearer)
        assert r.status_code == 503 and "nothing was changed" in r.json()["detail"]
