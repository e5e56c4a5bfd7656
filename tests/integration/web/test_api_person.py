"""The person's API: screening at every level, assessment, program, today, session logs,
pain check-ins, progress; bad input changes nothing."""

from __future__ import annotations

import pytest

from .conftest import ASSESSMENT, full_session, person_with_program, screening_answers, sign_up


@pytest.mark.parametrize("level,allowed", [("clear", True), ("see_clinician", True), ("urgent", False), ("emergency", False)])
def test_screening_levels_and_the_program_gate(app, level, allowed):
    user = sign_up(app)
    r = user.post("/api/screenings", json={"answers": screening_answers(level)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["level"] == level and body["program_allowed"] is allowed
    assert body["reasons"] or level == "clear"
    r = user.post("/api/assessments", json={"answers": ASSESSMENT})
    if allowed:
        assert r.status_code == 201, r.text
        assert user.get("/api/today").status_code == 200
    else:
        assert r.status_code == 409
        assert user.get("/api/today").status_code == 409
    history = user.get("/api/screenings").json()
    assert [s["level"] for s in history] == [level]


def test_screening_questions_and_bad_answers_store_nothing(app):
    user = sign_up(app)
    questions = user.get("/api/screening/questions").json()
    assert {q["key"] for q in questions} >= {"saddle_numbness", "bladder_change", "pain_now"}
    bad = screening_answers()
    bad["pain_now"] = 11
    r = user.post("/api/screenings", json={"answers": bad})
    assert r.status_code == 422 and "pain_now" in r.json()["detail"]
    bad = screening_answers()
    bad["saddle_numbness"] = "maybe"
    assert user.post("/api/screenings", json={"answers": bad}).status_code == 422
    assert user.get("/api/screenings").json() == []


def test_the_same_screening_posted_twice_with_one_key_is_stored_once(app):
    user = sign_up(app)
    h = {"Idempotency-Key": "screen-1"}
    first = user.post("/api/screenings", json={"answers": screening_answers()}, headers=h)
    assert first.status_code == 201
    r = user.post("/api/screenings", json={"answers": screening_answers()}, headers=h)
    assert r.status_code == 201 and r.json() == first.json()  # the original answer (issue 10)
    assert len(user.get("/api/screenings").json()) == 1


def test_full_flow_today_log_decisions_progress(app, clock):
    user = person_with_program(app)
    program = user.get("/api/program").json()
    assert program["program"]["items"] and program["assessment"]["profile"]
    today = user.get("/api/today").json()
    assert today["cards"], today
    card = today["cards"][0]
    assert card["keyframes"] and card["cues"] and card["dose"]
    r = user.post("/api/sessions", json=full_session(today), headers={"Idempotency-Key": "s1"})
    assert r.status_code == 201, r.text
    logged = r.json()
    assert logged["decisions"] and all(d["reasons"] for d in logged["decisions"])
    assert {d["action"] for d in logged["decisions"]} <= {"progress", "hold", "regress"}
    # the same form again: nothing new
    again = user.post("/api/sessions", json=full_session(today), headers={"Idempotency-Key": "s1"})
    assert again.status_code == 201 and again.json()["duplicate"] is True
    assert again.json()["session_id"] == logged["session_id"]
    assert len(user.get("/api/sessions").json()) == 1
    one = user.get(f"/api/sessions/{logged['session_id']}").json()
    assert one["entries"] and one["decisions"]
    assert user.post("/api/pain", json={"nprs": 2}).status_code == 201
    progress = user.get("/api/progress").json()
    assert progress["charts"]["pain"] and progress["charts"]["ladders"]
    assert progress["sessions_logged"] == 1


@pytest.mark.parametrize("change,fragment", [
    ({"pain_during": 11}, "pain_during"),
    ({"rpe": -1}, "rpe"),
    ({"sets": -2}, "sets"),
    ({"reps": -5}, "reps"),
    ({"form": "great"}, "form"),
    ({"exercise_id": "handstand"}, "handstand"),
])
def test_bad_session_logs_are_refused_and_change_nothing(app, change, fragment):
    user = person_with_program(app)
    session = full_session(user.get("/api/today").json())
    session["exercises"][0].update(change)
    r = user.post("/api/sessions", json=session)
    assert r.status_code == 422, r.text
    assert fragment in r.text
    assert user.get("/api/sessions").json() == []


def test_pain_check_in_validation(app):
    user = sign_up(app)
    for bad in ({"nprs": 11}, {"nprs": -1}, {"nprs": "high"}, {"nprs": 3, "kind": "weekly"}, {}):
        r = user.post("/api/pain", json=bad)
        assert r.status_code == 422, bad
        assert r.json()["detail"]
    assert user.get("/api/pain").json() == []
    r = user.post("/api/pain", json={"nprs": 4, "kind": "next_morning"})
    assert r.status_code == 201 and r.json()["kind"] == "next_morning"


def test_new_symptoms_close_the_gate_until_screened_again(app, clock):
    user = person_with_program(app)
    clock.advance(minutes=1)
    assert user.post("/api/pain", json={"nprs": 3, "new_symptoms": True}).status_code == 201
    assert user.get("/api/today").status_code == 409
    clock.advance(minutes=1)
    assert user.post("/api/screenings", json={"answers": screening_answers()}).status_code == 201
    assert user.get("/api/today").status_code == 200


def test_catalog_and_self_tests(app):
    user = sign_up(app)
    exercises = user.get("/api/catalog/exercises").json()
    assert {e["id"] for e in exercises} >= {"glute_bridge", "clamshell", "side_plank"}
    tests = user.get("/api/assessment/self-tests").json()
    assert len(tests) == 4 and all(t["instructions"] for t in tests)


def test_one_screening_by_id_only_for_its_owner(app):
    user = sign_up(app)
    other = sign_up(app)
    sid = user.post("/api/screenings", json={"answers": screening_answers("see_clinician")}).json()["screening_id"]
    one = user.get(f"/api/screenings/{sid}")
    assert one.status_code == 200 and one.json()["level"] == "see_clinician" and one.json()["reasons"]
    assert other.get(f"/api/screenings/{sid}").status_code == 404
    assert user.get("/api/screenings/0").status_code == 422
    assert user.get("/api/screenings/99999999999").status_code == 422
