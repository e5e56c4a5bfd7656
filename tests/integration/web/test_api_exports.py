"""Record downloads: a person gets their own FHIR bundle and PDF report; a clinician those
of assigned people only (audited); nobody else."""

from __future__ import annotations

import pytest

from .conftest import full_session, person_with_program, sign_up


@pytest.fixture(scope="module")
def team(app):
    clinician = sign_up(app, "clinician", name="Dr Export")
    code = clinician.post("/api/clinician/invitations").json()["code"]
    patient = person_with_program(app, invitation_code=code)
    today = patient.get("/api/today").json()
    assert patient.post("/api/sessions", json=full_session(today)).status_code == 201
    stranger = person_with_program(app)
    return {"clinician": clinician, "patient": patient, "stranger": stranger}


def _resource_types(bundle):
    return {e["resource"]["resourceType"] for e in bundle["entry"]}


def test_a_person_downloads_their_own_fhir_bundle_and_pdf(team):
    patient = team["patient"]
    r = patient.get("/api/me/export/fhir")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/fhir+json")
    bundle = r.json()
    assert bundle["resourceType"] == "Bundle"
    assert {"Patient", "QuestionnaireResponse", "RiskAssessment", "CarePlan", "Observation"} <= _resource_types(bundle)
    from fhir.resources.R4B.bundle import Bundle

    assert Bundle.model_validate_json(r.content).model_dump(mode="json") == bundle  # the bytes sent are valid FHIR
    pdf = patient.client.get("/api/me/export/report.pdf")  # with the page's cookie, as the link does
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]


def test_a_clinician_downloads_an_assigned_persons_record_and_it_is_audited(team):
    clinician, patient, stranger = team["clinician"], team["patient"], team["stranger"]
    pid = patient.account["person_id"]
    bundle = clinician.get(f"/api/clinician/people/{pid}/export/fhir").json()
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == str(pid)
    assert clinician.get(f"/api/clinician/people/{pid}/export/report.pdf").content.startswith(b"%PDF")
    actions = [e["action"] for e in clinician.get("/api/clinician/audit").json()
               if e.get("person_id") == pid]
    assert actions.count("person.exported") == 2
    spid = stranger.account["person_id"]
    assert clinician.get(f"/api/clinician/people/{spid}/export/fhir").status_code == 403
    assert clinician.get(f"/api/clinician/people/{spid}/export/report.pdf").status_code == 403


def test_people_cannot_use_the_clinician_downloads_and_anonymous_users_get_nothing(team, app):
    from .conftest import new_client

    stranger, patient = team["stranger"], team["patient"]
    pid = patient.account["person_id"]
    assert stranger.get(f"/api/clinician/people/{pid}/export/fhir").status_code == 403
    assert team["clinician"].get("/api/me/export/fhir").status_code == 403
    anonymous = new_client(app)
    assert anonymous.get("/api/me/export/fhir").status_code == 401
    assert anonymous.get(f"/api/clinician/people/{pid}/export/report.pdf").status_code == 401


def test_the_pages_link_to_the_downloads(team):
    patient, clinician = team["patient"], team["clinician"]
    assert "/api/me/export/report.pdf" in patient.client.get("/progress").text
    pid = patient.account["person_id"]
    assert f"/api/clinician/people/{pid}/export/fhir" in clinician.client.get(f"/clinic/people/{pid}").text
