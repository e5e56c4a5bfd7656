"""Outcome questionnaires on the web: the person's page and forms, the API with typed shapes,
and an assigned clinician's read (audited); another person or an unlinked clinician gets nothing."""

from __future__ import annotations

from .conftest import person_with_program, screening_answers, sign_up

PEG = {"average_pain": 6, "enjoyment": 5, "activity": 7}


def test_baseline_questionnaires_are_due_after_the_program_starts_and_answers_are_scored(app):
    user = person_with_program(app)
    overview = user.get("/api/outcomes").json()
    assert {d["instrument"] for d in overview["due"]} == {"psfs", "pain_interference", "pain_score"}
    r = user.post("/api/outcomes/pain_interference", json={"answers": PEG})
    assert r.status_code == 201, r.text
    assert r.json()["score"] == 6.0 and r.json()["week"] == 0 and r.json()["trend"]["change"] == "baseline_only"
    assert "pain_interference" not in {d["instrument"] for d in user.get("/api/outcomes").json()["due"]}


def test_bad_answers_are_refused_and_nothing_is_stored(app):
    user = person_with_program(app)
    r = user.post("/api/outcomes/pain_interference", json={"answers": {"average_pain": 12, "enjoyment": 1,
                                                                          "activity": 1}})
    assert r.status_code == 422 and "from 0 to 10" in r.text
    assert user.post("/api/outcomes/oswestry", json={"answers": {}}).status_code == 404
    trend = {t["instrument"]: t for t in user.get("/api/outcomes").json()["trends"]}
    assert trend["pain_interference"]["points"] == []


def test_the_questionnaires_page_saves_a_form_and_shows_the_trend(app):
    user = person_with_program(app)
    page = user.client.get("/outcomes")
    assert page.status_code == 200 and "Activities that matter to you" in page.text
    tokens = user.page_tokens(page.text)
    r = user.client.post("/outcomes/psfs", data={**tokens, "activity_name_1": "Lifting my son",
                                                 "activity_rating_1": "3", "activity_name_2": "Gardening",
                                                 "activity_rating_2": "5"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    after = user.client.get(r.headers["location"])
    assert "Your answers are saved" in after.text and "Activities score: 4 (the first answer" in after.text
    assert '<svg class="trend"' in after.text


def test_a_form_with_a_missing_rating_is_shown_again_with_the_problem(app):
    user = person_with_program(app)
    tokens = user.page_tokens(user.client.get("/outcomes").text)
    r = user.client.post("/outcomes/psfs", data={**tokens, "activity_name_1": "Walking", "activity_rating_1": ""})
    assert r.status_code == 400 and "Nothing was saved" in r.text and "whole number" in r.text
    assert 'value="Walking"' in r.text
    assert user.get("/api/outcomes").json()["trends"][0]["points"] == []


def test_the_api_documents_the_shapes(app):
    user = sign_up(app)
    schema = user.client.get("/openapi.json").json()
    assert "OverviewOut" in schema["components"]["schemas"]
    questionnaires = user.get("/api/outcomes/questionnaires").json()
    assert {q["id"] for q in questionnaires} == {"psfs", "pain_interference", "pain_score"}
    assert all(q["source"] and q["licence"] for q in questionnaires)


def test_only_an_assigned_clinician_reads_a_persons_outcomes(app):
    clinician = sign_up(app, "clinician")
    code = clinician.post("/api/clinician/invitations", json={}).json()["code"]
    person = person_with_program(app, invitation_code=code)
    person.post("/api/outcomes/pain_interference", json={"answers": PEG})
    pid = person.account["person_id"]
    r = clinician.get(f"/api/clinician/people/{pid}/outcomes")
    assert r.status_code == 200, r.text
    assert [p["score"] for p in {t["instrument"]: t for t in r.json()["trends"]}["pain_interference"]["points"]] == [6.0]
    assert sign_up(app, "clinician").get(f"/api/clinician/people/{pid}/outcomes").status_code in (403, 404)
    other = sign_up(app)
    assert other.get(f"/api/clinician/people/{pid}/outcomes").status_code == 403


def test_today_prompts_for_due_questionnaires_until_answered(app):
    user = person_with_program(app)
    assert "Answer the questions" in user.client.get("/today").text
    for instrument, answers in (("pain_interference", PEG), ("pain_score", {"usual_pain": 4}),
                                ("psfs", {"activities": [{"name": "Walking", "rating": 6}]})):
        assert user.post(f"/api/outcomes/{instrument}", json={"answers": answers}).status_code == 201
    assert "Answer the questions" not in user.client.get("/today").text


def test_the_clinician_person_page_shows_outcome_trends(app):
    clinician = sign_up(app, "clinician")
    code = clinician.post("/api/clinician/invitations", json={}).json()["code"]
    person = person_with_program(app, invitation_code=code)
    person.post("/api/outcomes/pain_interference", json={"answers": PEG})
    page = clinician.client.get(f"/clinic/people/{person.account['person_id']}")
    assert page.status_code == 200
    assert "Outcome questionnaires" in page.text and "Pain and interference score: 6 (the first answer" in page.text
    assert '<svg class="trend"' in page.text


def test_the_short_reads_are_open_to_anyone_and_offered_on_today_in_the_first_weeks(app, clock):
    from .conftest import new_client

    page = new_client(app).get("/learn")
    assert page.status_code == 200 and "What back pain usually is" in page.text and "When to get help" in page.text
    user = person_with_program(app)
    assert "short read: What back pain usually is" in user.client.get("/today").text
    clock.advance(days=4)
    try:
        assert "short read: Soreness after exercise" in user.client.get("/today").text
        clock.advance(days=20)
        user.post("/api/screenings", json={"answers": screening_answers("clear")})
        assert "short read" not in user.client.get("/today").text
    finally:
        clock.advance(days=-24)
