"""Program, sessions, pain check-ins, status and the clinician's views."""

from __future__ import annotations

import pytest

from backcoach import services
from backcoach.domain.errors import InvalidAnswers
from backcoach.services import InvalidAdjustment, NoProgram, NotAllowed
from backcoach.storage import models as m
from svc_helpers import ASSESSMENT, CLEAR, T0, days, session_for


def test_start_program_stores_one_active_program_from_the_assessment(onboarded, uow):
    with uow:
        programs = uow.programs.list_for(onboarded)
        assessment = uow.assessments.latest(onboarded)
    assert len(programs) == 1 and programs[0].active and programs[0].phase == "activation"
    assert programs[0].assessment_id == assessment.id
    ids = [p["exercise_id"] for p in programs[0].program["prescriptions"]]
    assert "glute_bridge" in ids and "clamshell" in ids
    services.record_assessment(uow, onboarded, ASSESSMENT, days(1))
    services.start_program(uow, onboarded, days(1))
    with uow:
        assert [p.active for p in uow.programs.list_for(onboarded)] == [True, False]


def test_no_assessment_no_program(uow, person):
    services.record_screening(uow, person, CLEAR, T0)
    with pytest.raises(NoProgram):
        services.start_program(uow, person, T0)
    with pytest.raises(NoProgram):
        services.todays_session(uow, person, T0)


def test_assessment_sets_the_onset_date(onboarded, uow):
    with uow:
        assert uow.people.get(onboarded).onset_date == (T0 - __import__("datetime").timedelta(weeks=2)).date()


def test_todays_session_lists_prescriptions_with_cues(onboarded, uow):
    today = services.todays_session(uow, onboarded, days(0, 2))
    assert today.items and not today.rest_day and not today.done_today
    first = today.items[0]
    assert first.exercise["cues"] and first.prescription.describe()
    assert today.to_dict()["exercises"][0]["exercise_id"] == first.prescription.exercise_id


def test_a_session_is_logged_with_a_decision_per_exercise(onboarded, uow):
    data = session_for(uow, onboarded, days(0, 2), pain_now=2)
    logged = services.log_session(uow, onboarded, data, days(0, 3))
    assert not logged.duplicate
    assert {d.exercise_id for d in logged.decisions} == {e["exercise_id"] for e in data["exercises"]}
    assert all(d.reasons for d in logged.decisions)
    with uow:
        assert len(uow.sessions.list_for(onboarded)) == 1
        assert len(uow.decisions.list_for(onboarded)) == len(data["exercises"])
        kinds = sorted(p.kind for p in uow.pain.list_for(onboarded))
    assert kinds == ["daily", "during"]
    assert services.todays_session(uow, onboarded, days(0, 4)).done_today


def test_the_same_form_twice_changes_nothing(onboarded, uow):
    data = session_for(uow, onboarded, days(0, 2), key="form-abc")
    first = services.log_session(uow, onboarded, data, days(0, 3))
    again = services.log_session(uow, onboarded, data, days(0, 3, ))
    assert again.duplicate and again.session_id == first.session_id
    assert [d["action"] for d in again.to_dict()["decisions"]] == [d.action for d in first.decisions]
    with uow:
        assert len(uow.sessions.list_for(onboarded)) == 1
        assert len(uow.decisions.list_for(onboarded)) == len(first.decisions)


def test_two_good_sessions_progress_and_high_pain_regresses(onboarded, uow):
    before = {i.prescription.exercise_id: i.prescription for i in services.todays_session(uow, onboarded, days(0, 1)).items}
    services.log_session(uow, onboarded, session_for(uow, onboarded, days(0, 1)), days(0, 2))
    services.check_in_pain(uow, onboarded, 2, days(1, 0), next_morning=True)
    second = services.log_session(uow, onboarded, session_for(uow, onboarded, days(1, 1)), days(1, 2))
    assert "progress" in {d.action for d in second.decisions}
    after = {i.prescription.exercise_id: i.prescription for i in services.todays_session(uow, onboarded, days(2, 1)).items}
    assert after != before
    hurt = services.log_session(uow, onboarded, session_for(uow, onboarded, days(2, 1), pain=7), days(2, 2))
    assert {d.action for d in hurt.decisions} == {"regress"}


def test_next_morning_pain_is_matched_whether_the_monitoring_window_reaches_the_session_or_not(onboarded, uow):
    # A session log takes the next-morning pain from the monitoring window it read when the
    # window reaches back far enough, and reads it otherwise: the logs are the same either way.
    from backcoach.services.common import monitoring_pain, monitoring_since
    from backcoach.services.sessions import recent_exercise_logs

    data = session_for(uow, onboarded, days(0, 2))
    services.log_session(uow, onboarded, data, days(0, 2))
    services.check_in_pain(uow, onboarded, 3, days(1, 0), next_morning=True)
    ids = [e["exercise_id"] for e in data["exercises"]]
    for now, window_reaches in [(days(5), True), (days(60), False)]:
        assert (monitoring_since(now) <= days(0)) is window_reaches
        with uow:
            read, session_days = recent_exercise_logs(uow, onboarded, ids, days(-90).date(), now)
            taken, _ = recent_exercise_logs(uow, onboarded, ids, days(-90).date(), now,
                                            pain_read=(monitoring_since(now), monitoring_pain(uow, onboarded, now)))
        assert taken == read and session_days == [days(0).date()]
        assert {log.next_morning_pain for logs in read.values() for log in logs} == {3}


def test_high_next_morning_pain_steps_yesterdays_exercises_back(onboarded, uow):
    for n in range(3):
        services.check_in_pain(uow, onboarded, 2, days(0, n))  # baseline 2
    services.log_session(uow, onboarded, session_for(uow, onboarded, days(0, 5)), days(0, 6))
    done = services.check_in_pain(uow, onboarded, 6, days(1), next_morning=True)
    assert done.decisions and {d.action for d in done.decisions} == {"regress"}
    with uow:
        assert uow.decisions.list_for(onboarded)[0].action == "regress"


def test_session_input_is_checked_strictly_and_nothing_is_stored(onboarded, uow):
    good = session_for(uow, onboarded, days(0, 1))
    bad_cases = [
        {"exercises": []},
        {"exercises": [{**good["exercises"][0], "exercise_id": "side_plank"}]},
        {"exercises": [{**good["exercises"][0], "pain_during": 11}]},
        {"exercises": [{**good["exercises"][0], "form": "great"}]},
        {"exercises": [{**good["exercises"][0], "rpe": "high"}]},
        {"exercises": good["exercises"], "extra": 1},
        {"exercises": good["exercises"], "performed_on": "2026-13-01"},
        {"exercises": [{k: v for k, v in good["exercises"][0].items() if k != "sets"}]},
    ]
    for bad in bad_cases:
        with pytest.raises(InvalidAnswers):
            services.log_session(uow, onboarded, bad, days(0, 2))
    with uow:
        assert uow.sessions.list_for(onboarded) == [] and uow.pain.list_for(onboarded) == []


def test_checkin_validates_and_works_while_locked(uow, person):
    with pytest.raises(InvalidAnswers):
        services.check_in_pain(uow, person, 11, T0)
    with pytest.raises(InvalidAnswers):
        services.check_in_pain(uow, person, True, T0)
    done = services.check_in_pain(uow, person, 3, T0)  # no screening, no program: still recorded
    assert done.kind == "daily" and not done.gate.allowed


def test_status_shows_program_decisions_trend_and_escalations(onboarded, uow):
    for n, pain in enumerate([3, 3, 3]):
        services.check_in_pain(uow, onboarded, pain, days(n))
    services.log_session(uow, onboarded, session_for(uow, onboarded, days(2, 1)), days(2, 2))
    st = services.get_status(uow, onboarded, days(2, 3))
    data = st.to_dict()
    assert data["program"]["phase"] == "activation" and data["program_allowed"]
    assert data["decisions"] and data["decisions"][0]["reasons"]
    assert data["monitoring"]["baseline"] == 3
    late = services.get_status(uow, onboarded, days(9)).to_dict()
    assert "rescreen_due" in {a["code"] for a in late["escalations"]}
    assert not late["program_allowed"]


def test_worsening_pain_pauses_progression_and_steps_back(onboarded, uow):
    for n in range(3):
        services.check_in_pain(uow, onboarded, 2, days(0, n))  # baseline 2
    for n in range(1, 6):
        services.check_in_pain(uow, onboarded, 6, days(n))
    logged = services.log_session(uow, onboarded, session_for(uow, onboarded, days(5, 1)), days(5, 2))
    assert "worsening" in {a.code for a in logged.alerts}
    assert "progress" not in {d.action for d in logged.decisions}
    assert "regress" in {d.action for d in logged.decisions}
    for n in range(6, 10):
        services.check_in_pain(uow, onboarded, 6, days(n))
    # the step back rested both activation exercises (gentlest step) for 3 days; back on day 9
    services.record_screening(uow, onboarded, CLEAR, days(9))  # the weekly re-screen
    again = services.log_session(uow, onboarded, session_for(uow, onboarded, days(9, 1)), days(9, 2))
    assert {d.action for d in again.decisions} == {"hold"}  # stepped back once in the last 7 days already


def _clinician(uow, person_id, assign=True, role="clinician"):
    with uow:
        user = uow.users.add(m.User(email=f"{role}{person_id}{assign}@x.org", password_hash="x", role=role,
                                    display_name="Dr Lee", created_at=T0,
                                    approval="approved" if role == "clinician" else None))
        if assign:
            uow.assignments.add(m.ClinicianAssignment(clinician_user_id=user.id, person_id=person_id, created_at=T0))
        uow.commit()
        return user.id


def test_clinician_adjustment_is_attributed_and_kept(onboarded, uow):
    doc = _clinician(uow, onboarded)
    done = services.adjust_program(uow, onboarded, "glute_bridge", "dose", "Fewer reps while the flare settles.",
                                   days(0, 1), by_user_id=doc, reps=8)
    assert done.after.reps == 8
    with uow:
        d = uow.decisions.list_for(onboarded)[0]
        assert d.source == "clinician" and d.by_user_id == doc and "Dr Lee" in d.reasons[0]
        assert uow.audit.list(person_id=onboarded)[0].action == "program.adjusted"
    # the banded clamshell belongs to the strengthening phase: a warning, saved once confirmed
    with pytest.raises(services.AdjustmentNeedsConfirmation, match="strengthening phase"):
        services.adjust_program(uow, onboarded, "clamshell", "swap", "Try the band.", days(0, 2),
                                by_user_id=doc, new_exercise_id="banded_clamshell")
    swapped = services.adjust_program(uow, onboarded, "clamshell", "swap", "Try the band.", days(0, 2),
                                      by_user_id=doc, new_exercise_id="banded_clamshell", confirm=True)
    assert swapped.warnings and swapped.by_name == "Dr Lee"
    assert swapped.after.exercise_id == "banded_clamshell"
    ids = [i.prescription.exercise_id for i in services.todays_session(uow, onboarded, days(0, 3)).items]
    assert "banded_clamshell" in ids and "clamshell" not in ids
    with pytest.raises(InvalidAdjustment):
        services.adjust_program(uow, onboarded, "glute_bridge", "dose", "", days(0, 3), by_user_id=doc, reps=8)
    with pytest.raises(InvalidAdjustment):
        services.adjust_program(uow, onboarded, "side_plank", "regress", "x", days(0, 3), by_user_id=doc)
    # the service checks with the declared adjustment too (domain.inputs.ADJUSTMENT): the same words
    with pytest.raises(InvalidAdjustment, match=r"^reps: Enter a whole number from 1 to 40\.$"):
        services.adjust_program(uow, onboarded, "glute_bridge", "dose", "More.", days(0, 3), by_user_id=doc, reps=41)
    with pytest.raises(InvalidAdjustment, match=r"^action: Choose one of: swap, regress, progress, dose\.$"):
        services.adjust_program(uow, onboarded, "glute_bridge", "jump", "More.", days(0, 3), by_user_id=doc)


def test_only_assigned_clinicians_adjust_or_view(onboarded, uow):
    stranger = _clinician(uow, onboarded, assign=False)
    with pytest.raises(NotAllowed):
        services.adjust_program(uow, onboarded, "glute_bridge", "regress", "x", days(0, 1), by_user_id=stranger)
    with pytest.raises(NotAllowed):
        services.person_overview(uow, stranger, onboarded, days(0, 1))
    assert services.people_for_clinician(uow, stranger, days(0, 1)) == []


def test_a_pending_clinician_sees_no_one_even_when_assigned(onboarded, uow):
    doc = _clinician(uow, onboarded)
    with uow:
        uow.users.get(doc).approval = "pending"
        uow.commit()
    for call in (lambda: services.people_for_clinician(uow, doc, days(0, 1)),
                 lambda: services.person_overview(uow, doc, onboarded, days(0, 1)),
                 lambda: services.adjust_program(uow, onboarded, "glute_bridge", "regress", "x", days(0, 1),
                                                 by_user_id=doc)):
        with pytest.raises(NotAllowed, match="waiting for an administrator"):
            call()


def test_clinician_list_puts_the_person_needing_attention_first(uow):
    calm = services.create_person(uow, "Calm", T0)
    flagged = services.create_person(uow, "Flagged", T0)
    for pid in (calm, flagged):
        services.record_screening(uow, pid, CLEAR, T0)
        services.record_assessment(uow, pid, ASSESSMENT, T0)
        services.start_program(uow, pid, T0)
    services.record_screening(uow, flagged, {**CLEAR, "fever_or_chills": True}, days(1))
    doc = _clinician(uow, calm)
    with uow:
        uow.assignments.add(m.ClinicianAssignment(clinician_user_id=doc, person_id=flagged, created_at=T0))
        uow.commit()
    listed = services.people_for_clinician(uow, doc, days(1, 1))
    assert [s.person_id for s in listed] == [flagged, calm]
    assert listed[0].rank < listed[1].rank and not listed[0].program_allowed
    overview = services.person_overview(uow, doc, flagged, days(1, 1)).to_dict()
    assert [s["level"] for s in overview["screenings"]] == ["urgent", "clear"]


def test_status_recommends_a_consultation_under_the_six_week_rule(uow, person):
    services.record_screening(uow, person, {**CLEAR, "onset_weeks": 7}, T0)
    services.record_assessment(uow, person, {**ASSESSMENT, "onset_weeks": 7}, T0)
    services.start_program(uow, person, T0)
    for n in range(5):
        services.check_in_pain(uow, person, 4, days(n))
    codes = {a["code"] for a in services.get_status(uow, person, days(4, 1)).to_dict()["escalations"]}
    assert "six_week_rule" in codes


def test_days_are_the_persons_local_days(uow, person):
    import datetime as dt

    la = dt.timezone(dt.timedelta(hours=-8))
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=la)
    services.record_screening(uow, person, CLEAR, start)
    services.record_assessment(uow, person, ASSESSMENT, start)
    services.start_program(uow, person, start)
    evening = dt.datetime(2026, 3, 2, 19, 0, tzinfo=la)  # already 3 March in UTC
    logged = services.log_session(uow, person, session_for(uow, person, evening), evening)
    assert logged.performed_on == dt.date(2026, 3, 2)
    morning = dt.datetime(2026, 3, 3, 7, 0, tzinfo=la)
    assert not services.todays_session(uow, person, morning).done_today
    services.check_in_pain(uow, person, 2, morning, next_morning=True)
    second = services.log_session(uow, person, session_for(uow, person, morning), morning + dt.timedelta(hours=10))
    assert "progress" in {d.action for d in second.decisions}  # yesterday's morning-after pain was matched


def test_an_exercise_left_out_of_many_sessions_is_still_decided_on_its_own_newest_logs(onboarded, uow):
    # The rules read only an exercise's newest logs, looking back past the sessions that left it out.
    first = session_for(uow, onboarded, days(0, 2))
    assert "glute_bridge" in [e["exercise_id"] for e in first["exercises"]]
    decided = services.log_session(uow, onboarded, first, days(0, 2))
    assert {d.exercise_id: d.action for d in decided.decisions}["glute_bridge"] == "hold"
    services.check_in_pain(uow, onboarded, 2, days(1, 0), next_morning=True)
    for n in range(12):  # more sessions than the first look-back reads, none with the bridge
        when = days(1 + n // 3, 2 + n)
        with uow:
            current = uow.programs.active_for(onboarded).program["prescriptions"]
        others = [{"exercise_id": p["exercise_id"], "sets": p["sets"], "hold_s": p["hold_s"], "pain_during": 1,
                   "rpe": 5, "form": "good", **({"reps": p["reps"]} if p.get("reps") else {})}
                  for p in current if p["exercise_id"] != "glute_bridge"]
        services.log_session(uow, onboarded, {"exercises": others}, when)
    bridge = [e for e in first["exercises"] if e["exercise_id"] == "glute_bridge"]  # its dose has not changed
    with uow:
        assert [p for p in uow.programs.active_for(onboarded).program["prescriptions"]
                if p["exercise_id"] == "glute_bridge"][0]["sets"] == bridge[0]["sets"]
    decided = services.log_session(uow, onboarded, {"exercises": bridge}, days(5, 8))
    (decision,) = decided.decisions
    assert decision.action == "progress", decision.reasons
