"""Issue 14: the functional ladder, phases along every ladder, strength sessions with rest days,
the sore-hip swap, and which exercises the camera can check."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from importlib import resources

import pytest
import yaml

from backcoach.catalog import load_catalog, load_thresholds
from backcoach.domain.catalog import LADDERS, PHASES, PROGRAM_LADDERS, SORE_HIP_LADDERS, Catalog
from backcoach.domain.errors import InvalidCatalog
from backcoach.domain.program import (
    Prescription,
    advance_program,
    build_program,
    effort_target,
    effort_text,
    todays_session,
)
from backcoach.domain.progression import ExerciseLog, progress_decision, progress_prescription
from backcoach.motion.checks import EXERCISES as CAMERA_CHECKED

from .test_program import NOW, STRONG, assessment, gate

CATALOG = load_catalog()
T = load_thresholds()
TODAY = NOW.date()


# ---- phases along every ladder ---------------------------------------------------------------


@pytest.mark.parametrize("ladder", sorted(LADDERS))
def test_phase_labels_never_go_back_along_a_ladder(ladder: str) -> None:
    phases = [PHASES.index(CATALOG.get(i).phase) for i in CATALOG.ladders[ladder]]
    assert phases == sorted(phases), [CATALOG.get(i).phase for i in CATALOG.ladders[ladder]]


def test_a_ladder_whose_phase_goes_back_is_refused() -> None:
    raw = yaml.safe_load(resources.files("backcoach.catalog").joinpath("exercises.yaml").read_text())
    broken = copy.deepcopy(raw)
    next(e for e in broken["exercises"] if e["id"] == "side_lying_leg_raise")["phase"] = "activation"
    with pytest.raises(InvalidCatalog, match="never go back"):
        Catalog.from_dict(broken)


def test_the_abduction_ladder_no_longer_goes_back() -> None:
    # the seed had banded clamshell "strengthening", then side-lying leg raise "activation"
    assert [CATALOG.get(i).phase for i in LADDERS["hip_abduction"]] == \
        ["activation", "strengthening", "strengthening", "strengthening"]


# ---- the functional ladder ---------------------------------------------------------------------


def test_the_functional_ladder_is_data_with_sources_and_no_camera_check() -> None:
    assert CATALOG.ladders["functional"] == ("sit_to_stand", "split_squat", "step_up", "single_leg_hip_hinge")
    for exercise_id in CATALOG.ladders["functional"]:
        exercise = CATALOG.get(exercise_id)
        assert exercise.phase in ("strengthening", "integration")
        assert exercise.camera_check == "none" and not exercise.camera_views
        assert any("2009" in s for s in exercise.sources)  # the ACSM position stand, or Distefano 2009
        assert exercise.to_dict()["camera_check"] == "none"


def test_camera_check_says_exactly_which_exercises_the_camera_coach_checks() -> None:
    for exercise in CATALOG.exercises.values():
        assert exercise.camera_checked == (exercise.id in CAMERA_CHECKED), exercise.id


def _strengthening_program(**answers):
    program = build_program(assessment(**answers), CATALOG, gate(), TODAY)
    return program, advance_program(program, CATALOG, "strengthening", TODAY + timedelta(weeks=2))


def test_the_functional_ladder_joins_at_strengthening_not_before() -> None:
    program, strengthening = _strengthening_program()
    assert all(CATALOG.get(p.exercise_id).ladder != "functional" for p in program.prescriptions)
    functional = [p for p in strengthening.prescriptions if CATALOG.get(p.exercise_id).ladder == "functional"]
    assert [p.exercise_id for p in functional] == ["sit_to_stand"]
    caps = T.phases.strengthening
    assert (functional[0].sets, functional[0].reps) == (caps.sets_min, caps.reps_min)
    integration = advance_program(strengthening, CATALOG, "integration", TODAY + timedelta(weeks=6))
    ladders = [CATALOG.get(p.exercise_id).ladder for p in integration.prescriptions]
    assert ladders.count("functional") == 1 and ladders.count("core_stability") == 1
    assert set(PROGRAM_LADDERS) <= set(program.starting_levels)


def test_the_functional_ladder_climbs_within_its_phase() -> None:
    top = Prescription("sit_to_stand", 3, 12, 3, None, False, "strengthening")
    after, why = progress_prescription(top, CATALOG, "strengthening", T)
    assert after is not None and after.exercise_id == "split_squat" and "Next exercise" in why
    top_split = Prescription("split_squat", 3, 12, 3, None, True, "strengthening")
    stuck, why = progress_prescription(top_split, CATALOG, "strengthening", T)
    assert stuck is None and "integration" in why  # the step-up waits for the integration phase
    after, _ = progress_prescription(top_split, CATALOG, "integration", T)
    assert after.exercise_id == "step_up"


# ---- strength dose: effort, reps, rest days ---------------------------------------------------


def test_strength_phases_aim_at_effort_7_to_8_with_8_to_12_reps_and_a_rest_day() -> None:
    for phase in ("strengthening", "integration"):
        dose = getattr(T.phases, phase)
        assert effort_target(phase, T) == (7, 8)
        assert (dose.reps_min, dose.reps_max) == (8, 12) and 2 <= dose.days_per_week <= 3
        assert dose.rest_days_between >= 1
        assert "7–8 of 10" in effort_text(phase, T)
    assert T.phases.activation.rest_days_between == 0
    assert effort_target("activation", T)[1] <= 5
    assert effort_target(None, T) is None


def _log(p: Prescription, day: date, morning: int | None = 2) -> ExerciseLog:
    return ExerciseLog(p.exercise_id, day, p, p.sets, (p.reps,) * p.sets, (float(p.hold_s),) * p.sets, 1, 6, "good",
                       (), None, morning)


@pytest.mark.parametrize(("phase", "gap_days", "action"), [
    ("strengthening", 1, "hold"),      # two days in a row: the second does not count yet
    ("strengthening", 2, "progress"),  # a rest day between: two sessions count
    ("integration", 1, "hold"),
    ("activation", 1, "progress"),     # activation work may be daily
])
def test_progression_counts_sessions_with_rest_days_not_calendar_days(phase, gap_days, action) -> None:
    p = Prescription("glute_bridge", 2, 10, 2, None, False, phase)
    first, second = date(2026, 11, 2), date(2026, 11, 2) + timedelta(days=gap_days)
    decision = progress_decision(p, [_log(p, first), _log(p, second, morning=None)], 2.0, CATALOG, today=second)
    assert decision.action == action, decision.reasons
    if action == "hold":
        assert any("rest day" in r for r in decision.reasons)
    else:
        assert any(("rest day" in r) == (phase != "activation") for r in decision.reasons[:1])


def test_three_sessions_on_three_days_in_a_row_count_as_two_in_a_strength_phase() -> None:
    # days 0, 1, 2: day 1 is too close to day 2 (counted) and day 0 is two days before: 2 sessions count
    p = Prescription("glute_bridge", 2, 10, 2, None, False, "strengthening")
    start = date(2026, 11, 2)
    logs = [_log(p, start + timedelta(days=i), morning=None if i == 2 else 2) for i in range(3)]
    assert progress_decision(p, logs, 2.0, CATALOG, today=start + timedelta(days=2)).action == "progress"


def test_strength_days_have_a_rest_day_between_and_activation_may_be_daily() -> None:
    program, strengthening = _strengthening_program()
    monday = date(2026, 11, 23)
    assert todays_session(strengthening, CATALOG, monday + timedelta(days=1), 1, last_session_on=monday) == ()
    assert todays_session(strengthening, CATALOG, monday + timedelta(days=2), 1, last_session_on=monday) != ()
    assert todays_session(program, CATALOG, monday + timedelta(days=1), 1, last_session_on=monday) != ()


# ---- a hip that hurts to lie on ------------------------------------------------------------------


def test_the_sore_hip_question_swaps_every_side_lying_exercise() -> None:
    sore = assessment(side_lying_pain=True)
    assert sore.avoid_lying_on_side
    program = build_program(sore, CATALOG, gate(), TODAY)
    ids = [p.exercise_id for p in program.prescriptions]
    assert "supine_banded_abduction" in ids and "clamshell" not in ids
    assert not any(CATALOG.get(i).lies_on_side for i in ids)
    assert any("hurts when you lie on it" in r for r in program.reasons)
    # an advanced start (banded clamshell) is swapped too, and the program remembers the choice
    strong = build_program(assessment(**STRONG, side_lying_pain=True), CATALOG, gate(), TODAY)
    assert [p.exercise_id for p in strong.prescriptions] == ["banded_glute_bridge", "supine_banded_abduction"]
    assert type(strong).from_dict(strong.to_dict()).avoid_lying_on_side


def test_no_side_lying_exercise_can_be_reached_along_the_sore_hip_ladder() -> None:
    ladder = CATALOG.ladders[SORE_HIP_LADDERS["hip_abduction"]]
    for exercise_id in ladder:
        assert not CATALOG.get(exercise_id).lies_on_side
        assert CATALOG.get(exercise_id).sources
    for exercise in CATALOG.exercises.values():
        if exercise.lies_on_side:
            swap = CATALOG.sore_hip_variant(exercise.id)
            assert swap.ladder == "hip_abduction_off_side" and not swap.lies_on_side
            assert PHASES.index(swap.phase) <= PHASES.index(exercise.phase)


def test_without_a_sore_hip_nothing_is_swapped() -> None:
    result = assessment(side_lying_pain=False)
    assert not result.avoid_lying_on_side
    ids = [p.exercise_id for p in build_program(result, CATALOG, gate(), TODAY).prescriptions]
    assert ids == ["glute_bridge", "clamshell"]


def test_the_sore_hip_is_told_plainly_and_never_as_a_diagnosis() -> None:
    result = assessment(side_lying_pain=True)
    person = " ".join(result.for_person).lower()
    assert "lie on your side" in person and "tendinopathy" not in person and "tendon" not in person
    assert any("tendinopathy" in r for r in result.reasons)  # the clinician's words


def test_no_catalog_text_asks_for_toes_turned_down() -> None:
    text = resources.files("backcoach.catalog").joinpath("exercises.yaml").read_text().lower()
    assert "slightly down" not in text
    assert "neutral" in " ".join(CATALOG.get("side_lying_leg_raise").instructions).lower()


# ---- self-tests without a published cut-off ----------------------------------------------------


def test_rule_of_thumb_self_tests_are_labelled_for_the_clinician_and_only_set_the_starting_level() -> None:
    weak = assessment(single_leg_bridge_reps_left=3, single_leg_bridge_reps_right=4, side_lying_hold_s_left=5,
                      side_lying_hold_s_right=6)
    clinician = [r for r in weak.reasons if "no weakness from" in r and ("Single-leg" in r or "Side-lying" in r)]
    assert len(clinician) == 3 and all("rule of thumb" in r for r in clinician)
    person = " ".join(weak.for_person).lower()
    assert "rule of thumb" not in person and "severe" not in person and "weakness" not in person.replace(
        "no weakness", "")
    # what the result changes: the starting level (gentlest here) — nothing else of the program
    assert weak.starting_levels["hip_extension"] == "glute_bridge"
    assert weak.starting_levels["hip_abduction"] == "clamshell"
