"""Clinician accounts (DESIGN §8): pending until an administrator approves them, no data and
no clinician action before that, and nobody acting as a clinician on their own record."""

from __future__ import annotations

import uuid

import pytest

from .conftest import PASSWORD, admin_user, new_client, person_with_program, screening_answers, sign_up


CLEARANCE = {"ruled_out": "Infection", "seen_where": "Clinic", "note": "fine"}


def _email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.org"


def test_a_clinician_must_give_a_profession_and_a_registration_number(app):
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    body = {"email": _email("doc"), "password": PASSWORD, "display_name": "Dr X", "role": "clinician",
            "accept_privacy_notice": True}
    r = client.post("/api/auth/signup", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400
    assert "Choose your profession" in r.json()["detail"] and "registration number" in r.json()["detail"]
    r = client.post("/api/auth/signup", json={**body, "profession": "Wizard", "registration_number": "!!"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 400
    r = client.post("/api/auth/signup", json={**body, "profession": "Physiotherapist", "registration_number": " PH  123456 "},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 202, r.text  # sign-up does not log in (issue 10: it must not tell who has an account)
    admin = admin_user(app)
    row = next(c for c in admin.get("/api/admin/clinicians").json() if c["email"] == body["email"])
    assert (row["profession"], row["registration_number"], row["approval"]) == ("Physiotherapist", "PH 123456", "pending")


def test_the_sign_up_form_keeps_the_clinician_fields(app):
    client = new_client(app)
    page = client.get("/signup")
    assert 'name="profession"' in page.text and 'name="registration_number"' in page.text
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/signup", data={"csrf_token": csrf, "display_name": "Dr Y", "email": _email("y"),
                                     "password": PASSWORD, "role": "clinician", "profession": "Doctor",
                                     "registration_number": "", "accept_privacy_notice": "yes"})
    assert r.status_code == 400 and "registration number" in r.text
    assert '<option value="Doctor" selected>' in r.text


@pytest.fixture(scope="module")
def patient(app):
    """A person followed by an approved clinician, with an urgent screen waiting for clearance."""
    doc = sign_up(app, "clinician", name="Dr Approved")
    code = doc.post("/api/clinician/invitations").json()["code"]
    person = person_with_program(app, invitation_code=code)
    assert person.post("/api/screenings", json={"answers": screening_answers("urgent")}).status_code == 201
    return person


CLINICIAN_GETS = ("/api/clinician/people", "/api/clinician/people/{pid}", "/api/clinician/audit",
                  "/api/clinician/people/{pid}/export/fhir", "/api/clinician/people/{pid}/export/report.pdf")
CLINICIAN_PAGES = ("/clinic", "/clinic/people/{pid}", "/clinic/audit")


@pytest.mark.parametrize("approval", ["pending", "refused"])
def test_an_unapproved_clinician_gets_403_everywhere_and_a_page_that_says_why(app, patient, approval):
    doc = sign_up(app, "clinician", approved=False)
    if approval == "refused":
        admin = admin_user(app)
        assert admin.post(f"/api/admin/clinicians/{doc.account['id']}/refuse").status_code == 200
    pid = patient.account["person_id"]
    # even assigned to the person, an unapproved account sees and does nothing
    from backcoach.services import web_accounts
    from backcoach.storage import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as db:
        web_accounts.assign(db, clinician_user_id=doc.account["id"], person_id=pid,
                            now=__import__("datetime").datetime.now(__import__("datetime").timezone.utc))
        db.commit()
    for url in CLINICIAN_GETS:
        r = doc.get(url.format(pid=pid))
        assert r.status_code == 403 and r.json()["approval"] == approval, (url, r.text)
    assert doc.post("/api/clinician/invitations").status_code == 403
    assert doc.post(f"/api/clinician/people/{pid}/clearance", json=CLEARANCE).status_code == 403
    assert doc.post(f"/api/clinician/people/{pid}/adjustments",
                    json={"exercise_id": "glute_bridge", "action": "regress", "note": "n"}).status_code == 403
    for url in CLINICIAN_PAGES:
        page = doc.client.get(url.format(pid=pid))
        assert page.status_code == 403, url
        assert ("waiting for approval" if approval == "pending" else "was not approved") in page.text
        assert "Dr Approved" not in page.text and patient.account["display_name"] not in page.text
    home = doc.client.get("/", follow_redirects=True)
    assert home.status_code == 403 and ("waiting for approval" if approval == "pending" else "not approved") in home.text
    assert patient.get("/api/today").status_code == 409  # still locked: nobody cleared it


def test_an_administrator_approves_on_the_page_with_csrf_and_it_is_audited(app):
    admin = admin_user(app)
    doc = sign_up(app, "clinician", name="Dr Waiting", approved=False)
    page = admin.client.get("/admin/clinicians")
    assert page.status_code == 200
    assert "Dr Waiting" in page.text and "PH 123456" in page.text and "Physiotherapist" in page.text
    assert 'href="/admin/clinicians"' in page.text  # in the nav
    action = f"/admin/clinicians/{doc.account['id']}/approve"
    assert admin.client.post(action, data={}).status_code == 403  # no CSRF token
    assert doc.post("/api/clinician/invitations").status_code == 403
    tokens = admin.page_tokens(page.text)
    r = admin.client.post(action, data=tokens, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/clinicians?msg=approved"
    assert doc.post("/api/clinician/invitations").status_code == 201
    assert doc.client.get("/clinic").status_code == 200
    audit = admin.get("/api/clinician/audit").json()
    assert any(e["action"] == "clinician.approved" and e["actor"] == admin.email
               and e["detail"]["clinician_user_id"] == doc.account["id"] for e in audit)


def test_only_an_administrator_decides(app):
    doc = sign_up(app, "clinician")
    person = sign_up(app, "person")
    waiting = sign_up(app, "clinician", approved=False)
    for user in (doc, person, waiting):
        assert user.get("/api/admin/clinicians").status_code == 403
        assert user.post(f"/api/admin/clinicians/{waiting.account['id']}/approve").status_code == 403
        assert user.client.get("/admin/clinicians").status_code == 403
    assert new_client(app).get("/admin/clinicians", follow_redirects=False).status_code == 303
    assert new_client(app).get("/api/admin/clinicians").status_code == 401


def test_the_self_clearance_attack_is_refused(app):
    """A person with an urgent screen signs up again "as a clinician" and tries to clear themselves."""
    admin = admin_user(app)
    tag = uuid.uuid4().hex[:8]
    person = sign_up(app, "person", email=f"alice-{tag}@example.org")
    assert person.post("/api/screenings", json={"answers": screening_answers("urgent")}).status_code == 201
    fake = sign_up(app, "clinician", approved=False, email=f"alice-{tag}+doc@example.org")
    # pending: no invitation code, nothing
    assert fake.post("/api/clinician/invitations").status_code == 403
    # and an administrator cannot approve the same mailbox
    r = admin.post(f"/api/admin/clinicians/{fake.account['id']}/approve")
    assert r.status_code == 400 and "same mailbox" in r.json()["detail"]
    page = admin.client.get("/admin/clinicians")
    assert f"same mailbox as the person's account alice-{tag}@example.org" in page.text
    assert f'action="/admin/clinicians/{fake.account["id"]}/approve"' not in page.text
    assert person.get("/api/progress").json()["program_allowed"] is False


def test_a_clinician_approved_before_the_person_signed_up_still_cannot_act_for_them(app):
    tag = uuid.uuid4().hex[:8]
    fake = sign_up(app, "clinician", email=f"bob-{tag}+doc@example.org")  # approved: no person on that mailbox yet
    code = fake.post("/api/clinician/invitations").json()["code"]
    # joining one's own clinician account is refused, at sign-up and later
    client = new_client(app)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]
    r = client.post("/api/auth/signup", headers={"X-CSRF-Token": csrf}, json={
        "email": f"bob-{tag}@example.org", "password": PASSWORD, "display_name": "Bob", "invitation_code": code,
        "accept_privacy_notice": True})
    assert r.status_code == 400 and "own record" in r.json()["detail"]
    person = sign_up(app, "person", email=f"bob-{tag}@example.org")
    assert person.post("/api/auth/join", json={"code": code}).status_code == 400
    admin = admin_user(app)
    r = admin.post("/api/clinician/assignments", json={"clinician_email": fake.email, "person_email": person.email})
    assert r.status_code == 400 and "own record" in r.json()["detail"]
    # even linked behind the app's back, the clinician cannot see or clear this person
    from backcoach.services import web_accounts
    from backcoach.storage import SqlAlchemyUnitOfWork
    import datetime as dt

    pid = person.account["person_id"]
    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as db:
        web_accounts.assign(db, clinician_user_id=fake.account["id"], person_id=pid, now=dt.datetime.now(dt.timezone.utc))
        db.commit()
    assert person.post("/api/screenings", json={"answers": screening_answers("urgent")}).status_code == 201
    assert fake.get(f"/api/clinician/people/{pid}").status_code == 403
    r = fake.post(f"/api/clinician/people/{pid}/clearance", json={**CLEARANCE, "note": "I feel fine"})
    assert r.status_code == 403 and "own record" in r.json()["detail"]
    assert person.get("/api/progress").json()["program_allowed"] is False


def test_an_invitation_from_a_clinician_whose_approval_was_withdrawn_no_longer_works(app):
    doc = sign_up(app, "clinician")
    code = doc.post("/api/clinician/invitations").json()["code"]
    admin = admin_user(app)
    assert admin.post(f"/api/admin/clinicians/{doc.account['id']}/refuse").json()["approval"] == "refused"
    person = sign_up(app, "person")
    r = person.post("/api/auth/join", json={"code": code})
    assert r.status_code == 400 and "not approved" in r.json()["detail"]
