"""Accounts over the API and the pages: sign-up, log-in, cookies, CSRF, tokens, rate limiting,
expired sessions."""

from __future__ import annotations

import uuid

from .conftest import PASSWORD, new_client, sign_up


def test_login_sets_a_secure_httponly_samesite_cookie(app):
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    email = f"c-{uuid.uuid4().hex[:6]}@example.org"
    r = client.post("/api/auth/signup", json={"email": email, "password": PASSWORD, "display_name": "Cee",
                                              "accept_privacy_notice": True}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text
    assert client.get("/api/auth/me").status_code == 401  # sign-up does not log in
    r = client.post("/api/auth/login", json={"email": email, "password": PASSWORD}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    cookie = r.headers["set-cookie"]
    assert "bc_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
    me = client.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["role"] == "person" and me.json()["person_id"]


def test_signup_rejects_bad_input_and_duplicates(app):
    user = sign_up(app)
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    h = {"X-CSRF-Token": csrf}
    r = client.post("/api/auth/signup", json={"email": "not-an-email", "password": "short", "display_name": ""}, headers=h)
    assert r.status_code == 400
    assert "email" in r.json()["detail"] and "password" in r.json()["detail"]
    r = client.post("/api/auth/signup", json={"email": "two..dots@example.org", "password": PASSWORD,
                                              "display_name": "X", "accept_privacy_notice": True}, headers=h)
    assert r.status_code == 400 and r.json()["detail"] == "Enter an email address like name@example.org."
    new = client.post("/api/auth/signup", json={"email": f"n-{uuid.uuid4().hex[:6]}@example.org",
                                                "password": "another long passphrase", "display_name": "X",
                                                "accept_privacy_notice": True}, headers=h)
    again = client.post("/api/auth/signup", json={"email": user.email, "password": "another long passphrase",
                                                  "display_name": "X", "accept_privacy_notice": True}, headers=h)
    assert again.status_code == new.status_code == 202 and again.json() == new.json()  # nothing tells who has one
    assert new_client(app).post("/api/auth/token", json={"email": user.email, "password": PASSWORD}).status_code == 200
    r = client.post("/api/auth/signup", json={"email": "a@b.org", "password": PASSWORD, "display_name": "X", "role": "admin"}, headers=h)
    assert r.status_code == 422


def test_password_is_hashed_with_argon2(app):
    from sqlalchemy import select

    from backcoach.storage.models import User

    user = sign_up(app)
    with app.state.sessionmaker() as s:
        stored = s.scalar(select(User.password_hash).where(User.email == user.email))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_cookie_writes_need_the_csrf_header(app):
    user = sign_up(app)
    r = user.client.post("/api/pain", json={"nprs": 3})
    assert r.status_code == 403 and "reload" in r.json()["detail"]
    r = user.client.post("/api/pain", json={"nprs": 3}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert user.client.get("/api/pain").json() == []


def test_a_stale_csrf_token_after_logging_in_again_is_refused(app):
    user = sign_up(app)
    old = user.csrf
    r = user.client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD}, headers={"X-CSRF-Token": old})
    assert r.status_code == 200
    r = user.client.post("/api/pain", json={"nprs": 2}, headers={"X-CSRF-Token": old})
    assert r.status_code == 403
    fresh = user.client.get("/api/auth/csrf").json()["csrf_token"]
    assert user.client.post("/api/pain", json={"nprs": 2}, headers={"X-CSRF-Token": fresh}).status_code == 201


def test_failed_logins_make_the_next_try_wait(app, clock):
    user = sign_up(app)
    client = new_client(app)
    for _ in range(3):
        r = client.post("/api/auth/token", json={"email": user.email, "password": "wrong password!"})
        assert r.status_code == 400
    r = client.post("/api/auth/token", json={"email": user.email, "password": PASSWORD})
    assert r.status_code == 429 and "wait 1 second" in r.json()["detail"] and r.headers["Retry-After"] == "1"
    clock.advance(seconds=1)
    assert client.post("/api/auth/token", json={"email": user.email, "password": PASSWORD}).status_code == 200


def test_token_and_cookie_both_authenticate_and_logout_ends_the_cookie_session(app):
    user = sign_up(app)
    assert new_client(app).get("/api/auth/me", headers=user.bearer).json()["email"] == user.email
    assert new_client(app).get("/api/auth/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert user.client.post("/api/auth/logout", headers=user.cookie_write).status_code == 204
    assert user.client.get("/api/auth/me").status_code == 401


def test_unauthenticated_requests_get_401_on_every_protected_endpoint(app):
    client = new_client(app)
    spec = app.openapi()
    checked = 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not op.get("security"):
                continue
            url = path.replace("{person_id}", "1").replace("{session_id}", "1").replace("{screening_id}", "1")
            r = client.request(method.upper(), url, json={})
            assert r.status_code == 401, (method, path, r.status_code)
            checked += 1
    assert checked >= 20


def test_an_expired_session_is_told_to_log_in_again(app, monkeypatch):
    import time as real_time

    import itsdangerous.timed

    from backcoach.web.security import Session

    user = sign_up(app)

    class Past:
        @staticmethod
        def time() -> float:
            return real_time.time() - 13 * 3600  # older than the 12-hour session

    monkeypatch.setattr(itsdangerous.timed, "time", Past)
    stale = app.state.signer.dump_session(Session(sid="s" * 22, user_id=user.account["id"], role="person"))
    monkeypatch.undo()
    client = new_client(app)
    client.cookies.set("bc_session", stale, domain="testserver.local")
    r = client.get("/api/auth/me")
    assert r.status_code == 401 and "expired" in r.json()["detail"]
    page = client.get("/today", follow_redirects=False)
    assert page.status_code == 303 and "/login?msg=expired" in page.headers["location"]
    assert "session ended" in client.get(page.headers["location"]).text


def test_page_sign_up_and_log_in_with_forms(app):
    client = new_client(app)
    page = client.get("/signup")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    email = f"form-{uuid.uuid4().hex[:6]}@example.org"
    r = client.post("/signup", data={"csrf_token": csrf, "email": email, "password": PASSWORD,
                                     "display_name": "Form", "role": "person", "accept_privacy_notice": "yes"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?msg=signedup")
    page = client.get(r.headers["location"])
    assert "Your account is ready" in page.text and 'name="next" value="/screening?msg=welcome"' in page.text
    # the form without its CSRF token changes nothing
    other = new_client(app)
    r = other.post("/signup", data={"email": "nocsrf@example.org", "password": PASSWORD, "display_name": "N"})
    assert r.status_code == 403 and "Nothing was changed" in r.text
    login = new_client(app)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login.get("/login").text).group(1)
    r = login.post("/login", data={"csrf_token": csrf, "email": email, "password": "wrong"})
    assert r.status_code == 400 and "do not match" in r.text
    r = login.post("/login", data={"csrf_token": csrf, "email": email, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
