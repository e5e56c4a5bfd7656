"""What happens after a session, and after the next morning's pain: the one implementation.

Why: the live product (``services.sessions``) and the simulator (``backcoach simulate``)
must take the same decisions for the same course, so both call these two pure functions
and neither has rules of its own. They take everything they need as values (the program,
the history, the pain series, the thresholds loaded from ``catalog/thresholds.yaml``, the
catalog and ``now``) and return the decisions and the new program; storing them is the
caller's business.

After a session (:func:`after_session`):

1. One session a day counts (DESIGN.md §5). A second log on a day that already has a
   counted session is kept, but it never progresses anything; a step back it calls for
   (pain, a serious fault, a dose that could not be done) still applies: safety first.
2. Each exercise gets its pain-monitoring decision (``progression.progress_decision``),
   comparing next-morning pain with the person's usual pain (the rolling median of their
   daily scores).
3. Worsening pain (``monitoring.is_worsening``) pauses progression; each exercise also
   steps back, at most once every ``worsening_step_every_days``.
4. The program takes the decisions; its phase is re-evaluated on the criteria, and never
   moves on while progression is paused.

After the next morning's pain (:func:`after_next_morning`): the sessions of the day before
get their next-morning pain, and a flare (``regress_next_morning_delta`` above usual pain)
steps the exercise's current prescription back at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Mapping, Sequence

from .catalog import Catalog
from .monitoring import PainEntry, is_worsening, usual_pain
from .program import Program, advance_program, apply_decisions, phase_for
from .progression import (
    Decision,
    WORSENING_STEP,
    ExerciseLog,
    next_morning_decision,
    progress_decision,
    progress_prescription,
    worsening_decision,
)
from .thresholds import Thresholds

__all__ = ["SessionOutcome", "MorningOutcome", "after_session", "after_next_morning", "ONE_A_DAY",
           "recent_rule_actions"]

ONE_A_DAY = ("You already logged a session that day: this one is kept, but only one session a day counts "
             "toward progression.")


@dataclass(frozen=True)
class SessionOutcome:
    """What the rules decided after a session."""

    counted: bool
    """False for a second (or later) session on a day that already has one."""
    decisions: tuple[Decision, ...]
    program: Program
    phase_reasons: tuple[str, ...]
    worsening: bool
    worsening_step: bool
    """True when a decision of this session is the weekly step back for worsening pain (it
    carries ``progression.WORSENING_STEP``; the stored decisions show the same)."""


@dataclass(frozen=True)
class MorningOutcome:
    """The step backs a next-morning score caused (possibly none), and the program after them."""

    decisions: tuple[Decision, ...]
    program: Program


def recent_rule_actions(actions: Sequence[str], thresholds: Thresholds) -> list[str]:
    """The newest ``recent_decisions_considered`` actions (oldest first), what the phase criteria read."""
    n = thresholds.phases.recent_decisions_considered
    return list(actions)[-n:] if n > 0 else []


def after_session(
    program: Program,
    history: Mapping[str, Sequence[ExerciseLog]],
    session: Sequence[ExerciseLog],
    pain: Sequence[PainEntry],
    thresholds: Thresholds,
    catalog: Catalog,
    now: datetime,
    *,
    counted_days: Sequence[date],
    recent_actions: Sequence[str],
    last_worsening_step: date | None,
) -> SessionOutcome:
    """Decide after one session.

    ``history``: each exercise's earlier logs, oldest first, next-morning pain attached
    (at least the newest ``progression.history_needed`` days of them); ``session``: the new
    session's logs (one day); ``pain``: the pain series including anything recorded with
    the session; ``counted_days``: days that already have a session; ``recent_actions``:
    the rules' earlier decisions (oldest first); ``last_worsening_step``: the day of the
    last step back for worsening pain.
    """
    if not session:
        raise ValueError("A session needs at least one exercise.")
    t = thresholds
    today = now.date()
    day = session[0].performed_on
    counted = day not in set(counted_days)
    usual = usual_pain(pain, day, t)

    decisions: list[Decision] = []
    for log in session:
        d = progress_decision(log.prescription, [*history.get(log.exercise_id, ()), log], usual, catalog,
                              phase=program.phase, thresholds=t, today=today)
        if not counted and d.action == "progress":
            d = Decision(d.exercise_id, "hold", d.before, d.before, (ONE_A_DAY,))
        decisions.append(d)

    worsening = is_worsening(pain, today, t)
    step_back = worsening and (last_worsening_step is None
                               or (today - last_worsening_step).days >= t.monitoring.worsening_step_every_days)
    if worsening:
        decisions = [worsening_decision(d, catalog, step_back, program.phase, t, today) for d in decisions]

    new_program = apply_decisions(program, decisions, catalog)
    weeks = max((today - new_program.started_on).days, 0) / 7
    recent = recent_rule_actions([*recent_actions, *(d.action for d in decisions)], t)
    at_top = all(progress_prescription(p, catalog, new_program.phase, t)[0] is None
                 for p in new_program.prescriptions)
    phase, why = phase_for(new_program, weeks, recent, t, pause_progression=worsening, at_phase_top=at_top)
    phase_reasons: tuple[str, ...] = ()
    if phase != new_program.phase:
        new_program = advance_program(new_program, catalog, phase, today, why, t)
        phase_reasons = tuple(why)
    return SessionOutcome(counted=counted, decisions=tuple(decisions), program=new_program,
                          phase_reasons=phase_reasons, worsening=worsening,
                          worsening_step=any(WORSENING_STEP in d.reasons for d in decisions))


def with_next_morning(logs: Sequence[ExerciseLog], day: date, nprs: int) -> list[ExerciseLog]:
    """The logs with ``nprs`` as the next-morning pain of every log performed on ``day``."""
    return [replace(log, next_morning_pain=nprs) if log.performed_on == day else log for log in logs]


def after_next_morning(
    program: Program,
    sessions: Sequence[tuple[ExerciseLog, str]],
    pain: Sequence[PainEntry],
    thresholds: Thresholds,
    catalog: Catalog,
    now: datetime,
) -> MorningOutcome:
    """Decide after a next-morning pain score.

    ``sessions``: the logs of the day before, next-morning pain filled in, each with the
    exercise id its track has now (a progression may have moved it up the ladder);
    ``pain``: the series including the new score. Each track steps back at most once.
    """
    today = now.date()
    decisions: list[Decision] = []
    for log, current_id in sessions:
        current = program.prescription_for(current_id)
        if current is None or any(d.exercise_id == current_id for d in decisions):
            continue  # gone, or merged into a track already stepped back
        usual = usual_pain(pain, today, thresholds)
        d = next_morning_decision(current, log, usual, catalog, program.phase, thresholds, today)
        if d is not None:
            decisions.append(d)
    new_program = apply_decisions(program, decisions, catalog) if decisions else program
    return MorningOutcome(decisions=tuple(decisions), program=new_program)
