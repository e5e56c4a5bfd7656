"""Logging out ends the session for real (issue 10, finding 2): a copy of the old cookie or
token stops working, and "log out everywhere" ends every cookie and token of the account."""

from __future__ import annotations

from .conftest import PASSWORD, new_client, person_with_program, sign_up


def _copy_cookies(client, app):
    """A second client holding a copy of the first one's cookies (an attacker's, or a stale tab)."""
    other = new_client(app)
    for c in client.cookies.jar:
        other.cookies.set(c.name, c.value, domain=c.domain, path=c.path)
    return other


def test_after_page_logout_the_old_cookie_no_longer_reads_or_writes(app):
    user = person_with_program(app)
    browser = user.client
    assert browser.get("/today", follow_redirects=False).status_code == 200
    stolen = _copy_cookies(browser, app)
    page = stolen.get("/checkin")
    assert page.status_code == 200
    tokens = user.page_tokens(page.text)

    html = browser.get("/account").text
    r = browser.post("/logout", data=user.page_tokens(html), follow_redirects=False)
    assert r.status_code == 303

    r = stolen.get("/today", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    before = len(user.get("/api/pain").json())
    r = stolen.post("/checkin", data={**tokens, "nprs": "2", "kind": "daily"}, follow_redirects=False)
    assert r.status_code in (303, 403), r.text
    assert len(user.get("/api/pain").json()) == before  # nothing written with the old cookie
    assert stolen.get("/api/auth/me").status_code == 401


def test_api_cookie_logout_ends_that_cookie(app):
    user = sign_up(app)
    stolen = _copy_cookies(user.client, app)
    r = user.client.post("/api/auth/logout", headers=user.cookie_write)
    assert r.status_code == 204
    assert stolen.get("/api/auth/me").status_code == 401


def test_a_token_stops_working_after_api_logout(app):
    user = sign_up(app)
    assert user.get("/api/auth/me").status_code == 200
    assert user.post("/api/auth/logout").status_code == 204
    r = user.get("/api/auth/me")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    # a new token works again, and the cookie session was not touched
    t = new_client(app).post("/api/auth/token", json={"email": user.email, "password": PASSWORD}).json()
    assert new_client(app).get("/api/auth/me", headers={"Authorization": f"Bearer {t['access_token']}"}).status_code == 200
    assert user.client.get("/api/auth/me").status_code == 200


def test_logout_everywhere_over_the_api_ends_every_cookie_and_token(app):
    user = sign_up(app)
    other_token = new_client(app).post("/api/auth/token", json={"email": user.email, "password": PASSWORD}).json()
    other_browser = new_client(app)
    csrf = other_browser.get("/api/auth/csrf").json()["csrf_token"]
    assert other_browser.post("/api/auth/login", json={"email": user.email, "password": PASSWORD},
                              headers={"X-CSRF-Token": csrf}).status_code == 200
    someone_else = sign_up(app)

    r = user.post("/api/auth/logout-everywhere")
    assert r.status_code == 200 and r.json()["ended"] >= 4

    assert user.get("/api/auth/me").status_code == 401
    assert new_client(app).get("/api/auth/me", headers={
        "Authorization": f"Bearer {other_token['access_token']}"}).status_code == 401
    assert user.client.get("/api/auth/me").status_code == 401
    assert other_browser.get("/api/auth/me").status_code == 401
    assert someone_else.get("/api/auth/me").status_code == 200
    assert someone_else.client.get("/api/auth/me").status_code == 200


def test_logout_everywhere_from_the_account_page(app):
    user = sign_up(app)
    html = user.client.get("/account").text
    assert 'action="/account/logout-everywhere"' in html
    r = user.client.post("/account/logout-everywhere", data=user.page_tokens(html), follow_redirects=False)
    assert r.status_code == 303 and "loggedout-everywhere" in r.headers["location"]
    assert user.get("/api/auth/me").status_code == 401
    assert user.client.get("/today", follow_redirects=False).headers["location"].startswith("/login")
