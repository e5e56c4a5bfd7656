"""Use cases that produce or show a program: start it, show today's session, a clinician's adjustment.

Each goes through the gate (`common.gate_for` -> `domain.program.screening_gate`) first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from backcoach.domain.errors import BackcoachError, InvalidAnswers
from backcoach.domain.fields import MISSING, FieldProblem, by_name
from backcoach.domain.inputs import ADJUSTMENT
from backcoach.services.common import (
    GateInfo,
    NoProgram,
    catalog,
    exercise_summary,
    gate_for,
    get_person,
    person_records,
    require_allowed,
    require_aware,
    thresholds,
)
from backcoach.services.access import require_clinician
from backcoach.services.assessment import AssessmentRecorded, add_assessment, parse_and_assess
from backcoach.storage import models as m
from backcoach.storage.repositories import Row
from backcoach.storage.unit_of_work import UnitOfWork


def program_of(record: m.ProgramRecord | Row) -> Any:
    """The domain Program kept in a stored program record."""
    from backcoach.domain.program import Program

    return Program.from_dict(record.program)


def store_program(record: m.ProgramRecord, program: Any, now: dt.datetime) -> None:
    """Write a changed program back (a new dict, so the JSON column sees the change)."""
    record.program = program.to_dict()
    record.phase = program.phase
    record.updated_at = now


NO_PROGRAM = "There is no program yet: run `backcoach start` (screening, then assessment, then your program)."


def active_program(uow: UnitOfWork, person_id: int) -> m.ProgramRecord:
    """The active program record, to change it, or NoProgram with what to do."""
    record = uow.programs.active_for(person_id)
    if record is None:
        raise NoProgram(NO_PROGRAM)
    return record


def require_program(record: Optional[Row]) -> Row:
    """The active program as read (a read-only row, to look at), or NoProgram with what to do."""
    if record is None:
        raise NoProgram(NO_PROGRAM)
    return record


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week of `day` (weeks count sessions from Monday)."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class ProgramStarted:
    """What start_program stored: the program and the gate it passed (with any reminder)."""

    program_id: int
    person_id: int
    program: Any  # domain.program.Program
    gate: GateInfo

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "person_id": self.person_id, "program": self.program.to_dict(),
                "gate": self.gate.to_dict()}


def start_program(uow: UnitOfWork, person_id: int, now: dt.datetime, assessment_id: Optional[int] = None) -> ProgramStarted:
    """Gate -> build_program from the latest (or the given) assessment -> store as the active program.

    A previous active program is kept, but no longer active.
    """
    now = require_aware(now)
    with uow:
        started = _start(uow, person_id, now, assessment_id)
        uow.commit()
        return started


def _start(uow: UnitOfWork, person_id: int, now: dt.datetime, assessment_id: Optional[int]) -> ProgramStarted:
    """start_program's work in the caller's open transaction (the caller commits)."""
    from backcoach.domain.assessment import assess, parse_assessment
    from backcoach.domain.program import build_program

    get_person(uow, person_id)
    info = gate_for(uow, person_id, now)
    require_allowed(info)
    record = uow.assessments.get(assessment_id) if assessment_id is not None else uow.assessments.latest(person_id)
    if record is None or record.person_id != person_id:
        raise NoProgram("There is no assessment yet: answer the assessment first (backcoach start --assessment FILE).")
    # Re-assess from the stored answers: the rules are pure, so this is the stored result.
    result = assess(parse_assessment(record.answers, thresholds()), thresholds())
    program = build_program(result, catalog(), info.gate, now.date(), thresholds())
    for old in uow.programs.list_for(person_id):
        old.active = False
    rec = uow.programs.add(m.ProgramRecord(person_id=person_id, created_at=now, updated_at=now, active=True,
                                           program=program.to_dict(), phase=program.phase, assessment_id=record.id))
    return ProgramStarted(program_id=rec.id, person_id=person_id, program=program, gate=info)


@dataclass(frozen=True)
class AssessedAndStarted:
    """What assess_and_start stored: the assessment and the program started from it."""

    assessment: AssessmentRecorded
    program: ProgramStarted

    def to_dict(self) -> dict[str, Any]:
        return {"assessment": self.assessment.to_dict(), "program": self.program.to_dict()}


def assess_and_start(uow: UnitOfWork, person_id: int, answers: Mapping[str, Any], now: dt.datetime) -> AssessedAndStarted:
    """Record the assessment and start the program from it, in ONE transaction: when the program
    cannot start (the gate is closed, the database fails, ...) the assessment is not stored
    either, so answering again starts from a clean slate."""
    now = require_aware(now)
    parsed, result = parse_and_assess(answers)
    with uow:
        assessed = add_assessment(uow, person_id, parsed, result, now)
        started = _start(uow, person_id, now, assessed.assessment_id)
        uow.commit()
        return AssessedAndStarted(assessment=assessed, program=started)


@dataclass(frozen=True)
class SessionItem:
    """One exercise of today's session: the prescription and what the person needs to do it well."""

    prescription: Any  # domain.program.Prescription
    exercise: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        from backcoach.services.common import NO_CAMERA_CHECK

        out = {"exercise_id": self.prescription.exercise_id, "prescription": self.prescription.to_dict(),
               "dose": self.prescription.describe(), "exercise": self.exercise}
        if self.exercise.get("camera_check") == "none":
            out["camera_note"] = NO_CAMERA_CHECK
        return out


def _day(day: dt.date) -> str:
    """A date as people read it ("Wed 2 Dec 2026")."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@dataclass(frozen=True)
class RestingItem:
    """An exercise resting after a step back at its gentlest step: not done today, and when it returns."""

    prescription: Any  # domain.program.Prescription (with rest_until)
    name: str

    @property
    def back_on(self) -> dt.date:
        return self.prescription.rest_until + dt.timedelta(days=1)

    def text(self) -> str:
        return (f"{self.name} is resting after a step back (it was already at its gentlest level). It comes back on "
                f"{_day(self.back_on)} at {self.prescription.describe()}.")

    def to_dict(self) -> dict[str, Any]:
        return {"exercise_id": self.prescription.exercise_id, "name": self.name,
                "rest_until": self.prescription.rest_until.isoformat(), "back_on": self.back_on.isoformat(),
                "text": self.text()}


@dataclass(frozen=True)
class StepBack:
    """A step back the rules took since the last session, shown on Today so the change is seen."""

    exercise_id: str
    name: str
    before: str
    after: str
    reason: str

    def text(self) -> str:
        return f"{self.name}: stepped back from {self.before} to {self.after}. {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"exercise_id": self.exercise_id, "name": self.name, "before": self.before, "after": self.after,
                "reason": self.reason, "text": self.text()}


@dataclass(frozen=True)
class TodaysSession:
    """Today's session, or a rest day, with the gate's standing reminder.

    `sessions_this_week` counts days with a session this week, today included (one session
    a day counts), so it agrees with `done_today`."""

    person_id: int
    day: dt.date
    phase: str
    items: tuple[SessionItem, ...]
    rest_day: bool
    done_today: bool
    sessions_this_week: int
    days_per_week: int
    gate: GateInfo
    resting: tuple[RestingItem, ...] = ()
    stepped_back: tuple[StepBack, ...] = ()
    clinician_note: Optional[dict[str, Any]] = None  # the latest note a clinician wrote with an adjustment
    effort: Optional[str] = None
    """The phase's target effort at the end of each set, in plain words."""
    rest_days_between: int = 0
    walking: Any = None  # domain.walking.WalkingGoal

    def to_dict(self) -> dict[str, Any]:
        from backcoach.domain.screening import DISCLAIMER

        return {
            "person_id": self.person_id, "date": self.day.isoformat(), "phase": self.phase,
            "clinician_note": self.clinician_note,
            "rest_day": self.rest_day, "done_today": self.done_today,
            "sessions_this_week": self.sessions_this_week, "days_per_week": self.days_per_week,
            "exercises": [i.to_dict() for i in self.items],
            "resting": [r.to_dict() for r in self.resting],
            "stepped_back": [s.to_dict() for s in self.stepped_back],
            "reminder": self.gate.reminder, "gate": self.gate.to_dict(), "disclaimer": DISCLAIMER,
            "effort": self.effort, "rest_days_between": self.rest_days_between,
            "walking": None if self.walking is None else self.walking.to_dict(),
        }


def todays_session(uow: UnitOfWork, person_id: int, now: dt.datetime) -> TodaysSession:
    """Gate -> the prescriptions for today with each exercise's cues, plus any standing reminder.

    Raises ProgramLocked (with the gate's reasons) when the program may not continue.
    """
    from backcoach.domain.program import effort_text, rest_days_between, resting
    from backcoach.domain.program import todays_session as domain_todays_session
    from backcoach.services.common import walking_goal_for

    now = require_aware(now)
    today = now.date()
    cat = catalog()
    with uow:
        found = person_records(uow, person_id)
        info = gate_for(uow, person_id, now, records=found.gate)
        require_allowed(info)
        program = program_of(require_program(found.program))
        days = set(uow.sessions.dates_for(person_id, since=min(week_start(today), today - dt.timedelta(days=7))))
        this_week = {d for d in days if week_start(today) <= d <= today}
        before_today = sum(1 for d in this_week if d < today)  # one session a day counts
        done_today = today in days
        earlier = [d for d in days if d < today]
        prescriptions = tuple(domain_todays_session(program, cat, today, before_today,
                                                    last_session_on=max(earlier) if earlier else None))
        items = tuple(SessionItem(p, exercise_summary(cat.get(p.exercise_id))) for p in prescriptions)
        # the newest decisions, read once for the step backs and the clinician's note
        decisions = uow.decisions.list_for(person_id, limit=max(STEP_BACKS_LOOKED_AT, NOTES_LOOKED_AT))
        rests = tuple(RestingItem(p, cat.get(p.exercise_id).name) for p in resting(program, today))
        return TodaysSession(person_id=person_id, day=today, phase=program.phase, items=items,
                             rest_day=not items, done_today=done_today, sessions_this_week=len(this_week),
                             days_per_week=program.days_per_week, gate=info, resting=rests,
                             stepped_back=_recent_step_backs(decisions[:STEP_BACKS_LOOKED_AT], now,
                                                             max(days) if days else None),
                             clinician_note=latest_clinician_note(uow, person_id, now, decisions),
                             effort=effort_text(program.phase, thresholds()),
                             rest_days_between=rest_days_between(program, cat, thresholds()),
                             walking=walking_goal_for(uow, person_id, now))


STEP_BACKS_LOOKED_AT = 40  # Today looks for the rules' step backs among this many of the newest decisions
NOTES_LOOKED_AT = 60  # ... and for a clinician's note among this many


def _recent_step_backs(decisions: Sequence[Row], now: dt.datetime,
                       last_session_on: Optional[dt.date]) -> tuple[StepBack, ...]:
    """The rules' step backs since the latest session day began (after it, or the morning after),
    among `decisions` (the newest ones, newest first)."""
    from backcoach.domain.program import Prescription

    if last_session_on is None:
        return ()
    cat = catalog()
    out: list[StepBack] = []
    for d in decisions:  # newest first
        if d.at.astimezone(now.tzinfo).date() < last_session_on:
            break
        if d.source != "rule" or d.action != "regress" or any(s.exercise_id == d.exercise_id for s in out):
            continue
        before, after = Prescription.from_dict(d.before), Prescription.from_dict(d.after)
        name = cat.get(before.exercise_id).name
        after_text = after.describe() if after.exercise_id == before.exercise_id else \
            f"{cat.get(after.exercise_id).name}, {after.describe()}"
        if after.rest_until is not None and after.rest_until >= now.date():
            after_text = f"a rest until {_day(after.rest_until)}"
        reason = next((r for r in d.reasons if r), "")
        out.append(StepBack(d.exercise_id, name, before.describe(), after_text, reason))
    return tuple(reversed(out))


NOTE_SHOWN_DAYS = 28  # how long a clinician's note stays on the person's Today


def latest_clinician_note(uow: UnitOfWork, person_id: int, now: dt.datetime,
                          decisions: Optional[Sequence[Row]] = None) -> Optional[dict[str, Any]]:
    """The newest note a clinician wrote to the person with an adjustment (shown on Today for
    NOTE_SHOWN_DAYS days), with who wrote it and what changed. `decisions`: the newest
    NOTES_LOOKED_AT (or more) decisions, newest first, if already read."""
    since = now - dt.timedelta(days=NOTE_SHOWN_DAYS)
    if decisions is None:
        decisions = uow.decisions.list_for(person_id, limit=NOTES_LOOKED_AT)
    for d in decisions[:NOTES_LOOKED_AT]:
        if d.at < since:
            break
        if d.source == "clinician" and d.note:
            name = getattr(d, "by_name", None) or "your clinician"
            return {"at": d.at.isoformat(), "by": name, "note": d.note, "exercise_id": d.exercise_id,
                    "after_exercise_id": (d.after or {}).get("exercise_id") or d.exercise_id, "action": d.action}
    return None


ADJUSTMENT_FIELDS = by_name(ADJUSTMENT)


def _declared(name: str, value: Any) -> Any:
    """``value`` checked by the adjustment's declared field (domain.inputs.ADJUSTMENT), in its words."""
    try:
        return ADJUSTMENT_FIELDS[name].check(value)
    except FieldProblem as exc:
        raise InvalidAdjustment(str(exc)) from None


class InvalidAdjustment(BackcoachError):
    """A clinician's adjustment that cannot be applied as asked."""


class AdjustmentNeedsConfirmation(BackcoachError):
    """The adjustment goes beyond the program's rules: saved only when the clinician confirms it."""

    def __init__(self, warnings: tuple[str, ...]) -> None:
        from backcoach.domain.adjustment import describe_warnings

        super().__init__(describe_warnings(warnings))
        self.warnings = tuple(warnings)


@dataclass(frozen=True)
class AdjustmentRecorded:
    """A clinician's change to one prescription, as kept in the decisions."""

    decision_id: int
    exercise_id: str
    action: str
    before: Any
    after: Any
    reasons: tuple[str, ...]
    by_name: str = ""
    warnings: tuple[str, ...] = ()  # what the clinician confirmed going beyond

    def to_dict(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "exercise_id": self.exercise_id, "action": self.action,
                "before": self.before.to_dict(), "after": self.after.to_dict(), "reasons": list(self.reasons),
                "source": "clinician", "by_name": self.by_name, "warnings": list(self.warnings)}




def adjust_program(
    uow: UnitOfWork,
    person_id: int,
    exercise_id: str,
    action: str,
    note: str,
    now: dt.datetime,
    by_user_id: Optional[int] = None,
    by_name: Optional[str] = None,
    new_exercise_id: Optional[str] = None,
    sets: Optional[int] = None,
    reps: Optional[int] = None,
    hold_s: Optional[int] = None,
    band: Optional[str] = None,
    confirm: bool = False,
) -> AdjustmentRecorded:
    """A clinician changes one prescription: swap it for another exercise, move it one step
    down or up its ladder, or change the dose. Kept as a decision with source 'clinician',
    attributed (by_user_id / by_name) and with the clinician's note as its reason.

    A change beyond the program's rules (domain.adjustment: a muscle group left without
    an exercise, a jump up a ladder or phase, a dose above the range, a ladder trained
    twice) raises AdjustmentNeedsConfirmation unless `confirm`; confirmed, the warnings are
    kept with the change. Goes through the gate like every path that continues a program.
    """
    now = require_aware(now)
    note = (note or "").strip()
    _declared("action", action)
    if not note:
        raise InvalidAdjustment(f"note: {MISSING} Say why: it is shown to the person.")
    cat = catalog()
    with uow:
        get_person(uow, person_id)
        if by_user_id is not None:
            user = require_clinician(uow, by_user_id, person_id)
            by_name = by_name or user.display_name or user.email
        info = gate_for(uow, person_id, now)
        require_allowed(info)
        record = active_program(uow, person_id)
        program = program_of(record)
        current = next((p for p in program.prescriptions if p.exercise_id == exercise_id), None)
        if current is None:
            ids = ", ".join(p.exercise_id for p in program.prescriptions)
            raise InvalidAdjustment(f"{exercise_id!r} is not in this program (it has: {ids}).")
        after = _adjusted(current, action, cat, program.phase, new_exercise_id, sets, reps, hold_s, band)
        if after.exercise_id != current.exercise_id and any(p.exercise_id == after.exercise_id for p in program.prescriptions):
            raise InvalidAdjustment(f"{cat.get(after.exercise_id).name} is already in the program: choose another "
                                    "exercise, or change the dose of that one instead.")
        from backcoach.domain.adjustment import adjustment_warnings

        warnings = adjustment_warnings(program.prescriptions, current, after, cat, program.phase, thresholds())
        if warnings and not confirm:
            raise AdjustmentNeedsConfirmation(warnings)
        new_program = dataclasses.replace(
            program, prescriptions=tuple(after if p.exercise_id == exercise_id else p for p in program.prescriptions)
        )
        store_program(record, new_program, now)
        who = by_name or "a clinician"
        reasons = (f"Changed by {who}: {note}",) + tuple(f"Confirmed beyond the rules: {w}" for w in warnings)
        rec = uow.decisions.add(m.DecisionRecord(
            person_id=person_id, at=now, exercise_id=exercise_id, action=action, before=current.to_dict(),
            after=after.to_dict(), reasons=list(reasons), source="clinician", by_user_id=by_user_id, note=note,
            by_name=who,
        ))
        uow.audit.add(m.AuditEntry(at=now, actor_user_id=by_user_id, person_id=person_id, action="program.adjusted",
                                   detail={"exercise_id": exercise_id, "action": action, "note": note, "by_name": who,
                                           "warnings": list(warnings),
                                           "before": current.to_dict(), "after": after.to_dict()}))
        uow.commit()
        return AdjustmentRecorded(decision_id=rec.id, exercise_id=exercise_id, action=action, before=current,
                                  after=after, reasons=reasons, by_name=who, warnings=warnings)


def _adjusted(current: Any, action: str, cat: Any, phase: str, new_exercise_id: Optional[str], sets: Optional[int],
              reps: Optional[int], hold_s: Optional[int], band: Optional[str]) -> Any:
    from backcoach.domain.program import starting_prescription
    from backcoach.domain.progression import progress_prescription, regress_prescription

    if action == "swap":
        if not new_exercise_id:
            raise InvalidAdjustment("Say which exercise to swap in (new_exercise_id).")
        return starting_prescription(cat.get(new_exercise_id), phase, thresholds())
    if action == "regress":
        after = regress_prescription(current, cat, phase, thresholds())
        if after == current:
            raise InvalidAdjustment(f"{current.exercise_id} at this dose is already the gentlest step.")
        return after
    if action == "progress":
        after, why = progress_prescription(current, cat, phase, thresholds())
        if after is None:
            raise InvalidAdjustment(why)
        return after
    exercise = cat.get(current.exercise_id)
    dose = exercise.dose
    changes: dict[str, Any] = {}
    if sets is not None:
        if not 1 <= sets <= max(dose.sets_max, 1) + 2:
            raise InvalidAdjustment(f"sets must be between 1 and {dose.sets_max + 2} for {exercise.id}.")
        changes["sets"] = sets
    if reps is not None:
        if dose.unit != "reps":
            raise InvalidAdjustment(f"{exercise.id} is a timed hold; change hold_s instead of reps.")
        changes["reps"] = _declared("reps", reps)
    if hold_s is not None:
        changes["hold_s"] = _declared("hold_s", hold_s)
    if band is not None:
        if not exercise.banded:
            raise InvalidAdjustment(f"band: {exercise.id} is not done with a band.")
        changes["band"] = _declared("band", band)
    if not changes:
        raise InvalidAnswers("Give at least one of sets, reps, hold_s or band to change the dose.")
    return dataclasses.replace(current, **changes)
