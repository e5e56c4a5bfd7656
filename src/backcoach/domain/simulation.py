"""Replay a scripted course of days through the real rules (pure: no clock, no storage).

Why: a clinician, a tester or a person can see what backcoach would do over weeks — when
it progresses, when it steps back, when it stops and sends someone to a doctor — without
waiting weeks. Nothing here has its own rules: every step calls the same functions the
product uses (``screen``, ``screening_gate``, ``assess``, ``build_program``, ``monitor``,
and for sessions and next-morning pain ``after_session.after_session`` and
``after_session.after_next_morning``, exactly as ``services.sessions`` does).

The course (a JSON object; examples ship as ``backcoach/catalog/examples/course_*.json``)::

    {
      "name": "steady improvement",              # optional, shown as is
      "description": "...",                      # optional
      "screening": {...},                        # screening answers at onboarding (the README keys)
      "assessment": {...},                       # assessment answers (pain, side, self-tests, ...)
      "onset_weeks": 3,                          # weeks between the pain starting and day 1
      "days": [
        {"day": 1,                               # 1 = the start date; days may be skipped
         "pain_now": 4,                          # daily pain 0-10 (optional)
         "session": {                            # optional: what was done, per exercise id or "all"
           "all": {"completed": 1.0,             #   share of the prescribed dose done (0..1)
                   "pain_during": 1, "rpe": 5,   #   0-10 each
                   "form": "good",               #   good | some_faults | poor (default good)
                   "faults": [],                 #   fault ids of the exercise (default none)
                   "serious_fault_fraction": 0.0},  # optional
           "glute_bridge": {...}                 #   overrides "all" for that exercise
         },
         "next_morning_pain": 3,                 # optional: pain the morning after (recorded next day)
         "walked_minutes": 20,                   # optional: minutes walked yesterday (the check-in's walking)
         "screening": {...},                     # optional: new symptoms -> re-screen now with these answers
         "clearance": true}                      # optional: a clinician's go-ahead is recorded today
      ]
    }

How a day runs: the morning-after pain of the previous day is recorded (a flare steps the
exercises back at once), then today's pain; the screening is repeated when new answers
are given, and otherwise weekly with the latest answers (assumed unchanged); the gate is
checked; the program is built on the first open day; a scripted session is logged only
if the gate is open, and ``after_session`` decides (each exercise's decision, worsening,
the phase); monitoring runs last. A session scripted on a planned rest day is still
done, with a note; an exercise resting after a step back at its gentlest step is left out. Every calendar day from 1 to the last scripted day
(or ``days``) gives one :class:`SimulatedDay`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Mapping, Sequence

from .assessment import assess, parse_assessment
from .catalog import Catalog
from .errors import InvalidAnswers
from .fields import FieldSpec, Spec, check_value, field_of, validate
from .inputs import CHECKIN, SESSION_ENTRY
from .after_session import after_next_morning, after_session, with_next_morning
from .monitoring import Alert, PainEntry, monitor
from .program import Program, build_program, screening_gate, todays_session
from .progression import Decision, ExerciseLog
from .screening import Level, parse_answers, screen
from .thresholds import Thresholds
from .walking import walking_goal

__all__ = ["SimulatedDay", "simulate", "parse_course"]

COURSE_KEYS = {"name", "description", "screening", "assessment", "onset_weeks", "days"}
ONSET_WEEKS = FieldSpec("onset_weeks", "number", "Weeks between the pain starting and day 1", required=True, low=0,
                        unit="weeks")
DAY: Spec = (
    FieldSpec("day", "int", "Day of the course (1 = the start date)", required=True, low=1, high=3650),
    replace(field_of(CHECKIN, "nprs"), name="pain_now", required=False),
    replace(field_of(CHECKIN, "nprs"), name="next_morning_pain", label="Pain the morning after", required=False),
    field_of(CHECKIN, "walked_minutes"),
    FieldSpec("clearance", "bool", "A clinician's go-ahead is recorded today"),
    FieldSpec("note", "text", "Note", max_length=1000),
)
"""One scripted day; ``session`` and ``screening`` are checked on their own."""
ENTRY: Spec = (
    FieldSpec("completed", "number", "Share of the prescribed dose done", low=0, high=1),
    *(replace(f, required=False) for f in SESSION_ENTRY if f.name in ("pain_during", "rpe", "form",
                                                                     "serious_fault_fraction")),
)
"""One exercise of a scripted session (the session log's fields, with defaults); ``faults`` is checked
against the exercise."""


@dataclass(frozen=True)
class SimulatedDay:
    day: int
    date: date
    pain: int | None
    decisions: tuple[Decision, ...]
    alerts: tuple[Alert, ...]
    phase: str | None
    locked: bool
    lock_reason: str | None
    screening_level: str | None = None
    session_done: bool = False
    prescriptions: tuple[str, ...] = ()
    trend: str = "unknown"
    notes: tuple[str, ...] = field(default_factory=tuple)
    walking_goal: int | None = None
    """Today's walking goal (minutes a day), once the course logs any walking."""
    walked_yesterday: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day, "date": self.date.isoformat(), "pain": self.pain,
            "decisions": [d.to_dict() for d in self.decisions], "alerts": [a.to_dict() for a in self.alerts],
            "phase": self.phase, "locked": self.locked, "lock_reason": self.lock_reason,
            "screening_level": self.screening_level, "session_done": self.session_done,
            "prescriptions": list(self.prescriptions), "trend": self.trend, "notes": list(self.notes),
            "walking_goal": self.walking_goal, "walked_yesterday": self.walked_yesterday,
        }


def parse_course(course: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    """Check the course's shape (plain messages naming the place); returns the days by number."""
    if not isinstance(course, Mapping):
        raise InvalidAnswers("The course must be a JSON object.")
    unknown = set(course) - COURSE_KEYS
    if unknown:
        raise InvalidAnswers(f"Unknown key(s) in the course: {', '.join(sorted(unknown))}.")
    for key in ("screening", "assessment", "days"):
        if key not in course:
            raise InvalidAnswers(f"The course needs {key!r}.")
    if not isinstance(course["days"], list):
        raise InvalidAnswers("'days' must be a list.")
    days: dict[int, Mapping[str, Any]] = {}
    for i, entry in enumerate(course["days"]):
        where = f"days[{i}]"
        if not isinstance(entry, Mapping):
            raise InvalidAnswers(f"{where} must be an object.")
        values = validate(DAY, entry, extra=("session", "screening")).raise_problems(f"{where}.")
        number = values["day"]
        if number in days:
            raise InvalidAnswers(f"Day {number} appears twice.")
        session = entry.get("session")
        if session is not None:
            if not isinstance(session, Mapping) or not session:
                raise InvalidAnswers(f"{where}.session must be an object of exercise ids (or \"all\").")
            for exercise_id, spec in session.items():
                validate(ENTRY, spec, extra=("faults",)).raise_problems(f"{where}.session.{exercise_id}.")
        days[number] = entry
    return days


def _log_for(prescription: Any, spec: Mapping[str, Any], performed_on: date, exercise: Any,
             where: str) -> ExerciseLog:
    values = validate(ENTRY, spec, extra=("faults",)).raise_problems(f"{where}.")
    completed = values.get("completed", 1.0)
    form = values.get("form", "good")
    faults = tuple(spec.get("faults") or ())
    unknown = [f for f in faults if f not in exercise.fault_ids]
    if unknown:
        raise InvalidAnswers(f"{where}: {exercise.id} has no fault {', '.join(unknown)}.")
    fraction = values.get("serious_fault_fraction")
    p = prescription
    if p.reps is not None:
        total = int(p.sets * p.reps * completed + 1e-9)
        reps = tuple(min(p.reps, max(0, total - i * p.reps)) for i in range(p.sets))
        holds = tuple(float(p.hold_s) for _ in range(p.sets))
    else:
        reps = ()
        holds = tuple(p.hold_s * completed for _ in range(p.sets))
    return ExerciseLog(
        exercise_id=p.exercise_id, performed_on=performed_on, prescription=p, sets_done=p.sets,
        reps_per_set=reps, hold_s_per_set=holds,
        pain_during=values.get("pain_during", 0), rpe=values.get("rpe", 5), form=form, faults=faults,
        serious_fault_fraction=fraction,
    )


def simulate(course: Mapping[str, Any], catalog: Catalog, thresholds: Thresholds | None, start: date,
             days: int | None = None) -> list[SimulatedDay]:
    """Run the course from ``start`` (day 1); one :class:`SimulatedDay` per calendar day."""
    t = thresholds or catalog.thresholds
    if t is None:
        raise ValueError("No thresholds: pass the ones loaded from catalog/thresholds.yaml.")
    script = parse_course(course)
    onset_weeks = check_value(ONSET_WEEKS, course.get("onset_weeks", 0))
    onset = start - timedelta(weeks=onset_weeks)
    assessment = assess(parse_assessment(course["assessment"], t), t)
    answers = parse_answers(course["screening"])
    last_day = days if days is not None else max(script, default=1)

    entries: list[PainEntry] = []
    history: dict[str, list[ExerciseLog]] = {}
    actions: list[str] = []
    session_dates: list[date] = []
    program: Program | None = None
    level: Level | None = None
    screened_at: datetime | None = None
    clearance_at: datetime | None = None
    cleared_items: frozenset[str] = frozenset()
    last_worsening_step: date | None = None
    previous_logs: list[tuple[ExerciseLog, str]] = []
    previous_morning: int | None = None
    walked: dict[date, int] = {}
    out: list[SimulatedDay] = []

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=timezone.utc)

    for number in range(1, last_day + 1):
        today = start + timedelta(days=number - 1)
        spec = script.get(number, {})
        notes: list[str] = [str(spec["note"])] if spec.get("note") else []
        decisions: list[Decision] = []

        # Screening: at onboarding, on new answers (new symptoms) at once, otherwise weekly.
        new_answers = spec.get("screening")
        if new_answers is not None:
            answers = parse_answers(new_answers)
            notes.append("New symptoms reported: screened again with the new answers.")
        weekly_due = screened_at is not None and (today - screened_at.date()).days >= t.monitoring.rescreen_days
        if screened_at is None or new_answers is not None or weekly_due:
            result = screen(answers, t)
            if weekly_due and new_answers is None:
                notes.append("Weekly re-screen (answers assumed unchanged).")
            screened_at = at(today, 7)
            serious_items = frozenset(r.item for r in result.reasons if r.level >= Level.URGENT)
            if level is not None and level >= Level.URGENT and result.level < level and clearance_at is None:
                notes.append("The earlier warning signs still need a clinician's go-ahead, whatever the new answers.")
            else:
                if result.level != level or new_answers is not None:
                    notes.extend(f"Screening ({r.level.code}): {r.message}" for r in result.reasons)
                level = result.level
            if level is Level.URGENT and clearance_at is not None and serious_items <= cleared_items:
                clearance_at = screened_at + timedelta(seconds=1)  # the same findings: the go-ahead still covers them
            elif level is not None and level >= Level.URGENT:
                clearance_at = None
        if spec.get("clearance"):
            if level is not None and level >= Level.URGENT:
                clearance_at = at(today, 9)
                cleared_items = frozenset(r.item for r in screen(answers, t).reasons if r.level >= Level.URGENT)
                notes.append("A clinician's go-ahead was recorded.")
            else:
                notes.append("A clearance only matters after an urgent screen; noted.")

        # Morning after the previous session: record it; a flare steps back at once.
        if previous_morning is not None:
            entries.append(PainEntry(at(today, 7), previous_morning, "next_morning"))
            yesterday = today - timedelta(days=1)
            for exercise_id in {log.exercise_id for log, _ in previous_logs}:
                history[exercise_id] = with_next_morning(history[exercise_id], yesterday, previous_morning)
            if program is not None and previous_logs:
                morning = after_next_morning(
                    program, [(replace(log, next_morning_pain=previous_morning), current_id)
                              for log, current_id in previous_logs],
                    entries, t, catalog, at(today, 7))
                program = morning.program
                decisions.extend(morning.decisions)
                actions.extend(d.action for d in morning.decisions)
        previous_logs, previous_morning = [], None

        if spec.get("pain_now") is not None:
            entries.append(PainEntry(at(today, 8), int(spec["pain_now"]), "daily"))
        if spec.get("walked_minutes") is not None:
            walked[today - timedelta(days=1)] = int(spec["walked_minutes"])
        goal = walking_goal(walked, today, t.walking) if walked else None

        now = at(today, 10)
        gate = screening_gate(level, screened_at, now, clearance_at, None, t)
        locked = not gate.allowed
        lock_reason = " ".join(gate.reasons) if locked else None

        if program is None and gate.allowed:
            program = build_program(assessment, catalog, gate, today, t)
            notes.append("Program built from the assessment.")
        report = monitor(entries, onset, today, screened_at, level, session_dates,
                         program.days_per_week if program else 0, program.started_on if program else None, t)

        session_done = False
        session = spec.get("session")
        if session is not None and (locked or program is None):
            notes.append("A session was planned but the program is locked: no exercise today.")
        elif session is not None and program is not None:
            planned = todays_session(program, catalog, today, _sessions_this_week(session_dates, today),
                                     session_dates[-1] if session_dates else None)
            if not planned:
                notes.append("A rest day was planned; the session was done anyway.")
            logs_today: list[ExerciseLog] = []
            for p in program.prescriptions:
                entry = session.get(p.exercise_id, session.get("all"))
                if entry is None:
                    continue
                if p.resting_on(today):
                    notes.append(f"{p.exercise_id} is resting after a step back: left out today.")
                    continue
                exercise = catalog.get(p.exercise_id)
                logs_today.append(_log_for(p, entry, today, exercise, f"day {number} session.{p.exercise_id}"))
            unknown = [k for k in session if k != "all" and program.prescription_for(k) is None]
            if unknown:
                notes.append(f"Not in the program today, ignored: {', '.join(unknown)}.")
            if logs_today:
                now = at(today, 10)
                entries.append(PainEntry(now, max(log.pain_during for log in logs_today), "during"))
                outcome = after_session(program, history, logs_today, entries, t, catalog, now,
                                        counted_days=session_dates, recent_actions=actions,
                                        last_worsening_step=last_worsening_step)
                for log in logs_today:
                    history.setdefault(log.exercise_id, []).append(log)
                if outcome.worsening_step:
                    last_worsening_step = today
                session_done = True
                if outcome.counted:
                    session_dates.append(today)
                program = outcome.program
                decisions.extend(outcome.decisions)
                actions.extend(d.action for d in outcome.decisions)
                notes.extend(outcome.phase_reasons)
                previous_logs = [(log, d.after.exercise_id) for log, d in zip(logs_today, outcome.decisions)]
                previous_morning = spec.get("next_morning_pain")
            report = monitor(entries, onset, today, screened_at, level, session_dates, program.days_per_week,
                             program.started_on, t)

        out.append(SimulatedDay(
            day=number, date=today, pain=spec.get("pain_now"), decisions=tuple(decisions), alerts=report.alerts,
            phase=program.phase if program else None, locked=locked, lock_reason=lock_reason,
            screening_level=level.code if level is not None else None, session_done=session_done,
            prescriptions=tuple(f"{p.exercise_id}: {p.describe()}" for p in program.prescriptions) if program
            else (), trend=report.trend, notes=tuple(notes),
            walking_goal=goal.minutes if goal else None, walked_yesterday=goal.yesterday if goal else None,
        ))
    return out


def _sessions_this_week(session_dates: Sequence[date], today: date) -> int:
    monday = today - timedelta(days=today.weekday())
    return sum(1 for d in set(session_dates) if monday <= d < today)
