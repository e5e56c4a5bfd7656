"""`backcoach simulate` and the live services take the same decisions for the same course.

Why: both call `domain.after_session` (DESIGN.md §5: "The CLI simulation and the live
product run the same session logic"). A random course is replayed twice: through
`domain.simulation.simulate`, and through the services on the in-memory unit of work with
the clock set to the simulator's hours (screening 07:00, next-morning pain 07:05, daily
pain 08:00, program 09:00, session 10:00). Every day's decisions and phase must agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach import services
from backcoach.catalog import load_catalog, load_example_course, load_thresholds
from backcoach.domain.progression import WORSENING_STEP
from backcoach.domain.simulation import simulate
from backcoach.services.program import program_of
from fakes import FakeUnitOfWork
from svc_helpers import ASSESSMENT, CLEAR

START = dt.date(2026, 3, 2)  # a Monday

entry = st.fixed_dictionaries({
    "completed": st.sampled_from([1.0, 1.0, 1.0, 0.8, 0.4]),
    "pain_during": st.sampled_from([0, 1, 1, 2, 2, 3, 4, 6, 7]),
    "rpe": st.sampled_from([4, 5, 6, 7, 8]),
    "form": st.sampled_from(["good", "good", "good", "some_faults"]),
})
day = st.fixed_dictionaries({}, optional={
    "pain_now": st.integers(0, 9),
    "session": st.fixed_dictionaries({"all": entry}),
    "next_morning_pain": st.integers(0, 9),
})


def _at(day_number: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=day_number - 1), dt.time(hour, minute),
                               tzinfo=dt.timezone.utc)


def _session_file(program: Any, session: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """What the simulator's `_log_for` does, as a session file for the service."""
    exercises = []
    for p in program.prescriptions:
        spec = session.get(p.exercise_id, session.get("all"))
        if spec is None or p.resting_on(today):
            continue
        done = spec.get("completed", 1.0)
        item: dict[str, Any] = {"exercise_id": p.exercise_id, "sets": p.sets,
                                "pain_during": spec.get("pain_during", 0), "rpe": spec.get("rpe", 5),
                                "form": spec.get("form", "good"), "faults": list(spec.get("faults") or [])}
        if spec.get("serious_fault_fraction") is not None:
            item["serious_fault_fraction"] = spec["serious_fault_fraction"]
        if p.reps is not None:
            total = int(p.sets * p.reps * done + 1e-9)
            item["reps"] = [min(p.reps, max(0, total - i * p.reps)) for i in range(p.sets)]
            item["hold_s"] = p.hold_s
        else:
            item["hold_s"] = p.hold_s * done
        exercises.append(item)
    return {"exercises": exercises}


def _key(decisions: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [(d.exercise_id, d.action, d.after.to_dict()) for d in decisions]


def _replay_through_services(days: list[dict[str, Any]], last_day: int,
                             assessment: dict[str, Any] = ASSESSMENT) -> list[tuple[list[Any], str]]:
    uow = FakeUnitOfWork()
    person = services.create_person(uow, "Ana", _at(1, 6))
    script = {d["day"]: d for d in days}
    out: list[tuple[list[Any], str]] = []
    screened_on: dt.date | None = None
    morning_due: int | None = None
    rescreen_days = load_thresholds().monitoring.rescreen_days
    for number in range(1, last_day + 1):
        today = START + dt.timedelta(days=number - 1)
        spec = script.get(number, {})
        decisions: list[Any] = []
        if screened_on is None or (today - screened_on).days >= rescreen_days:
            services.record_screening(uow, person, CLEAR, _at(number, 7))
            screened_on = today
        if morning_due is not None:
            decisions += services.check_in_pain(uow, person, morning_due, _at(number, 7, 5), next_morning=True).decisions
        morning_due = None
        if spec.get("pain_now") is not None:
            services.check_in_pain(uow, person, spec["pain_now"], _at(number, 8))
        if number == 1:
            services.record_assessment(uow, person, assessment, _at(1, 8, 30))
            services.start_program(uow, person, _at(1, 9))
        if spec.get("session") is not None:
            with uow:
                program = program_of(uow.programs.active_for(person))
            data = _session_file(program, spec["session"], today)
            if data["exercises"]:
                decisions += services.log_session(uow, person, data, _at(number, 10)).decisions
                morning_due = spec.get("next_morning_pain")
        with uow:
            phase = program_of(uow.programs.active_for(person)).phase
        out.append((_key(decisions), phase))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(day, min_size=8, max_size=24))
def test_simulate_and_the_services_take_the_same_decisions(script: list[dict[str, Any]]) -> None:
    days = [{"day": i + 1, **d} for i, d in enumerate(script)]
    course = {"screening": CLEAR, "assessment": ASSESSMENT, "onset_weeks": ASSESSMENT["onset_weeks"], "days": days}
    simulated = simulate(course, load_catalog(), load_thresholds(), START)
    live = _replay_through_services(days, len(simulated))
    for sim_day, (live_decisions, live_phase) in zip(simulated, live):
        assert _key(sim_day.decisions) == live_decisions, f"day {sim_day.day}"
        assert sim_day.phase == live_phase, f"day {sim_day.day}"


def test_a_long_good_course_agrees_through_a_phase_change() -> None:
    # Five good sessions a week for four weeks: progressions, the activation top, strengthening.
    good = {"all": {"completed": 1.0, "pain_during": 1, "rpe": 5, "form": "good"}}
    days = [{"day": n, "pain_now": 3, **({"session": good, "next_morning_pain": 2} if (n - 1) % 7 < 5 else {})}
            for n in range(1, 29)]
    course = {"screening": CLEAR, "assessment": ASSESSMENT, "onset_weeks": 2, "days": days}
    simulated = simulate(course, load_catalog(), load_thresholds(), START)
    live = _replay_through_services(days, len(simulated))
    assert [(_key(d.decisions), d.phase) for d in simulated] == live
    assert simulated[-1].phase == "strengthening"
    assert sum(d.action == "progress" for day in simulated for d in day.decisions) >= 6


@pytest.mark.parametrize("name", ["steady_improvement", "flare_up"])
def test_the_example_courses_agree_day_by_day(name: str) -> None:
    # flare_up: a painful session with back arching, a flare the next morning, a fortnight of
    # worsening pain (weekly steps back, progression and phases paused), then recovery.
    course = load_example_course(name)
    simulated = simulate(course, load_catalog(), load_thresholds(), START, days=60)
    live = _replay_through_services(course["days"], len(simulated), course["assessment"])
    for sim_day, (live_decisions, live_phase) in zip(simulated, live):
        assert (_key(sim_day.decisions), sim_day.phase) == (live_decisions, live_phase), f"day {sim_day.day}"
    if name == "flare_up":
        assert any("worsening" in a.code for d in simulated for a in d.alerts)
        assert sum(1 for d in simulated for x in d.decisions if WORSENING_STEP in x.reasons) >= 2
