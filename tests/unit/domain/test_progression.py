"""Progression after each session: every branch of DESIGN.md §4 and the safety properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalog import load_catalog
from backcoach.domain.catalog import BANDS
from backcoach.domain.program import Prescription
from backcoach.domain.progression import (
    history_needed,
    Decision,
    ExerciseLog,
    progress_decision,
    progress_prescription,
    regress_prescription,
)

from .support import FAST

CATALOG = load_catalog()
DAY = date(2026, 11, 2)
BASELINE = 2.0


def rx(exercise_id="glute_bridge", sets=2, reps=10, hold_s=3, band=None) -> Prescription:
    exercise = CATALOG.get(exercise_id)
    return Prescription(exercise_id, sets, reps if exercise.dose.unit == "reps" else None, hold_s,
                        band if band or not exercise.banded else "light", exercise.per_side)


def log(p: Prescription, day: int = 0, *, pain=1, rpe=5, form="good", faults=(), fraction=None, morning=2,
        done: float = 1.0) -> ExerciseLog:
    if p.reps is not None:
        total = round(p.sets * p.reps * done)
        reps = tuple(min(p.reps, max(0, total - i * p.reps)) for i in range(p.sets))
        holds = (float(p.hold_s),) * p.sets
    else:
        reps = ()
        holds = (p.hold_s * done,) * p.sets
    return ExerciseLog(p.exercise_id, DAY + timedelta(days=day), p, p.sets, reps, holds, pain, rpe, form,
                       tuple(faults), fraction, morning)


def decide(p: Prescription, *logs: ExerciseLog, phase=None, baseline=BASELINE) -> Decision:
    return progress_decision(p, list(logs), baseline, CATALOG, phase=phase)


def good_pair(p: Prescription) -> tuple[ExerciseLog, ExerciseLog]:
    return log(p, 0), log(p, 2, morning=None)


# ---- regress: four triggers ------------------------------------------------------------------

REGRESS_CASES = {
    "pain during above 5": dict(pain=6),
    "pain during 9": dict(pain=9),
    "next morning 2 above baseline": dict(morning=4),
    "next morning far above baseline": dict(morning=7),
    "serious fault in 30 % of reps": dict(form="some_faults", faults=("lumbar_hyperextension",), fraction=0.3),
    "serious fault, poor form, share unknown": dict(form="poor", faults=("lumbar_hyperextension",)),
    "less than half the dose": dict(done=0.45),
}


@pytest.mark.parametrize("name", sorted(REGRESS_CASES))
def test_regress_triggers(name: str) -> None:
    p = rx(sets=2, reps=10, hold_s=3)
    first, _ = good_pair(p)
    decision = decide(p, first, log(p, 2, **REGRESS_CASES[name]))
    assert decision.action == "regress"
    assert decision.after != decision.before
    assert len(decision.reasons) >= 2  # the trigger and the change


def test_a_measured_share_of_arching_regresses_even_without_fault_ids() -> None:
    p = rx("clamshell", sets=2, reps=10, hold_s=2)
    decision = decide(p, log(p, fraction=0.4))
    assert decision.action == "regress"
    assert any("arching the lower back" in r for r in decision.reasons)


def test_regress_without_a_known_baseline_ignores_the_morning_rule() -> None:
    p = rx()
    assert decide(p, log(p, morning=6), baseline=None).action == "hold"


# ---- hold: five triggers ---------------------------------------------------------------------

HOLD_CASES = {
    "pain during 3": dict(pain=3),
    "pain during 5": dict(pain=5),
    "effort 8": dict(rpe=8),
    "effort 10": dict(rpe=10),
    "a form fault": dict(form="some_faults", faults=("rushed",)),
    "serious fault below 30 %": dict(form="some_faults", faults=("lumbar_hyperextension",), fraction=0.29),
    "form rated poor without fault ids": dict(form="poor"),
    "dose not completed": dict(done=0.8),
    "dose exactly half": dict(done=0.5),
}


@pytest.mark.parametrize("name", sorted(HOLD_CASES))
def test_hold_triggers(name: str) -> None:
    p = rx()
    first, _ = good_pair(p)
    decision = decide(p, first, log(p, 2, **HOLD_CASES[name]))
    assert decision.action == "hold"
    assert decision.after == decision.before
    assert decision.reasons


def test_hold_when_the_next_morning_has_not_settled() -> None:
    p = rx()
    first, _ = good_pair(p)
    decision = decide(p, replace(first, next_morning_pain=3), log(p, 2, morning=4), baseline=2.5)
    assert decision.action == "hold"
    assert any("had not settled" in r for r in decision.reasons)


def test_hold_with_fewer_than_two_qualifying_sessions() -> None:
    p = rx()
    decision = decide(p, log(p, morning=None))
    assert decision.action == "hold"
    assert any("1 good session" in r for r in decision.reasons)


def test_hold_when_the_previous_session_was_not_good() -> None:
    p = rx()
    decision = decide(p, log(p, 0, pain=4), log(p, 2, morning=None))
    assert decision.action == "hold"


def test_hold_when_the_previous_session_was_at_another_dose() -> None:
    p = rx(reps=10)
    decision = decide(p, log(rx(reps=8), 0), log(p, 2, morning=None))
    assert decision.action == "hold"


def test_hold_when_the_previous_morning_was_not_recorded() -> None:
    p = rx()
    decision = decide(p, log(p, 0, morning=None), log(p, 2, morning=None))
    assert decision.action == "hold"
    assert any("not recorded" in r for r in decision.reasons)


def test_no_logs_is_a_hold_with_a_reason() -> None:
    decision = decide(rx())
    assert decision.action == "hold" and decision.reasons


# ---- progress: the order ---------------------------------------------------------------------

PROGRESS_CASES = [
    # (before, after, phase)
    (rx(sets=2, reps=8, hold_s=2), rx(sets=2, reps=10, hold_s=2), None),
    (rx(sets=2, reps=14, hold_s=2), rx(sets=2, reps=15, hold_s=2), None),
    (rx(sets=2, reps=15, hold_s=2), rx(sets=3, reps=15, hold_s=2), None),
    (rx(sets=3, reps=15, hold_s=2), rx(sets=3, reps=15, hold_s=3), None),
    (rx(sets=3, reps=15, hold_s=5), rx("banded_glute_bridge", sets=2, reps=8, hold_s=2, band="light"), None),
    (rx("banded_glute_bridge", sets=3, reps=15, hold_s=5, band="light"),
     rx("banded_glute_bridge", sets=2, reps=8, hold_s=2, band="medium"), None),
    (rx("banded_glute_bridge", sets=3, reps=15, hold_s=5, band="medium"),
     rx("banded_glute_bridge", sets=2, reps=8, hold_s=2, band="heavy"), None),
    (rx("banded_glute_bridge", sets=3, reps=15, hold_s=5, band="heavy"),
     rx("marching_bridge", sets=2, reps=6, hold_s=2), None),
    (rx("banded_clamshell", sets=3, reps=15, hold_s=3, band="heavy"),
     rx("side_lying_leg_raise", sets=2, reps=8, hold_s=1), None),
    (rx("side_plank_knees", sets=2, hold_s=10), rx("side_plank_knees", sets=3, hold_s=10), None),
    (rx("side_plank_knees", sets=3, hold_s=10), rx("side_plank_knees", sets=3, hold_s=15), None),
    (rx("side_plank_knees", sets=3, hold_s=30), rx("side_plank", sets=2, hold_s=10), None),
    # within the phase caps
    (rx(sets=2, reps=12, hold_s=2), rx(sets=2, reps=12, hold_s=3), "activation"),
    (rx(sets=2, reps=12, hold_s=2), rx(sets=3, reps=12, hold_s=2), "strengthening"),  # 8-12 reps (ACSM 2009)
    (rx("marching_bridge", sets=3, reps=12, hold_s=3), rx("single_leg_glute_bridge", sets=2, reps=8, hold_s=2),
     "integration"),
]


@pytest.mark.parametrize(("before", "after", "phase"), PROGRESS_CASES)
def test_progress_order(before, after, phase) -> None:
    decision = decide(before, *good_pair(before), phase=phase)
    assert decision.action == "progress", decision.reasons
    assert decision.after == replace(after, phase=phase)
    assert len(decision.reasons) == 2


@pytest.mark.parametrize(("before", "after", "phase"), [c for c in PROGRESS_CASES if c[2] is not None])
def test_the_phase_carried_by_the_prescription_applies(before, after, phase) -> None:
    carried = replace(before, phase=phase)
    decision = decide(carried, *good_pair(carried))
    assert decision.after == replace(after, phase=phase)


@pytest.mark.parametrize(
    ("top", "phase", "words"),
    [
        (rx("single_leg_glute_bridge", sets=3, reps=12, hold_s=3), None, "top of the hip extension ladder"),
        (rx("banded_side_lying_leg_raise", sets=3, reps=12, hold_s=3, band="heavy"), None, "top of the"),
        (rx("side_plank", sets=3, hold_s=45), None, "top of the core stability ladder"),
        (rx(sets=2, reps=12, hold_s=3), "activation", "comes in the strengthening phase"),
        (rx("marching_bridge", sets=3, reps=12, hold_s=3), "strengthening", "comes in the integration phase"),
    ],
)
def test_top_of_the_ladder_or_of_the_phase_holds(top, phase, words) -> None:
    decision = decide(top, *good_pair(top), phase=phase)
    assert decision.action == "hold"
    assert decision.after == top
    assert any(words in r for r in decision.reasons), decision.reasons


# ---- regress: the reverse order --------------------------------------------------------------

REGRESS_ORDER = [
    (rx(sets=3, reps=15, hold_s=4), rx(sets=3, reps=15, hold_s=3)),
    (rx(sets=3, reps=15, hold_s=2), rx(sets=2, reps=15, hold_s=2)),
    (rx(sets=2, reps=15, hold_s=2), rx(sets=2, reps=13, hold_s=2)),
    (rx(sets=2, reps=9, hold_s=2), rx(sets=2, reps=8, hold_s=2)),
    (rx("banded_clamshell", sets=2, reps=8, hold_s=1, band="heavy"),
     rx("banded_clamshell", sets=2, reps=8, hold_s=1, band="medium")),
    (rx("banded_clamshell", sets=2, reps=8, hold_s=1, band="light"), rx("clamshell", sets=2, reps=8, hold_s=1)),
    (rx("side_plank", sets=2, hold_s=10), rx("side_plank_knees", sets=2, hold_s=10)),
    (rx("side_plank", sets=2, hold_s=20), rx("side_plank", sets=2, hold_s=15)),
]


@pytest.mark.parametrize(("before", "after"), REGRESS_ORDER)
def test_regress_order(before, after) -> None:
    assert regress_prescription(before, CATALOG) == after
    decision = decide(before, log(before, pain=7))
    assert decision.action == "regress" and decision.after == after


def test_regress_at_the_very_bottom_rests_the_exercise_for_the_stated_days() -> None:
    # A step back must change what is prescribed next: at the gentlest step it rests the exercise.
    bottom = rx(sets=2, reps=8, hold_s=2)
    decision = decide(bottom, log(bottom, pain=8))
    days = CATALOG.thresholds.progression.rest_days_at_bottom
    assert decision.action == "regress"
    assert decision.after != bottom
    assert decision.after.rest_until == DAY + timedelta(days=days)
    assert replace(decision.after, rest_until=None) == bottom  # same dose when it comes back
    assert decision.after.resting_on(DAY + timedelta(days=days)) and not decision.after.resting_on(
        DAY + timedelta(days=days + 1))
    assert any("gentlest" in r and f"rests for {days} day" in r for r in decision.reasons)
    # a clinician's manual step back (no day given) still reports there is nowhere to go
    from backcoach.domain.progression import regress_prescription
    assert regress_prescription(bottom, CATALOG) == bottom


def test_the_run_of_good_sessions_counts_one_session_a_day() -> None:
    p = rx(sets=2, reps=10, hold_s=3)
    first, second = log(p, 0, morning=2), log(p, 0)
    assert decide(p, first, second).action == "hold"  # two logs on one day: one good day
    assert decide(p, first, log(p, 1)).action == "progress"


# ---- logs ------------------------------------------------------------------------------------


def test_dose_fraction_and_round_trip() -> None:
    p = rx(sets=2, reps=10)
    partial = ExerciseLog("glute_bridge", DAY, p, 2, (10, 5), (3.0, 3.0), 1, 5, "good")
    assert partial.dose_fraction == pytest.approx(0.75)
    assert not partial.full_dose
    extra = replace(partial, reps_per_set=(12, 12, 12), sets_done=3)
    assert extra.dose_fraction == 1.0 and extra.full_dose
    hold = rx("side_plank", sets=2, hold_s=20)
    timed = ExerciseLog("side_plank", DAY, hold, 2, (), (20.0, 10.0), 1, 5, "good")
    assert timed.dose_fraction == pytest.approx(0.75)
    assert ExerciseLog.from_dict(partial.to_dict()) == partial
    decision = decide(p, log(p))
    assert Decision.from_dict(decision.to_dict()) == decision


# ---- properties ------------------------------------------------------------------------------


@st.composite
def prescriptions(draw) -> Prescription:
    exercise = draw(st.sampled_from(list(CATALOG.exercises.values())))
    dose = exercise.dose
    sets = draw(st.integers(dose.sets_min, dose.sets_max))
    reps = draw(st.integers(dose.reps_min, dose.reps_max)) if dose.unit == "reps" else None
    hold_s = draw(st.integers(dose.hold_s_min, dose.hold_s_max))
    band = draw(st.sampled_from(BANDS)) if exercise.banded else None
    return Prescription(exercise.id, sets, reps, hold_s, band, exercise.per_side)


@st.composite
def sessions(draw, p: Prescription) -> ExerciseLog:
    return log(
        p, draw(st.integers(0, 30)),
        pain=draw(st.integers(0, 10)), rpe=draw(st.integers(0, 10)),
        form=draw(st.sampled_from(["good", "good", "some_faults", "poor"])),
        faults=draw(st.sampled_from([(), (), ("lumbar_hyperextension",), ("rushed",)])),
        fraction=draw(st.one_of(st.none(), st.floats(0, 1))),
        morning=draw(st.one_of(st.none(), st.integers(0, 10))),
        done=draw(st.sampled_from([1.0, 1.0, 0.9, 0.5, 0.3])),
    )


@FAST
@given(data=st.data(), p=prescriptions(), phase=st.sampled_from([None, "activation", "strengthening",
                                                                  "integration"]),
       baseline=st.one_of(st.none(), st.floats(0, 10)))
def test_never_skips_a_ladder_step_never_progresses_in_pain_and_always_explains(data, p, phase, baseline) -> None:
    logs = data.draw(st.lists(sessions(p), min_size=1, max_size=4))
    decision = progress_decision(p, logs, baseline, CATALOG, phase=phase)
    assert decision.reasons and all(r.strip() for r in decision.reasons)
    assert decision.before == p
    before, after = CATALOG.get(p.exercise_id), CATALOG.get(decision.after.exercise_id)
    assert before.ladder == after.ladder
    assert abs(after.step - before.step) <= 1
    if decision.action == "progress":
        assert after.step >= before.step
        assert logs[-1].pain_during <= 2
        assert len(logs) >= 2
        if after.step > before.step:
            assert CATALOG.next_on_ladder(before.id) is after
    if logs[-1].pain_during > 5:
        assert decision.action == "regress"
    if decision.action == "regress":
        assert after.step <= before.step
    if decision.action == "hold":
        assert decision.after == decision.before


@FAST
@given(p=prescriptions(), phase=st.sampled_from([None, "activation", "strengthening", "integration"]))
def test_climbing_by_progress_visits_every_step_in_order(p, phase) -> None:
    ladder = CATALOG.ladder_of(p.exercise_id)
    seen = [p.exercise_id]
    current = p
    for _ in range(200):
        nxt, _why = progress_prescription(current, CATALOG, phase)
        if nxt is None:
            break
        if nxt.exercise_id != seen[-1]:
            seen.append(nxt.exercise_id)
        current = nxt
    start = ladder.index(p.exercise_id)
    assert tuple(seen) == ladder[start:start + len(seen)]


# ---- worsening pain (monitoring) -------------------------------------------------------------


def test_worsening_pauses_progression_and_steps_back_when_asked() -> None:
    from backcoach.domain.progression import WORSENING_PAUSE, WORSENING_STEP, worsening_decision

    p = rx(sets=2, reps=10, hold_s=3)
    progress = decide(p, *good_pair(p))
    assert progress.action == "progress"
    paused = worsening_decision(progress, CATALOG, step_back=False)
    assert paused.action == "hold" and paused.after == p and paused.reasons == (WORSENING_PAUSE,)
    stepped = worsening_decision(progress, CATALOG, step_back=True)
    assert stepped.action == "regress" and stepped.after == rx(sets=2, reps=10, hold_s=2)
    assert stepped.reasons[0] == WORSENING_STEP
    regress = decide(p, log(p, pain=7))
    assert worsening_decision(regress, CATALOG, step_back=True) is regress
    bottom = rx(sets=2, reps=8, hold_s=2)
    rested = worsening_decision(decide(bottom, log(bottom)), CATALOG, step_back=True, today=DAY)
    assert rested.action == "regress" and rested.after.rest_until is not None and len(rested.reasons) == 2


def test_the_morning_after_steps_the_current_prescription_back_on_a_flare() -> None:
    from backcoach.domain.progression import next_morning_decision

    p = rx(sets=2, reps=10, hold_s=3)
    progressed = rx(sets=2, reps=12, hold_s=3)  # the session itself went well and progressed
    flare = next_morning_decision(progressed, log(p, morning=4), BASELINE, CATALOG)
    assert flare.action == "regress" and flare.before == progressed
    assert flare.after == rx(sets=2, reps=12, hold_s=2)
    assert "next morning" in flare.reasons[0]
    assert next_morning_decision(progressed, log(p, morning=3), BASELINE, CATALOG) is None
    assert next_morning_decision(progressed, log(p, morning=None), BASELINE, CATALOG) is None
    assert next_morning_decision(progressed, log(p, morning=9), None, CATALOG) is None


@FAST
@given(data=st.data(), p=prescriptions(), phase=st.sampled_from([None, "activation", "strengthening", "integration"]),
       baseline=st.one_of(st.none(), st.floats(0, 10)))
def test_the_newest_history_needed_logs_decide_exactly_as_the_whole_history(data, p, phase, baseline) -> None:
    # Why: the services read only this many logs per exercise, however long a person's history is.
    other = replace(p, sets=p.sets + 1)  # the same exercise at another dose breaks a run of good sessions
    good = [st.builds(lambda day, rx=rx_: log(rx, day), st.integers(0, 30)) for rx_ in (p, p, other)]
    logs = data.draw(st.lists(st.one_of(sessions(p), sessions(other), *good), min_size=1, max_size=9))
    logs = sorted(logs, key=lambda x: x.performed_on)
    needed = history_needed(CATALOG)
    assert needed >= 2
    whole = progress_decision(p, logs, baseline, CATALOG, phase=phase)
    # The contract is in days (one session a day counts): every log of the newest `needed` days.
    newest_days = sorted({x.performed_on for x in logs})[-needed:]
    recent = [x for x in logs if x.performed_on in newest_days]
    assert progress_decision(p, recent, baseline, CATALOG, phase=phase) == whole
