"""The one implementation of "what happens after a session" (domain/after_session.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from backcoach.catalog import load_catalog, load_thresholds
from backcoach.domain.after_session import ONE_A_DAY, after_next_morning, after_session
from backcoach.domain.assessment import assess, parse_assessment
from backcoach.domain.monitoring import PainEntry
from backcoach.domain.program import build_program, screening_gate
from backcoach.domain.progression import WORSENING_PAUSE, WORSENING_STEP, ExerciseLog
from backcoach.domain.screening import Level

CATALOG = load_catalog()
T = load_thresholds()
START = date(2026, 11, 2)  # a Monday


def at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(START + timedelta(days=day), time(hour), tzinfo=timezone.utc)


def program():
    answers = {"pain_now": 3, "pain_worst_24h": 4, "side": "central", "radiation": "none", "onset_weeks": 1}
    gate = screening_gate(Level.CLEAR, at(0, 7), at(0, 9), None, None, T)
    return build_program(assess(parse_assessment(answers, T), T), CATALOG, gate, START, T)


def logs(prog, day: int, pain: int = 1, morning: int | None = None) -> list[ExerciseLog]:
    out = []
    for p in prog.prescriptions:
        reps = (p.reps,) * p.sets if p.reps is not None else ()
        out.append(ExerciseLog(p.exercise_id, START + timedelta(days=day), p, p.sets, reps,
                               (float(p.hold_s),) * p.sets, pain, 5, "good", next_morning_pain=morning))
    return out


def daily(values: list[int]) -> list[PainEntry]:
    return [PainEntry(at(i, 8), v, "daily") for i, v in enumerate(values)]


def run(prog, history, session, pain, day, **kw):
    kw.setdefault("counted_days", [])
    kw.setdefault("recent_actions", [])
    kw.setdefault("last_worsening_step", None)
    return after_session(prog, history, session, pain, T, CATALOG, at(day), **kw)


def test_a_second_session_the_same_day_is_kept_but_never_progresses() -> None:
    prog = program()
    first = logs(prog, 0, morning=1)
    history = {log.exercise_id: [log] for log in first}
    counted = run(prog, history, logs(prog, 1), daily([2, 2]), 1, counted_days=[START])
    assert counted.counted and {d.action for d in counted.decisions} == {"progress"}
    again = run(prog, history, logs(prog, 0), daily([2, 2]), 0, counted_days=[START])
    assert not again.counted
    assert all(d.action == "hold" and d.after == d.before for d in again.decisions)
    assert all(ONE_A_DAY in d.reasons or "1 good session" in d.reasons[-1] for d in again.decisions)
    painful = run(prog, {}, logs(prog, 0, pain=8), daily([2]), 0, counted_days=[START])
    assert not painful.counted and {d.action for d in painful.decisions} == {"regress"}  # safety first


def test_phases_never_advance_while_worsening_pauses_progression() -> None:
    prog = program()
    day = 21  # week 4: the calendar allows strengthening
    pains = daily([2] * 14 + [5] * 8)  # a good fortnight, then clearly worse
    good = ["progress"] * 6
    history = {log.exercise_id: [log] for log in logs(prog, day - 2, morning=2)}
    paused = run(prog, history, logs(prog, day), pains, day, recent_actions=good)
    assert paused.worsening and paused.program.phase == "activation"
    assert all(d.action == "regress" and WORSENING_STEP in d.reasons for d in paused.decisions)
    assert paused.worsening_step
    # the step back is weekly: two days later progression stays paused without a second step
    later = run(paused.program, history, logs(paused.program, day + 2), pains, day + 2, recent_actions=good,
                last_worsening_step=START + timedelta(days=day))
    assert later.program.phase == "activation" and not later.worsening_step
    assert all(d.action == "hold" for d in later.decisions)
    assert any(WORSENING_PAUSE in d.reasons or "good session" in " ".join(d.reasons) for d in later.decisions)
    calm = run(prog, history, logs(prog, day), daily([2] * 22), day, recent_actions=good)
    assert not calm.worsening and calm.program.phase == "strengthening"


def test_the_morning_after_compares_with_usual_pain_and_steps_each_track_back_once() -> None:
    prog = program()
    session = logs(prog, 13)
    pain = [*daily([6, 6, 6, 4, 3] + [2] * 9), PainEntry(at(14, 7), 5, "next_morning")]
    morning = [(replace(log, next_morning_pain=5), log.exercise_id) for log in session]
    outcome = after_next_morning(prog, morning + morning, pain, T, CATALOG, at(14, 7))
    assert sorted(d.exercise_id for d in outcome.decisions) == sorted(p.exercise_id for p in prog.prescriptions)
    assert all(d.action == "regress" and d.after != d.before for d in outcome.decisions)
    # the same 5/10 against a usual 4/10 is not a flare
    usual_four = [*daily([6, 6, 6] + [4] * 11), PainEntry(at(14, 7), 5, "next_morning")]
    assert after_next_morning(prog, morning, usual_four, T, CATALOG, at(14, 7)).decisions == ()
