"""Scripted courses replayed through the real rules."""

from __future__ import annotations

import json
from datetime import date

import pytest

from backcoach.catalog import example_course_names, load_catalog, load_example_course, load_thresholds
from backcoach.domain.errors import InvalidAnswers
from backcoach.domain.simulation import simulate

from .support import ALL_CLEAR

CATALOG = load_catalog()
START = date(2026, 11, 2)  # a Monday
ASSESSMENT = {"pain_now": 3, "pain_worst_24h": 4, "side": "central", "radiation": "none", "onset_weeks": 1}


def run(course, **kwargs):
    return simulate(course, CATALOG, load_thresholds(), START, **kwargs)


@pytest.fixture(scope="module")
def courses() -> dict[str, list]:
    return {name: run(load_example_course(name)) for name in example_course_names()}


def _steps(decision) -> tuple[int, int]:
    return CATALOG.get(decision.before.exercise_id).step, CATALOG.get(decision.after.exercise_id).step


def test_the_examples_ship() -> None:
    assert set(example_course_names()) == {"steady_improvement", "flare_up", "red_flag"}


@pytest.mark.parametrize("name", ["steady_improvement", "flare_up", "red_flag"])
def test_every_example_runs_day_by_day_through_the_rules(courses, name) -> None:
    days = courses[name]
    assert [d.day for d in days] == list(range(1, len(days) + 1))
    assert days[0].date == START and days[-1].date == START.fromordinal(START.toordinal() + len(days) - 1)
    json.dumps([d.to_dict() for d in days])
    for day in days:
        for decision in day.decisions:
            assert decision.reasons
            before, after = _steps(decision)
            assert abs(after - before) <= 1
            if decision.action == "progress":
                assert after >= before
        if day.locked:
            assert day.lock_reason and not day.session_done and not day.decisions


def test_steady_improvement(courses) -> None:
    days = courses["steady_improvement"]
    assert not any(d.locked for d in days)
    assert all(d.action != "regress" for day in days for d in day.decisions)
    phases = [d.phase for d in days]
    assert phases.index("strengthening") == 14  # day 15: week 3
    assert phases.index("integration") == 42  # day 43: week 7
    assert not any(a.code in ("six_week_rule", "worsening") for d in days for a in d.alerts)
    assert days[-1].trend == "improving"
    final = days[-1].prescriptions
    assert any(p.startswith("banded_glute_bridge") for p in final)
    assert any(p.startswith(("dead_bug", "bird_dog")) for p in final)  # the core routine, progressing
    # the functional ladder joins at strengthening (day 15) and climbs over the 12 weeks
    first_functional = next(d.day for d in days if any(p.startswith("sit_to_stand") for p in d.prescriptions))
    assert first_functional == 15
    assert any(p.startswith(("split_squat", "step_up", "single_leg_hip_hinge")) for p in final)
    # strength days never follow each other
    strength_sessions = [d.day for d in days if d.session_done and d.phase != "activation" and d.day > 15]
    assert strength_sessions and all(b - a >= 2 for a, b in zip(strength_sessions, strength_sessions[1:]))
    # the walking goal rises gently and never drops
    goals = [d.walking_goal for d in days if d.walking_goal is not None]
    assert goals == sorted(goals) and goals[0] == 10 and goals[-1] == 30
    assert len(days) >= 84


def test_flare_up_steps_back_pauses_and_recovers(courses) -> None:
    days = courses["flare_up"]
    flare = {d.exercise_id: d for d in days[14].decisions}
    assert flare["glute_bridge"].action == "regress"
    assert any("above 5/10" in r for r in flare["glute_bridge"].reasons)
    assert any("lower back" in r for r in flare["glute_bridge"].reasons)
    morning_after = days[15]
    assert morning_after.decisions and all(d.action == "regress" for d in morning_after.decisions)
    assert any("next morning" in r for d in morning_after.decisions for r in d.reasons)
    worsening_days = [d.day for d in days if "worsening" in [a.code for a in d.alerts]]
    assert worsening_days
    assert any("pain over the last week is clearly higher" in r
               for d in days for dec in d.decisions for r in dec.reasons)
    assert all(dec.action != "progress" for d in days if d.day in worsening_days for dec in d.decisions)
    later = [dec.action for d in days if d.day > max(worsening_days) for dec in d.decisions]
    assert "progress" in later
    dues = sorted({a.due_on for d in days for a in d.alerts if a.code == "six_week_rule"})
    assert len(dues) >= 3 and all((b - a).days == 7 for a, b in zip(dues, dues[1:]))
    # Corrected rules (issue 8): the phase is judged after each session and never moves on
    # while worsening pauses progression; before, the simulator moved to strengthening at the
    # start of day 15, the very day of the flare, and the live service disagreed with it.
    assert all(d.phase == "activation" for d in days[14:max(worsening_days)])


def test_the_shipped_examples_run_through_the_cli_for_60_days() -> None:
    from typer.testing import CliRunner

    from backcoach.cli import app

    for name in ("steady_improvement", "flare_up", "red_flag"):
        result = CliRunner().invoke(app, ["simulate", "--profile", name, "--days", "60", "--start", "2026-11-02"])
        assert result.exit_code == 0, result.output
        assert "final phase:" in result.output


def test_red_flag_locks_at_once_and_for_good(courses) -> None:
    days = courses["red_flag"]
    assert not any(d.locked for d in days[:18])
    for day in days[18:]:
        assert day.locked and day.screening_level == "emergency"
        assert day.alerts[0].code == "emergency"
        assert not day.session_done
    assert any("locked" in n for n in days[21].notes)  # Monday's session refused


def _course(days, screening=None):
    return {"screening": screening or ALL_CLEAR, "assessment": ASSESSMENT, "onset_weeks": 1, "days": days}


def test_urgent_at_onboarding_waits_for_a_clearance_that_then_covers_the_same_findings() -> None:
    urgent = {**ALL_CLEAR, "fever_or_chills": True}
    days = [{"day": 1, "pain_now": 3, "session": {"all": {}}}, {"day": 3, "clearance": True, "pain_now": 3},
            {"day": 4, "pain_now": 3, "session": {"all": {}}}, {"day": 11, "pain_now": 3, "session": {"all": {}}},
            {"day": 12, "screening": {**urgent, "cancer_history": True}, "session": {"all": {}}}]
    result = run(_course(days, urgent))
    assert result[0].locked and result[0].phase is None and not result[0].session_done
    assert result[2].locked is False and result[2].phase == "activation"
    assert result[3].session_done
    assert result[10].session_done and not result[10].locked  # weekly re-screen, same findings: still cleared
    assert result[11].locked and not result[11].session_done  # a new urgent finding needs a new clearance


def test_a_new_symptom_applies_the_same_day_and_a_better_answer_does_not_unlock() -> None:
    days = [{"day": 1, "session": {"all": {}}},
            {"day": 2, "screening": {**ALL_CLEAR, "unexplained_weight_loss": True}},
            {"day": 3, "screening": ALL_CLEAR, "session": {"all": {}}}]
    result = run(_course(days))
    assert not result[0].locked and result[1].locked
    assert result[2].locked and result[2].screening_level == "urgent"


def test_days_extends_the_course_and_rescreens_weekly() -> None:
    result = run(_course([{"day": 1, "pain_now": 2}]), days=15)
    assert len(result) == 15
    assert sum("Weekly re-screen" in n for d in result for n in d.notes) == 2
    assert not any(d.locked for d in result)


@pytest.mark.parametrize(
    "course",
    [
        {"screening": ALL_CLEAR, "assessment": ASSESSMENT, "days": [], "colour": "red"},
        {"screening": ALL_CLEAR, "days": []},
        _course([{"day": 0}]),
        _course([{"day": 1}, {"day": 1}]),
        _course([{"day": 1, "pain_now": 11}]),
        _course([{"day": 1, "mood": "good"}]),
        _course([{"day": 1, "session": {"all": {"completed": 2}}}]),
        _course([{"day": 1, "session": {"all": {"faults": ["knee_valgus"]}}}]),
        _course([{"day": 1, "session": {"all": {"speed": 3}}}]),
        {**_course([]), "screening": {**ALL_CLEAR, "pain_now": "bad"}},
        {**_course([]), "onset_weeks": -2},
    ],
)
def test_a_malformed_course_is_refused_with_a_plain_message(course) -> None:
    with pytest.raises(InvalidAnswers):
        run(course)
