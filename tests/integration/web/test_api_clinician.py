"""Authorization and the clinician's side: a person never reads another person's data; a
clinician reaches only the people assigned to them; clearance and adjustments are
attributed and kept; views and changes are in the audit log."""

from __future__ import annotations

import pytest

from .conftest import full_session, person_with_program, screening_answers, sign_up


@pytest.fixture(scope="module")
def team(app):
    """A clinician with one invited person (who has logged a session), and an outsider."""
    clinician = sign_up(app, "clinician", name="Dr Okafor")
    code = clinician.post("/api/clinician/invitations").json()["code"]
    patient = person_with_program(app, invitation_code=code)
    today = patient.get("/api/today").json()
    session_id = patient.post("/api/sessions", json=full_session(today)).json()["session_id"]
    stranger = person_with_program(app)
    other_clinician = sign_up(app, "clinician", name="Dr Other")
    return {"clinician": clinician, "patient": patient, "stranger": stranger, "other": other_clinician,
            "session_id": session_id}


def test_a_person_never_reads_another_persons_data(team):
    stranger, patient = team["stranger"], team["patient"]
    r = stranger.get(f"/api/sessions/{team['session_id']}")
    assert r.status_code == 404
    assert all(s["id"] != team["session_id"] for s in stranger.get("/api/sessions").json())
    pid = patient.account["person_id"]
    assert stranger.get(f"/api/clinician/people/{pid}").status_code == 403
    assert stranger.get("/api/clinician/people").status_code == 403
    assert stranger.post(f"/api/clinician/people/{pid}/clearance",
                         json={"note": "x", "ruled_out": "x", "seen_where": "x"}).status_code == 403
    # and the pages
    page = stranger.client.get(f"/sessions/{team['session_id']}")
    assert page.status_code == 403 and "do not have access" in page.text
    assert stranger.client.get(f"/clinic/people/{pid}").status_code == 403


def test_a_clinician_sees_only_assigned_people(team):
    clinician, other = team["clinician"], team["other"]
    patient_pid = team["patient"].account["person_id"]
    stranger_pid = team["stranger"].account["person_id"]
    ids = [p["person_id"] for p in clinician.get("/api/clinician/people").json()]
    assert ids == [patient_pid]
    assert clinician.get(f"/api/clinician/people/{patient_pid}").status_code == 200
    assert clinician.get(f"/api/clinician/people/{stranger_pid}").status_code == 403
    assert clinician.get("/api/clinician/people/999999").status_code == 403  # same answer: no probing of ids
    assert other.get("/api/clinician/people").json() == []
    assert other.get(f"/api/clinician/people/{patient_pid}").status_code == 403
    assert other.post(f"/api/clinician/people/{patient_pid}/adjustments",
                      json={"exercise_id": "glute_bridge", "action": "regress", "note": "n"}).status_code == 403
    # person endpoints are for people
    assert clinician.get("/api/today").status_code == 403


def test_the_overview_has_history_program_decisions_and_charts(team):
    clinician = team["clinician"]
    pid = team["patient"].account["person_id"]
    o = clinician.get(f"/api/clinician/people/{pid}").json()
    assert o["screenings"] and o["assessments"] and o["sessions"] and o["decisions"]
    assert o["charts"]["pain"] is not None and "adherence" in o["charts"]
    page = clinician.client.get(f"/clinic/people/{pid}")
    assert page.status_code == 200 and "Screening history" in page.text and "<svg" in page.text


def test_adjustment_is_attributed_kept_and_audited(team):
    clinician, patient = team["clinician"], team["patient"]
    pid = patient.account["person_id"]
    program = patient.get("/api/program").json()["program"]
    exercise_id = program["items"][0]["exercise_id"]
    # 3 sets is above the activation phase's range: a warning first, saved once confirmed
    r = clinician.post(f"/api/clinician/people/{pid}/adjustments",
                       json={"exercise_id": exercise_id, "action": "dose", "sets": 3, "note": "Tolerating well."})
    assert r.status_code == 409 and r.json()["confirm_required"] and "3 sets" in r.json()["warnings"][0]
    r = clinician.post(f"/api/clinician/people/{pid}/adjustments",
                       json={"exercise_id": exercise_id, "action": "dose", "sets": 3, "note": "Tolerating well.",
                             "confirm": True})
    assert r.status_code == 201, r.text
    assert r.json()["after"]["sets"] == 3 and r.json()["by_name"] == "Dr Okafor" and r.json()["warnings"]
    decisions = patient.get("/api/progress").json()["decisions"]
    mine = [d for d in decisions if d["source"] == "clinician"]
    assert mine and mine[0]["by_user_id"] == clinician.account["id"] and "Tolerating well." in mine[0]["note"]
    assert mine[0]["by_name"] == "Dr Okafor"
    today = patient.get("/api/today").json()
    assert today["clinician_note"]["note"] == "Tolerating well." and today["clinician_note"]["by"] == "Dr Okafor"
    assert "A note from Dr Okafor" in patient.client.get("/today").text
    bad = clinician.post(f"/api/clinician/people/{pid}/adjustments",
                         json={"exercise_id": exercise_id, "action": "dose", "sets": 0, "note": "x"})
    assert bad.status_code == 422
    no_note = clinician.post(f"/api/clinician/people/{pid}/adjustments",
                             json={"exercise_id": exercise_id, "action": "dose", "sets": 2, "note": ""})
    assert no_note.status_code == 422
    audit = clinician.get(f"/api/clinician/audit?person_id={pid}").json()
    actions = {a["action"] for a in audit}
    assert {"person.viewed", "program.adjusted"} <= actions
    assert all(a["person_id"] == pid for a in audit)


def test_clearance_unlocks_after_an_urgent_screen(app):
    clinician = sign_up(app, "clinician")
    code = clinician.post("/api/clinician/invitations").json()["code"]
    person = sign_up(app, "person", invitation_code=code)
    assert person.post("/api/screenings", json={"answers": screening_answers("urgent")}).status_code == 201
    pid = person.account["person_id"]
    listing = clinician.get("/api/clinician/people").json()
    assert listing[0]["person_id"] == pid and listing[0]["attention"][0]["code"] == "urgent"
    assert listing[0]["lock"]["level"] == "urgent"
    assert any(a["code"] == "urgent" for a in listing[0]["alerts"])
    assert clinician.post(f"/api/clinician/people/{pid}/clearance", json={"note": ""}).status_code == 422
    # what was ruled out and where the person was seen are required
    r = clinician.post(f"/api/clinician/people/{pid}/clearance", json={"note": "Seen in clinic; fine to continue."})
    assert r.status_code == 422 and "ruled_out" in r.text and "seen_where" in r.text
    r = clinician.post(f"/api/clinician/people/{pid}/clearance",
                       json={"note": "Seen in clinic; fine to continue.", "ruled_out": "Spinal infection",
                             "seen_where": "My clinic"})
    assert r.status_code == 201, r.text
    assert r.json()["gate"]["allowed"] is True
    assert (r.json()["ruled_out"], r.json()["seen_where"]) == ("Spinal infection", "My clinic")
    shown = clinician.get(f"/api/clinician/people/{pid}").json()["clearances"][0]
    assert shown["ruled_out"] == "Spinal infection" and shown["seen_where"] == "My clinic" and shown["by"]
    assert person.get("/api/auth/me").json()["person_id"] == pid
    audit = clinician.get("/api/clinician/audit").json()
    assert any(a["action"] == "clearance.recorded" and a["person_id"] == pid for a in audit)


def test_invitation_codes_are_single_use(app):
    clinician = sign_up(app, "clinician")
    code = clinician.post("/api/clinician/invitations").json()["code"]
    sign_up(app, "person", invitation_code=code)
    from .conftest import new_client

    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    r = client.post("/api/auth/signup", json={"email": "late@example.org", "password": "correct horse battery",
                                              "display_name": "Late", "invitation_code": code},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400 and "already been used" in r.json()["detail"]
    person = sign_up(app)
    assert person.post("/api/auth/join", json={"code": "NOPE-NOPE"}).status_code == 400
    assert person.post("/api/auth/join", json={"code": clinician.post("/api/clinician/invitations").json()["code"]}).status_code == 200
    assert person.account["person_id"] in [p["person_id"] for p in clinician.get("/api/clinician/people").json()]


def test_admin_assigns_and_sees_everyone(app):
    from sqlalchemy import update

    from backcoach.storage.models import User

    admin = sign_up(app, "clinician", name="Admin")
    with app.state.sessionmaker() as s:
        s.execute(update(User).where(User.id == admin.account["id"]).values(role="admin"))
        s.commit()
    clinician = sign_up(app, "clinician")
    person = sign_up(app)
    assert clinician.post("/api/clinician/assignments", json={"clinician_email": clinician.email,
                                                               "person_email": person.email}).status_code == 403
    r = admin.post("/api/clinician/assignments", json={"clinician_email": clinician.email, "person_email": person.email})
    assert r.status_code == 201
    assert person.account["person_id"] in [p["person_id"] for p in clinician.get("/api/clinician/people").json()]
    assert person.account["person_id"] in [p["person_id"] for p in admin.get("/api/clinician/people").json()]
