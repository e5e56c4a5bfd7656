"""Issue 9 on the web: a lock reads the same everywhere and a later better screen never reads
as "you can start"; the clinician's list puts the emergency and new symptoms first, with
their reasons; adjustments beyond the rules need confirming; the audit log is readable;
the web has HTML error pages while the API keeps JSON."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from .conftest import person_with_program, screening_answers, sign_up

SEEN = {"ruled_out": "Cauda equina syndrome", "seen_where": "Emergency department, St Mary's"}


def _text(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture(scope="module")
def clinic(app, clock):
    """A clinician following three people: calm, emergency-then-"no", new leg tingling with pain 6."""
    clinician = sign_up(app, "clinician", name="Dr Okafor")
    code = lambda: clinician.post("/api/clinician/invitations").json()["code"]  # noqa: E731
    calm = person_with_program(app, invitation_code=code())
    flagged = person_with_program(app, invitation_code=code())
    tingling = person_with_program(app, invitation_code=code())
    emergency = {**screening_answers("clear"), "bladder_change": True, "saddle_numbness": True}
    r = flagged.post("/api/screenings", json={"answers": emergency})
    assert r.status_code == 201 and r.json()["level"] == "emergency"
    clock.advance(minutes=1)
    r = flagged.post("/api/screenings", json={"answers": screening_answers("clear")})
    assert r.status_code == 201 and r.json()["level"] == "clear"
    assert r.json()["program_allowed"] is False and r.json()["lock"]["level"] == "emergency"
    assert "You can start" not in r.json()["next_step"]
    r = tingling.post("/api/pain", json={"nprs": 6, "new_symptoms": True, "note": "New tingling in my left leg"})
    assert r.status_code == 201, r.text
    clock.advance(minutes=1)
    return {"clinician": clinician, "calm": calm, "flagged": flagged, "tingling": tingling,
            "second_screen_id": flagged.get("/api/screenings").json()[0]["id"]}


def test_the_list_puts_the_emergency_first_then_new_symptoms_with_reasons(clinic):
    c = clinic["clinician"]
    listing = c.get("/api/clinician/people").json()
    ids = [p["person_id"] for p in listing]
    flagged, tingling, calm = (clinic[k].account["person_id"] for k in ("flagged", "tingling", "calm"))
    assert ids.index(flagged) < ids.index(tingling) < ids.index(calm)
    top = listing[ids.index(flagged)]
    assert top["lock"]["level"] == "emergency" and top["attention"][0]["code"] == "emergency"
    assert top["latest_level"] == "clear"  # the later "no" is kept, but it does not lift the lock
    news = listing[ids.index(tingling)]["attention"][0]
    assert news["code"] == "new_symptoms" and "pain 6/10" in news["message"] and "tingling" in news["message"]

    page = c.client.get("/clinic")
    assert page.status_code == 200
    cards = page.text.split('<li class="card')[1:]
    flagged_card = next(x for x in cards if f'data-person="{flagged}"' in x)
    tingling_card = next(x for x in cards if f'data-person="{tingling}"' in x)
    assert page.text.index(f'data-person="{flagged}"') < page.text.index(f'data-person="{tingling}"')
    assert "paused until checked" in flagged_card and "Nothing needs attention" not in flagged_card
    assert 'class="badge clear"' not in flagged_card  # no green badge while the lock holds
    assert "does not lift" in flagged_card
    assert "New symptoms reported" in tingling_card and "New tingling in my left leg" in tingling_card
    assert "Nothing needs attention" not in tingling_card


def test_the_person_page_leads_with_the_lock_and_its_cause(clinic):
    c = clinic["clinician"]
    pid = clinic["flagged"].account["person_id"]
    html = c.client.get(f"/clinic/people/{pid}").text
    text = _text(html)
    lock_at = text.index("Paused until a clinician has checked them")
    assert lock_at < text.index("Record that they were assessed") < text.index("Screening history")
    assert "The emergency safety screen on" in text and "bladder" in text.lower() and "does not lift this" in text
    assert "Urgent screen" not in text  # the issue: it read "Urgent screen" after an emergency
    assert "What you ruled out" in text and "Where they were seen" in text
    assert "your first" not in text.lower()  # clinician voice on clinician pages


def test_every_person_surface_says_paused_with_level_and_date(clinic, clock):
    p = clinic["flagged"]
    day = clock.now.date().isoformat()
    today = p.client.get("/today")
    assert today.status_code == 409
    t = _text(today.text)
    assert "Paused until a clinician has checked you" in t and "emergency" in t and day in t
    result = _text(p.client.get(f"/screening/{clinic['second_screen_id']}").text)
    assert "Paused until a clinician has checked you" in result
    assert "You can start" not in result and "No warning sign found" not in result.split("This safety check")[0]
    assert "Go to today's session" not in result
    for url in ("/progress", "/program"):
        assert "Paused until a clinician has checked you" in p.client.get(url).text, url
    api_today = p.get("/api/today")
    assert api_today.status_code == 409 and api_today.json()["lock"]["level"] == "emergency"
    assert api_today.json()["lock"]["on"] == day
    assert "paused until a clinician has checked you" in api_today.json()["detail"]
    again = p.get(f"/api/screenings/{clinic['second_screen_id']}").json()
    assert again["level"] == "clear" and again["program_allowed"] is False and again["lock"]["level"] == "emergency"
    status = p.get("/api/progress").json()
    assert status["program_allowed"] is False and status["gate"]["lock"]["level"] == "emergency"
    assert status["gate"]["effective_level"] == "emergency"


def test_the_assessment_lifts_the_lock_and_is_shown_with_the_name(clinic):
    c, p = clinic["clinician"], clinic["flagged"]
    pid = p.account["person_id"]
    page = c.client.get(f"/clinic/people/{pid}")
    tokens = c.page_tokens(page.text)
    missing = c.client.post(f"/clinic/people/{pid}/clearance", data={**tokens, "note": "Seen.", "ruled_out": "",
                                                                     "seen_where": ""})
    assert missing.status_code == 400 and "what was ruled out" in missing.text
    tokens = c.page_tokens(missing.text)
    done = c.client.post(f"/clinic/people/{pid}/clearance", data={**tokens, "note": "MRI normal.", **SEEN},
                         follow_redirects=False)
    assert done.status_code == 303, done.text
    text = _text(c.client.get(f"/clinic/people/{pid}").text)
    assert "Paused until a clinician has checked them" not in text
    assert "by Dr Okafor — seen at Emergency department, St Mary's; ruled out: Cauda equina syndrome" in text
    assert p.get("/api/today").status_code == 200
    audit = _text(c.client.get("/clinic/audit?action=clearance.recorded").text)
    assert "Recorded an assessment (lifted the pause)" in audit and "Dr Okafor" in audit
    assert "ruled out: Cauda equina syndrome" in audit and "clearance.recorded" not in audit.split("Audit log entries")[-1]


def test_the_audit_log_filters_and_explains_bad_filters(clinic):
    c = clinic["clinician"]
    pid = clinic["calm"].account["person_id"]
    # entries of its own (the list opened, the person viewed), not left to the tests before it
    assert c.client.get("/clinic").status_code == 200 and c.client.get(f"/clinic/people/{pid}").status_code == 200
    text = _text(c.client.get(f"/clinic/audit?person={pid}").text)
    assert "Joined with an invitation code" in text or "Viewed the person" in text or "Nothing matches" in text
    bad = c.client.get("/clinic/audit?from=yesterday")
    assert bad.status_code == 200 and "use a date like" in bad.text
    only = _text(c.client.get("/clinic/audit?action=people.listed&from=2000-01-01&to=2100-01-01").text)
    assert "Opened the list of people" in only and "Recorded an assessment" not in only.split("Audit log entries")[-1]


def test_an_adjustment_beyond_the_rules_asks_for_confirmation_on_the_page(clinic):
    c, p = clinic["clinician"], clinic["calm"]
    pid = p.account["person_id"]
    page = c.client.get(f"/clinic/people/{pid}")
    form = {**c.page_tokens(page.text), "exercise_id": "glute_bridge", "action": "swap",
            "new_exercise_id": "single_leg_glute_bridge", "note": "Ready for more."}
    warned = c.client.post(f"/clinic/people/{pid}/adjust", data=form)
    assert warned.status_code == 409 and "goes beyond the program" in warned.text and 'name="confirm"' in warned.text
    assert "single_leg_glute_bridge" in warned.text  # the choices are kept
    form = {**form, **c.page_tokens(warned.text), "confirm": "yes"}
    saved = c.client.post(f"/clinic/people/{pid}/adjust", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    today = _text(p.client.get("/today").text)
    assert "A note from Dr Okafor" in today and "Ready for more." in today
    decisions = _text(c.client.get(f"/clinic/people/{pid}").text)
    assert "by Dr Okafor" in decisions


def test_web_errors_are_pages_and_api_errors_are_json(app, clinic):
    p = clinic["calm"]
    missing = p.client.get("/no-such-page")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"] and "Page not found" in missing.text
    api_missing = p.client.get("/api/no-such-thing")
    assert api_missing.status_code == 404 and api_missing.headers["content-type"].startswith("application/json")
    forbidden = p.client.get("/clinic")
    assert forbidden.status_code == 403 and "text/html" in forbidden.headers["content-type"]
    assert "You cannot open this page" in forbidden.text
    assert p.get("/api/clinician/people").headers["content-type"].startswith("application/json")
    locked = clinic["tingling"].client.get("/today")
    assert locked.status_code == 409 and "text/html" in locked.headers["content-type"]

    def boom():
        raise RuntimeError("boom")

    app.add_api_route("/test-boom", boom)
    app.add_api_route("/api/test-boom", boom)
    page = p.client.get("/test-boom")
    assert page.status_code == 500 and "Something went wrong on our side" in page.text and "boom" not in page.text
    api = p.client.get("/api/test-boom")
    assert api.status_code == 500 and api.json()["detail"]


def test_an_adjustment_out_of_range_gets_the_same_words_on_the_page_and_in_the_api(clinic):
    """One declared adjustment (domain.inputs.ADJUSTMENT): 41 repetitions is refused in the same words."""
    from backcoach.domain.fields import by_name
    from backcoach.domain.inputs import ADJUSTMENT

    words = by_name(ADJUSTMENT)["reps"].rule()
    assert words == "Enter a whole number from 1 to 40."
    c, p = clinic["clinician"], clinic["calm"]
    pid = p.account["person_id"]
    page = c.client.get(f"/clinic/people/{pid}")
    form = {**c.page_tokens(page.text), "exercise_id": "glute_bridge", "action": "dose", "reps": "41",
            "note": "More."}
    refused = c.client.post(f"/clinic/people/{pid}/adjust", data=form)
    assert refused.status_code == 400 and f"Repetitions: {words}" in _text(refused.text)
    api = c.post(f"/api/clinician/people/{pid}/adjustments",
                 json={"exercise_id": "glute_bridge", "action": "dose", "reps": 41, "note": "More."})
    assert api.status_code == 422 and api.json()["errors"] == [{"field": "reps", "message": words}]
