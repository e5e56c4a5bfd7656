"""The HTML pages: every page renders with the disclaimer; bad form input (pain 11, negative
reps, a form posted twice, a stale CSRF token) gives a clear message and changes nothing."""

from __future__ import annotations

import re

import pytest

from .conftest import person_with_program, sign_up

PERSON_PAGES = ["/today", "/checkin", "/progress", "/screening", "/assessment", "/program", "/account"]


def form(user, url: str) -> dict[str, str]:
    page = user.client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return user.page_tokens(page.text)


@pytest.mark.parametrize("url", PERSON_PAGES)
def test_person_pages_render_with_the_disclaimer(app, url):
    user = person_with_program(app)
    page = user.client.get(url)
    assert page.status_code == 200
    assert "does not replace a clinician" in page.text
    assert 'lang="en"' in page.text and "Skip to content" in page.text
    title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
    assert "<" not in title and len(title) < 80, title  # a block that swallowed markup shows as the tab's name
    assert "Content-Security-Policy" in page.headers or "content-security-policy" in page.headers


def test_public_pages_and_docs(app):
    from .conftest import new_client

    client = new_client(app)
    for url in ("/", "/login", "/signup", "/docs"):
        r = client.get(url)
        assert r.status_code == 200 and "does not replace a clinician" in r.text, url
    assert "POST /api/sessions" in client.get("/docs").text
    assert client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert client.get("/today", follow_redirects=False).headers["location"].startswith("/login")
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/no/such/page").status_code == 404


def test_pain_11_in_the_check_in_form_is_refused(app):
    user = sign_up(app)
    tokens = form(user, "/checkin")
    r = user.client.post("/checkin", data={**tokens, "nprs": "11", "kind": "daily"})
    assert r.status_code == 400 and "Enter a whole number from 0 to 10." in r.text
    r = user.client.post("/checkin", data={**tokens, "nprs": "lots", "kind": "daily"})
    assert r.status_code == 400 and "Enter a whole number from 0 to 10." in r.text
    assert user.get("/api/pain").json() == []


def test_the_check_in_logs_yesterdays_walking_and_today_shows_the_goal(app):
    user = person_with_program(app)
    page = user.client.get("/checkin")
    assert 'id="walked_minutes"' in page.text and "Minutes you walked yesterday" in page.text
    assert "Your goal is 10 minutes a day" in page.text
    tokens = user.page_tokens(page.text)
    bad = user.client.post("/checkin", data={**tokens, "nprs": "3", "kind": "daily", "walked_minutes": "-4"})
    assert bad.status_code == 400 and "whole number from 0 to 1440" in bad.text
    assert 'value="-4"' in bad.text  # what was typed stays in the form
    assert user.get("/api/pain").json() == []  # nothing stored half-done
    ok = user.client.post("/checkin", data={**tokens, "nprs": "3", "kind": "daily", "walked_minutes": "25"})
    assert ok.status_code == 200
    assert [p["walked_minutes"] for p in user.get("/api/pain").json()] == [25]
    today = user.client.get("/today").text
    assert "Walking: 10 minutes a day" in today and "Yesterday: 25 minutes, goal met" in today
    assert "Log yesterday's walking" not in today  # already logged
    assert user.get("/api/today").json()["walking"]["yesterday"] == 25


def test_today_says_plainly_when_the_camera_cannot_check_an_exercise(app):
    from backcoach.services.common import NO_CAMERA_CHECK

    user = person_with_program(app)
    page = user.client.get("/today").text
    assert "Coach me with the camera" in page and NO_CAMERA_CHECK not in page  # bridge and clamshell: checked
    assert "How hard:" in page and "Effort 3–5 of 10" in page


def test_a_check_in_form_posted_twice_is_saved_once(app):
    user = sign_up(app)
    tokens = form(user, "/checkin")
    assert user.client.post("/checkin", data={**tokens, "nprs": "3", "kind": "daily"}).status_code == 200
    again = user.client.post("/checkin", data={**tokens, "nprs": "3", "kind": "daily"})
    assert again.status_code == 409 and "already sent" in again.text
    assert len(user.get("/api/pain").json()) == 1


def test_a_stale_csrf_token_is_refused_with_a_clear_message(app):
    user = sign_up(app)
    tokens = form(user, "/checkin")
    user.client.post("/logout", data={"csrf_token": tokens["csrf_token"]})
    login = user.page_tokens(user.client.get("/login").text)
    user.client.post("/login", data={**login, "email": user.email, "password": "correct horse battery"})
    r = user.client.post("/checkin", data={**tokens, "nprs": "3", "kind": "daily"})
    assert r.status_code == 403 and "Nothing was changed" in r.text and "reload" in r.text
    assert user.get("/api/pain").json() == []


def _log_form(user) -> tuple[dict[str, str], str]:
    page = user.client.get("/today")
    assert page.status_code == 200
    data = user.page_tokens(page.text)
    for i, card in enumerate(re.findall(r'data-sets="(\d+)" data-reps="(\d*)" data-hold="(\d+)"', page.text)):
        sets, reps, hold = card
        data[f"ex{i}_id"] = re.findall(r'name="ex%d_id" value="([^"]+)"' % i, page.text)[0]
        data[f"ex{i}_sets"] = sets
        if reps:
            data[f"ex{i}_reps"] = ",".join([reps] * int(sets))
        data[f"ex{i}_holds"] = ",".join([hold] * int(sets))
        data[f"ex{i}_pain"], data[f"ex{i}_rpe"], data[f"ex{i}_form"] = "1", "5", "good"
    return data, page.text


def test_log_form_refuses_negative_reps_and_pain_11(app):
    user = person_with_program(app)
    data, _ = _log_form(user)
    bad = {**data, "ex0_reps": "-3,10"}
    r = user.client.post("/today/log", data=bad)
    assert r.status_code == 400 and "repetitions in each set: Enter a whole number from 0 to 100." in r.text
    bad = {**data, "ex0_pain": "11"}
    r = user.client.post("/today/log", data=bad)
    assert r.status_code == 400 and "pain during (0 to 10): Enter a whole number from 0 to 10." in r.text
    assert user.get("/api/sessions").json() == []


def test_log_form_saves_once_and_shows_decisions_with_reasons(app):
    user = person_with_program(app)
    data, _ = _log_form(user)
    r = user.client.post("/today/log", data=data, follow_redirects=False)
    assert r.status_code == 303 and "/sessions/" in r.headers["location"]
    result = user.client.get(r.headers["location"])
    assert "What happens next" in result.text and "Why" in result.text
    again = user.client.post("/today/log", data=data)
    assert again.status_code == 200 and "already saved" in again.text
    assert len(user.get("/api/sessions").json()) == 1
    progress = user.client.get("/progress")
    assert progress.status_code == 200 and 'class="pain-chart"' in progress.text and 'class="decisions-chart"' in progress.text


def test_screening_form_needs_every_safety_answer(app):
    user = sign_up(app)
    tokens = form(user, "/screening")
    r = user.client.post("/screening", data={**tokens, "age": "40", "pain_now": "3"})
    assert r.status_code == 400 and "never taken as “no”" in r.text
    r = user.client.post("/screening", data={**tokens, "pain_now": "11"})
    assert r.status_code == 400 and "Enter a whole number from 0 to 10." in r.text
    assert user.get("/api/screenings").json() == []


def test_clinician_pages(app):
    clinician = sign_up(app, "clinician")
    assert clinician.client.get("/clinic").status_code == 200
    assert clinician.client.get("/clinic/audit").status_code == 200
    assert clinician.client.get("/today").status_code == 403
    person = sign_up(app)
    assert person.client.get("/clinic").status_code == 403


@pytest.mark.parametrize("url", PERSON_PAGES)
def test_a_new_person_without_screening_gets_a_clear_page_everywhere(app, url):
    user = sign_up(app)
    page = user.client.get(url)
    assert page.status_code in (200, 409), (url, page.status_code)
    if page.status_code == 409:
        assert "safety check" in page.text.lower()


def test_a_step_back_at_the_gentlest_step_shows_on_today_with_the_week_count(app):
    # Bug: a step back could leave Today unchanged, and the week said "0 of 5" next to
    # "you already logged a session today".
    user = person_with_program(app)
    data, before = _log_form(user)
    for key in [k for k in data if k.endswith("_pain")]:
        data[key] = "8"
    r = user.client.post("/today/log", data=data, follow_redirects=False)
    assert r.status_code == 303
    page = user.client.get("/today")
    assert page.status_code == 200
    assert "sessions this week: 1 of" in page.text and "you already logged a session today" in page.text
    assert "Resting today:" in page.text and "comes back on" in page.text
    assert "Changed after your last session:" in page.text
    api = user.get("/api/today")
    assert api.status_code == 200, api.text
    shown_before = set(re.findall(r'name="ex\d+_id" value="([^"]+)"', before))
    shown_after = set(re.findall(r'name="ex\d+_id" value="([^"]+)"', page.text))
    assert shown_before and not (shown_after & shown_before)
    # the first steps of their ladders rest; the others moved one step down
    assert {r["exercise_id"] for r in api.json()["resting"]} == {"glute_bridge", "clamshell"} & shown_before
