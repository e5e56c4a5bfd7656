"""`backcoach clinicians list|approve|refuse` and `backcoach clearance` by an approved clinician's account."""

from __future__ import annotations

import json

from cli_helpers import ASSESSMENT, CLEAR, CLINICIAN_PASSWORD, LEVELS, clinician_account, write

MON = "2026-03-02T08:00:00+00:00"
LATER = "2026-03-03T08:00:00+00:00"
CLEARED_AT = "2026-03-03T10:00:00+00:00"


def urgent_person(cli, tmp_path) -> None:
    assert cli("start", "--screening", str(write(tmp_path, "s.json", CLEAR)), "--assessment",
               str(write(tmp_path, "a.json", ASSESSMENT)), "--json", now=MON).exit_code == 0
    cli("screen", "--answers", str(write(tmp_path, "u.json", LEVELS["urgent"])), now=LATER)


def clearance(cli, email: str, password: str = CLINICIAN_PASSWORD):
    return cli("clearance", "--clinician", email, "--note", "Examined; no infection.", "--ruled-out", "Infection",
               "--seen-where", "GP surgery", now=CLEARED_AT, input=password + "\n")


def test_list_approve_and_refuse(cli, env, tmp_path):
    urgent_person(cli, tmp_path)  # creates the database
    a = clinician_account(env["DATABASE_URL"], "a@clinic.example", "Dr A", approval=None)
    b = clinician_account(env["DATABASE_URL"], "b@clinic.example", "Dr B", approval=None)
    listed = cli("clinicians", "list")
    assert listed.exit_code == 0, listed.stderr
    assert "PENDING   a@clinic.example  Dr A — Doctor, registration GMC 7654321" in listed.stdout
    assert "2 waiting" in listed.stdout
    approved = cli("clinicians", "approve", "A@Clinic.example")
    assert approved.exit_code == 0 and "a@clinic.example (Dr A, Doctor) is approved" in approved.stdout
    assert "refused" in cli("clinicians", "refuse", b).stdout
    rows = {r["email"]: r for r in json.loads(cli("clinicians", "list", "--json").stdout)}
    assert rows[a]["approval"] == "approved" and rows[a]["decided_by"] == "command line"
    assert rows[b]["approval"] == "refused"
    unknown = cli("clinicians", "approve", "nobody@clinic.example")
    assert unknown.exit_code == 2 and "No clinician account has that email address." in unknown.stderr


def test_clearance_needs_an_approved_clinician_and_their_password(cli, env, tmp_path):
    urgent_person(cli, tmp_path)
    pending = clinician_account(env["DATABASE_URL"], "p@clinic.example", approval=None)
    refused = clinician_account(env["DATABASE_URL"], "r@clinic.example", approval="refused")
    doc = clinician_account(env["DATABASE_URL"], "doc@clinic.example", "Dr Okafor")
    for email, why in ((pending, "waiting for an administrator"), (refused, "was not approved"),
                       (doc + ".typo", "do not match an account")):
        result = clearance(cli, email)
        assert result.exit_code == 2 and why in result.stderr, result.stderr
    wrong = clearance(cli, doc, "not the password")
    assert wrong.exit_code == 2 and "do not match an account" in wrong.stderr
    assert cli("today", now=CLEARED_AT).exit_code == 3
    done = clearance(cli, doc)
    assert done.exit_code == 0, done.stderr
    assert "Clearance by Dr Okafor recorded." in done.stdout
    status = json.loads(cli("status", "--json", now=CLEARED_AT).stdout)
    assert status["program_allowed"] is True


def test_clearance_records_the_clinicians_account(cli, env, tmp_path):
    urgent_person(cli, tmp_path)
    doc = clinician_account(env["DATABASE_URL"], "doc@clinic.example", "Dr Okafor")
    done = cli("clearance", "--clinician", doc, "--note", "Seen.", "--ruled-out", "Infection", "--seen-where", "Clinic",
               "--clinician-password", CLINICIAN_PASSWORD, "--json", now=CLEARED_AT)
    assert done.exit_code == 0, done.stderr
    from sqlalchemy import select

    from backcoach.storage.database import get_engine
    from backcoach.storage.models import Clearance, User

    with get_engine(env["DATABASE_URL"]).connect() as conn:
        by_user, by_name = conn.execute(select(Clearance.by_user_id, Clearance.by_name)).one()
        uid = conn.execute(select(User.id).where(User.email == doc)).scalar_one()
    assert (by_user, by_name) == (uid, "Dr Okafor")


def test_the_free_text_name_is_gone(cli, tmp_path):
    urgent_person(cli, tmp_path)
    result = cli("clearance", "--by", "I feel fine", "--note", "x", "--ruled-out", "x", "--seen-where", "home",
                 now=CLEARED_AT)
    assert result.exit_code == 2 and "--by" in result.stderr
    assert cli("today", now=CLEARED_AT).exit_code == 3


def test_a_wrong_password_at_the_terminal_counts_towards_the_log_in_limit(cli, env, tmp_path):
    from sqlalchemy import func, select

    from backcoach.storage.database import get_engine
    from backcoach.storage.models import Clearance, LoginAttempt

    urgent_person(cli, tmp_path)
    doc = clinician_account(env["DATABASE_URL"], "doc@clinic.example", "Dr Okafor")
    assert clearance(cli, doc, "not the password").exit_code == 2
    with get_engine(env["DATABASE_URL"]).connect() as conn:
        attempts = conn.execute(select(LoginAttempt.key)).scalars().all()
        clearances = conn.execute(select(func.count()).select_from(Clearance)).scalar_one()
    assert f"email:{doc}" in attempts  # kept, though the command failed
    assert clearances == 0
