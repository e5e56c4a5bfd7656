"""Screening, clearance and the lock: every path goes through the gate."""

from __future__ import annotations

import pytest

from backcoach import services
from backcoach.domain.errors import InvalidAnswers, ProgramLocked
from backcoach.services import ClearanceRefused, NotAllowed
from backcoach.storage import models as m
from svc_helpers import SEEN, ASSESSMENT, CLEAR, EMERGENCY, SEE_CLINICIAN, T0, URGENT, URGENT_CANCER, days


def test_screening_is_stored_with_answers_level_and_time(uow, person):
    done = services.record_screening(uow, person, URGENT, T0)
    assert done.result.level.code == "urgent"
    with uow:
        stored = uow.screenings.latest(person)
    assert stored.at == T0 and stored.level == "urgent"
    assert stored.answers == URGENT
    assert stored.result["reasons"][0]["item"] == "fever_or_chills"
    assert not done.gate.allowed


def test_bad_answers_store_nothing(uow, person):
    with pytest.raises(InvalidAnswers):
        services.record_screening(uow, person, {**CLEAR, "age": "forty"}, T0)
    with pytest.raises(InvalidAnswers):
        services.record_screening(uow, person, {**CLEAR, "pain_now": 11}, T0)
    with uow:
        assert uow.screenings.list_for(person) == []


def test_no_screening_no_program(uow, person):
    services.record_assessment(uow, person, ASSESSMENT, T0)
    with pytest.raises(ProgramLocked, match="screening"):
        services.start_program(uow, person, T0)


@pytest.mark.parametrize("answers", [URGENT, EMERGENCY])
def test_urgent_and_emergency_lock_start_and_today(uow, person, answers):
    services.record_screening(uow, person, CLEAR, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.start_program(uow, person, T0)
    services.record_screening(uow, person, answers, days(1))
    with pytest.raises(ProgramLocked):
        services.todays_session(uow, person, days(1, 1))
    with pytest.raises(ProgramLocked):
        services.start_program(uow, person, days(1, 1))
    with pytest.raises(ProgramLocked):
        services.log_session(uow, person, {"exercises": []}, days(1, 1))


def test_see_clinician_allows_with_a_reminder(uow, person):
    services.record_screening(uow, person, SEE_CLINICIAN, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    started = services.start_program(uow, person, T0)
    assert started.gate.allowed and started.gate.reminder
    assert services.todays_session(uow, person, days(0, 1)).gate.reminder


def test_clearance_unlocks_an_urgent_screen(uow, person):
    services.record_screening(uow, person, URGENT, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    with pytest.raises(ProgramLocked):
        services.start_program(uow, person, T0)
    done = services.record_clearance(uow, person, "Dr Rivera", "Examined; no infection. Exercise is fine.", days(0, 5), **SEEN)
    assert done.gate.allowed
    started = services.start_program(uow, person, days(0, 6))
    assert started.program.prescriptions
    with uow:
        assert uow.clearances.latest(person).by_name == "Dr Rivera"
        assert uow.audit.list(person_id=person)[0].action == "clearance.recorded"


def test_clearance_is_refused_against_an_emergency_screen(uow, person):
    services.record_screening(uow, person, EMERGENCY, T0)
    with pytest.raises(ClearanceRefused, match="emergency"):
        services.record_clearance(uow, person, "Dr Rivera", "seen", days(0, 2), **SEEN)
    with uow:
        assert uow.clearances.list_for(person) == []


def test_after_an_emergency_a_calmer_screen_alone_does_not_unlock(uow, person):
    services.record_screening(uow, person, EMERGENCY, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.record_screening(uow, person, CLEAR, days(1))
    with pytest.raises(ProgramLocked, match="later answers .* do not lift this"):
        services.start_program(uow, person, days(1, 1))
    services.record_clearance(uow, person, "Dr Rivera", "MRI normal, cauda equina excluded.", days(1, 2), **SEEN)
    assert services.start_program(uow, person, days(1, 3)).gate.allowed


def test_clearance_needs_a_name_and_a_note_and_something_to_clear(uow, person):
    services.record_screening(uow, person, URGENT, T0)
    with pytest.raises(ClearanceRefused):
        services.record_clearance(uow, person, " ", "note", T0, **SEEN)
    with pytest.raises(ClearanceRefused):
        services.record_clearance(uow, person, "Dr A", "", T0, **SEEN)
    services.record_screening(uow, person, CLEAR, days(0, 1))
    # the urgent screen is still not cleared, so a clearance is possible ...
    services.record_clearance(uow, person, "Dr A", "checked", days(0, 2), **SEEN)
    # ... and then there is nothing left to clear
    with pytest.raises(ClearanceRefused, match="Nothing to clear"):
        services.record_clearance(uow, person, "Dr A", "again", days(0, 3), **SEEN)


def test_a_clearance_covers_the_same_findings_later_but_not_new_ones(uow, person):
    services.record_screening(uow, person, URGENT_CANCER, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.record_clearance(uow, person, "Dr A", "Treated 10 years ago; no recurrence.", days(0, 1), **SEEN)
    services.start_program(uow, person, days(0, 2))
    services.record_screening(uow, person, URGENT_CANCER, days(6))  # the weekly re-screen, same answers
    assert services.todays_session(uow, person, days(6, 1)).gate.allowed
    services.record_screening(uow, person, {**URGENT_CANCER, "fever_or_chills": True}, days(7))
    with pytest.raises(ProgramLocked):
        services.todays_session(uow, person, days(7, 1))


def test_rescreen_is_due_after_seven_days(onboarded, uow):
    assert services.todays_session(uow, onboarded, days(6)).gate.allowed
    with pytest.raises(ProgramLocked, match="again"):
        services.todays_session(uow, onboarded, days(8))
    services.record_screening(uow, onboarded, CLEAR, days(8))
    assert services.todays_session(uow, onboarded, days(8, 1)).items


def test_new_symptoms_close_the_gate_until_the_next_screen(onboarded, uow):
    services.check_in_pain(uow, onboarded, 4, days(1), new_symptoms=True, note="tingling in the left foot")
    with pytest.raises(ProgramLocked, match="new symptoms"):
        services.todays_session(uow, onboarded, days(1, 1))
    services.record_screening(uow, onboarded, CLEAR, days(1, 2))
    assert services.todays_session(uow, onboarded, days(1, 3)).items


def test_clearance_by_an_account_must_be_an_assigned_clinician(uow, person):
    services.record_screening(uow, person, URGENT, T0)
    with uow:
        stranger = uow.users.add(m.User(email="c@x.org", password_hash="x", role="clinician", created_at=T0,
                                        approval="approved"))
        patient = uow.users.add(m.User(email="p@x.org", password_hash="x", role="person", created_at=T0))
        uow.commit()
    with pytest.raises(NotAllowed):
        services.record_clearance(uow, person, "Dr C", "ok", days(0, 1), **SEEN, by_user_id=stranger.id)
    with pytest.raises(NotAllowed):
        services.record_clearance(uow, person, "P", "ok", days(0, 1), **SEEN, by_user_id=patient.id)
    with uow:
        uow.assignments.add(m.ClinicianAssignment(clinician_user_id=stranger.id, person_id=person, created_at=T0))
        uow.commit()
    assert services.record_clearance(uow, person, "Dr C", "ok", days(0, 1), **SEEN, by_user_id=stranger.id).gate.allowed


@pytest.mark.parametrize("approval", ["pending", "refused", None])
def test_clearance_needs_an_approved_clinician_account(uow, person, approval):
    from backcoach.domain.errors import ClinicianNotApproved

    services.record_screening(uow, person, URGENT, T0)
    with uow:
        doc = uow.users.add(m.User(email="d@x.org", password_hash="x", role="clinician", created_at=T0,
                                   approval=approval))
        uow.commit()
        uow.assignments.add(m.ClinicianAssignment(clinician_user_id=doc.id, person_id=person, created_at=T0))
        uow.commit()
    with pytest.raises(ClinicianNotApproved):
        services.record_clearance(uow, person, "Dr D", "ok", days(0, 1), by_user_id=doc.id, **SEEN)
    assert not services.get_status(uow, person, days(0, 2)).gate.allowed


def test_nobody_clears_their_own_record_from_a_second_account_on_the_same_mailbox(uow, person):
    """The self-clearance attack: alice@ signs up again as alice+doc@ "a clinician" and is followed."""
    services.record_screening(uow, person, URGENT, T0)
    with uow:
        uow.users.add(m.User(email="alice@x.org", password_hash="x", role="person", person_id=person, created_at=T0))
        doc = uow.users.add(m.User(email="Alice+doc@x.org", password_hash="x", role="clinician", created_at=T0,
                                   approval="approved"))
        uow.commit()
        uow.assignments.add(m.ClinicianAssignment(clinician_user_id=doc.id, person_id=person, created_at=T0))
        uow.commit()
    with pytest.raises(NotAllowed, match="own record"):
        services.record_clearance(uow, person, "Dr Alice", "I feel fine", days(0, 1), by_user_id=doc.id, **SEEN)
    assert not services.get_status(uow, person, days(0, 2)).gate.allowed


def test_status_after_clearance_shows_the_cleared_screen_not_an_open_urgent_alert(uow, person):
    services.record_screening(uow, person, URGENT, T0)
    before = services.get_status(uow, person, days(0, 1))
    assert "urgent" in [a.code for a in before.alerts]
    services.record_clearance(uow, person, "Dr Rivera", "Examined; no infection.", days(0, 5), **SEEN)
    codes = [a.code for a in services.get_status(uow, person, days(0, 6)).alerts]
    assert "urgent" not in codes and "urgent_cleared" in codes


def test_after_a_clearance_sessions_progress_normally(uow, person):
    from svc_helpers import session_for

    services.record_screening(uow, person, URGENT, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.record_clearance(uow, person, "Dr Rivera", "Examined; no infection.", days(0, 1), **SEEN)
    services.start_program(uow, person, days(0, 2))
    services.log_session(uow, person, session_for(uow, person, days(0, 3)), days(0, 4))
    services.check_in_pain(uow, person, 2, days(1), next_morning=True)
    second = services.log_session(uow, person, session_for(uow, person, days(1, 3)), days(1, 4))
    assert "progress" in {d.action for d in second.decisions}


def test_emergency_then_no_a_minute_later_keeps_the_emergency_lock(uow, person):
    """Issue 9: bladder change and saddle numbness, then "no" to both a minute later."""
    import datetime as dt

    services.record_screening(uow, person, {**EMERGENCY, "bladder_change": True}, T0)
    later = services.record_screening(uow, person, CLEAR, T0 + dt.timedelta(minutes=1))
    gate = later.gate
    assert not gate.allowed and gate.locked
    assert gate.effective_level.code == "emergency"  # not lowered to "urgent"
    lock = gate.lock_dict()
    assert lock["level"] == "emergency" and lock["on"] == "2026-03-02"
    assert {f["item"] for f in lock["findings"]} >= {"bladder_change", "saddle_numbness"}
    assert gate.reasons[0].startswith("Your program is paused until a clinician has checked you")
    assert "emergency" in gate.reasons[0] and "2026-03-02" in gate.reasons[0]
    assert "no warning sign" not in " ".join(gate.reasons)
    assert "emergency" in gate.reminder.lower()
    status = services.get_status(uow, person, T0 + dt.timedelta(minutes=2))
    assert status.alerts[0].code == "emergency"
    assert "paused until a clinician has checked you" in status.alerts[0].message  # not "the latest screening"
    assert status.to_dict()["gate"]["lock"]["level"] == "emergency"


def test_an_urgent_lock_reads_the_same_after_a_better_screen(uow, person):
    services.record_screening(uow, person, URGENT, T0)
    gate = services.record_screening(uow, person, CLEAR, days(0, 1)).gate
    assert not gate.allowed and gate.lock_dict()["level"] == "urgent"
    assert gate.effective_level.code == "urgent"
    assert "paused until a clinician has checked you" in gate.reasons[0]


def test_a_clearance_needs_what_was_ruled_out_and_where_and_keeps_them(uow, person):
    services.record_screening(uow, person, EMERGENCY, T0)
    services.record_screening(uow, person, CLEAR, days(0, 6))
    with pytest.raises(ClearanceRefused, match="ruled out"):
        services.record_clearance(uow, person, "Dr A", "note", days(0, 7), ruled_out=" ", seen_where="ED")
    with pytest.raises(ClearanceRefused, match="where the person was seen"):
        services.record_clearance(uow, person, "Dr A", "note", days(0, 7), ruled_out="CES", seen_where="")
    done = services.record_clearance(uow, person, "Dr A", "Scan normal.", days(0, 7), **SEEN)
    assert done.gate.allowed and not done.gate.locked
    assert done.lifted_screening_id is not None
    with uow:
        c = uow.clearances.latest(person)
    assert (c.ruled_out, c.seen_where) == (SEEN["ruled_out"], SEEN["seen_where"])
    shown = services.get_status(uow, person, days(0, 8)).to_dict()["gate"]["clearance"]
    assert shown["ruled_out"] == SEEN["ruled_out"] and shown["seen_where"] == SEEN["seen_where"] and shown["by"] == "Dr A"


def test_a_clearance_recorded_before_a_new_emergency_does_not_lift_it(uow, person):
    services.record_screening(uow, person, URGENT, T0)
    services.record_clearance(uow, person, "Dr A", "ok", days(0, 1), **SEEN)
    services.record_screening(uow, person, EMERGENCY, days(1))
    services.record_screening(uow, person, CLEAR, days(1, 1))
    gate = services.get_status(uow, person, days(1, 2)).gate
    assert not gate.allowed and gate.lock_dict()["level"] == "emergency"


def test_an_emergency_is_not_hidden_by_a_later_urgent_screen(uow, person):
    services.record_screening(uow, person, EMERGENCY, T0)
    services.record_screening(uow, person, URGENT, days(0, 1))
    gate = services.get_status(uow, person, days(0, 2)).gate
    lock = gate.lock_dict()
    assert lock["level"] == "emergency" and lock["at"] == T0.isoformat()
    assert gate.effective_level.code == "emergency"
    # the assessment recorded after both (against the urgent screen) lifts both
    services.record_clearance(uow, person, "Dr A", "Seen in ED; no compression, no infection.", days(0, 3), **SEEN)
    assert services.get_status(uow, person, days(0, 4)).gate.lock_dict() is None
