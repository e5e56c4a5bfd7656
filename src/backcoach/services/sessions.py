"""Use cases after training: log a session (and let the rules decide), check in pain.

The session file / form (JSON):
    {"performed_on": "2026-11-25",          optional, default today
     "pain_now": 2,                         optional, 0-10: also stored as a daily pain check-in
     "idempotency_key": "...",              optional: the same key twice changes nothing
     "exercises": [
        {"exercise_id": "glute_bridge", "sets": 2,
         "reps": 10 or [10, 9],             reps per set (exercises counted in repetitions)
         "hold_s": 3 or [3, 3],             squeeze at the top, or the hold of a timed exercise, per set
         "pain_during": 2, "rpe": 6,        0-10 each
         "form": "good" | "some_faults" | "poor",
         "faults": ["lumbar_hyperextension"],   optional (ids from the catalog or the camera)
         "serious_fault_fraction": 0.1}     optional, 0-1 (from the camera)
     ]}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from backcoach.domain.after_session import after_next_morning, after_session
from backcoach.domain.monitoring import is_worsening
from backcoach.domain.errors import InvalidAnswers
from backcoach.domain.fields import MISSING, FieldProblem, FieldSpec, by_name, check_value, validate
from backcoach.domain.inputs import CHECKIN, FORMS, SESSION, SESSION_ENTRY
from backcoach.services.common import (
    GateInfo,
    catalog,
    found_person,
    gate_for,
    local,
    monitoring_pain,
    monitoring_pain_and_last_id,
    monitoring_since,
    pain_entries,
    person_records,
    require_allowed,
    require_aware,
    thresholds,
)
from backcoach.services.program import program_of, require_program, store_program
from backcoach.storage import models as m
from backcoach.storage.database import CHANGED_MESSAGE, ChangedMeanwhile, Conflict
from backcoach.storage.repositories import Row
from backcoach.storage.unit_of_work import UnitOfWork

HISTORY_DAYS = 90  # sessions the progression rules look back over (they need the last few of each exercise)
PAIN_KINDS = ("daily", "next_morning")


# ----------------------------------------------------------------------------- parsing


ENTRY_FIELDS = by_name(SESSION_ENTRY)
PAIN = by_name(CHECKIN)["nprs"]
WALKED = by_name(CHECKIN)["walked_minutes"]


def _per_set(field: FieldSpec, value: Any, sets: int, where: str) -> tuple[Any, ...]:
    try:
        return field.check_per_set(value, sets)
    except FieldProblem as exc:
        raise FieldProblem(where, exc.message) from None


def parse_session(data: Mapping[str, Any], program: Any, today: dt.date) -> tuple[dt.date, list[Any], Optional[int], Optional[str]]:
    """Check a session file strictly against the program; nothing is guessed.

    Returns (performed_on, [ExerciseLog without next-morning pain], pain_now, idempotency_key).
    """
    from backcoach.domain.progression import ExerciseLog

    if not isinstance(data, Mapping):
        raise InvalidAnswers("The session must be a JSON object with an \"exercises\" list.")
    own = validate(SESSION, data, extra=("performed_on", "exercises")).raise_problems()
    pain_now, key = own.get("pain_now"), own.get("idempotency_key")
    performed_on = today
    if data.get("performed_on") is not None:
        try:
            performed_on = dt.date.fromisoformat(str(data["performed_on"]))
        except ValueError:
            raise InvalidAnswers(f"performed_on must be a date like 2026-11-25 (got {data['performed_on']!r}).") from None
        if performed_on > today:
            raise InvalidAnswers(f"performed_on ({performed_on}) is in the future.")
        if performed_on < today - dt.timedelta(days=7):
            raise InvalidAnswers("Sessions can be logged up to 7 days late; performed_on is older than that.")
    entries = data.get("exercises")
    if not isinstance(entries, list) or not entries:
        raise InvalidAnswers("The session needs an \"exercises\" list with at least one exercise.")
    prescribed = {p.exercise_id: p for p in program.prescriptions}
    cat = catalog()
    logs: list[Any] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"exercises[{i}]"
        if not isinstance(entry, Mapping):
            raise InvalidAnswers(f"{where} must be an object.")
        values = validate(SESSION_ENTRY, entry, extra=("faults",)).raise_problems(f"{where}.")
        ex_id = values["exercise_id"]
        if ex_id not in prescribed:
            raise InvalidAnswers(f"{where}: {ex_id!r} is not in your program (it has: {', '.join(prescribed)}).")
        if ex_id in seen:
            raise InvalidAnswers(f"{where}: {ex_id} appears twice; log each exercise once.")
        seen.add(ex_id)
        prescription = prescribed[ex_id]
        if prescription.resting_on(performed_on):
            raise InvalidAnswers(f"{where}: {ex_id} is resting after a step back until "
                                 f"{prescription.rest_until.isoformat()}; leave it out of this session.")
        exercise = cat.get(ex_id)
        sets = values["sets"]
        if exercise.dose.unit == "reps":
            if values.get("reps") is None:
                raise InvalidAnswers(f"{where}.reps: {MISSING}")
            reps = _per_set(ENTRY_FIELDS["reps"], values["reps"], sets, f"{where}.reps")
        else:
            if values.get("reps") is not None:
                raise InvalidAnswers(f"{where}: {ex_id} is a timed hold; give hold_s, not reps.")
            reps = ()
        holds = _per_set(ENTRY_FIELDS["hold_s"], values["hold_s"], sets, f"{where}.hold_s")
        form = values["form"]
        faults = entry.get("faults") or []
        if not isinstance(faults, list) or not all(isinstance(f, str) for f in faults):
            raise InvalidAnswers(f"{where}.faults must be a list of fault ids.")
        known = {f.id for f in exercise.faults}
        bad = [f for f in faults if f not in known]
        if bad:
            raise InvalidAnswers(f"{where}: unknown fault(s) for {ex_id}: {', '.join(bad)} (known: {', '.join(sorted(known)) or 'none'}).")
        logs.append(ExerciseLog(
            exercise_id=ex_id, performed_on=performed_on, prescription=prescription, sets_done=sets,
            reps_per_set=tuple(reps), hold_s_per_set=tuple(holds),
            pain_during=values["pain_during"], rpe=values["rpe"], form=form, faults=tuple(faults),
            serious_fault_fraction=values.get("serious_fault_fraction"),
        ))
    return performed_on, logs, pain_now, key


# ----------------------------------------------------------------------------- history


def _next_morning_by_day(records: Sequence[Row], now: Optional[dt.datetime]) -> dict[dt.date, int]:
    """Next-morning pain keyed by the day of the session it follows (the entry's local day - 1)."""
    out: dict[dt.date, int] = {}
    for r in records:
        if r.kind == "next_morning":
            day = (local(r.at, now) if now else r.at).date()
            out.setdefault(day - dt.timedelta(days=1), r.nprs)
    return out


def _mornings(uow: UnitOfWork, person_id: int, since: dt.date, now: dt.datetime,
              pain_read: Optional[tuple[dt.datetime, Sequence[Row]]] = None) -> list[Row]:
    """The next-morning entries from the day `since` on, oldest first: taken from `pain_read`
    when it holds every entry from before that day on, else read."""
    start = dt.datetime.combine(since, dt.time.min, now.tzinfo)
    if pain_read is not None and pain_read[0] <= start:
        return [r for r in pain_read[1] if r.kind == "next_morning" and r.at >= start]
    return uow.pain.list_for(person_id, since=start, kinds=("next_morning",))


def recent_exercise_logs(uow: UnitOfWork, person_id: int, exercise_ids: Sequence[str], since: dt.date,
                         now: dt.datetime, extra_mornings: Sequence[Row] = (),
                         pain_read: Optional[tuple[dt.datetime, Sequence[Row]]] = None,
                         ) -> tuple[dict[str, list[Any]], list[dt.date]]:
    """The stored logs of each exercise that the progression rules read, oldest first, with
    their next-morning pain attached (`extra_mornings`: entries not stored yet); and the day of
    every session the person logged, oldest first (read with the logs: one statement).
    `pain_read`: (from when, the stored pain entries from then on, oldest first), if already
    read: the next-morning pain is taken from them when they reach back far enough (on a
    database, a statement fewer per session log: benchmarks/bench_web_cpu.py).

    Why newest first and stop early: the rules look only at the logs of the newest
    `history_needed` days of an exercise (one session a day counts), so a person with
    months of sessions costs no more than one with a week.
    """
    from backcoach.domain.progression import ExerciseLog, history_needed

    needed = history_needed(catalog(), thresholds())
    limit: Optional[int] = needed + 2  # enough when every session logs every exercise, once a day
    rows, session_days = uow.sessions.recent_entries_and_dates(person_id, since, limit)
    while True:
        found: dict[str, list[Any]] = {ex_id: [] for ex_id in exercise_ids}
        days: dict[str, set[Any]] = {ex_id: set() for ex_id in exercise_ids}
        complete: dict[str, bool] = {ex_id: False for ex_id in exercise_ids}
        for day, entries in rows:
            for entry in entries:
                ex_id = entry.get("exercise_id")
                if ex_id not in found:
                    continue
                if len(days[ex_id]) >= needed and day not in days[ex_id]:
                    complete[ex_id] = True  # an older day: every log of the newest `needed` days is in
                    continue
                found[ex_id].append(entry)
                days[ex_id].add(day)
        if limit is None or len(rows) < limit or all(complete.values()):
            break
        limit = None if limit >= 64 else limit * 4
        rows = uow.sessions.recent_entries(person_id, since, limit)
    mornings: dict[dt.date, int] = {}
    if rows:
        mornings = _next_morning_by_day([*_mornings(uow, person_id, rows[-1][0], now, pain_read), *extra_mornings],
                                        now)
    out: dict[str, list[Any]] = {}
    for ex_id, entries in found.items():
        logs = [ExerciseLog.from_dict(entry) for entry in reversed(entries)]
        out[ex_id] = [dataclasses.replace(log, next_morning_pain=mornings[log.performed_on])
                      if log.next_morning_pain is None and log.performed_on in mornings else log for log in logs]
    return out, session_days


# ----------------------------------------------------------------------------- log_session


@dataclass(frozen=True)
class SessionLogged:
    """What log_session stored (or found, for a repeated submission) and decided."""

    session_id: int
    person_id: int
    performed_on: dt.date
    decisions: tuple[Any, ...]  # domain.progression.Decision
    duplicate: bool
    alerts: tuple[Any, ...]
    gate: Optional[GateInfo]
    phase: Optional[str] = None
    phase_reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "person_id": self.person_id,
                "performed_on": self.performed_on.isoformat(), "duplicate": self.duplicate,
                "phase": self.phase, "phase_reasons": list(self.phase_reasons),
                "decisions": [d if isinstance(d, dict) else d.to_dict() for d in self.decisions],
                "alerts": [a if isinstance(a, dict) else a.to_dict() for a in self.alerts],
                "reminder": None if self.gate is None else self.gate.reminder}


def _duplicate(rec: m.SessionLog) -> SessionLogged:
    return SessionLogged(session_id=rec.id, person_id=rec.person_id, performed_on=rec.performed_on,
                         decisions=tuple(rec.decisions), duplicate=True, alerts=(), gate=None)


MAX_ATTEMPTS = 5  # a session log whose reads went stale starts again (another request for the same person won)


def log_session(
    uow: UnitOfWork,
    person_id: int,
    session: Mapping[str, Any],
    now: dt.datetime,
    idempotency_key: Optional[str] = None,
) -> SessionLogged:
    """Gate -> read the program, each exercise's history and the pain series ->
    `domain.after_session.after_session` decides (the same function `backcoach simulate`
    runs: each exercise's decision, one counted session a day, worsening, the phase) ->
    store the session, its pain entries and the decisions, and the new program. Returns the
    decisions with their reasons.

    The same idempotency key twice (a form posted twice) stores nothing new and returns
    the first result.

    Why it reads everything first and writes at the end: SQLite lets one writer in at a
    time, so the write transaction holds only the inserts and a check that nothing it read
    has changed (the program's version, the person's newest pain entry). If something did,
    another request for the same person got there first: nothing is written and the whole
    use case runs again on the new data, so no decision is lost or made on stale data.
    """
    now = require_aware(now)
    key = idempotency_key or (session.get("idempotency_key") if isinstance(session, Mapping) else None)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return _log_session_once(uow, person_id, session, now, key)
        except ChangedMeanwhile:
            if attempt == MAX_ATTEMPTS:
                raise
        except Conflict:
            if not key:
                raise
            with uow:  # the same form won a race a moment ago: answer with what it stored
                existing = uow.sessions.get_by_idempotency_key(key)
                if existing is None or existing.person_id != person_id:
                    raise
                return _duplicate(existing)
    raise AssertionError("unreachable")  # pragma: no cover


def _log_session_once(uow: UnitOfWork, person_id: int, session: Mapping[str, Any], now: dt.datetime,
                      key: Optional[str]) -> SessionLogged:
    t = thresholds()
    with uow:
        # -- reads (one read transaction; on SQLite, no lock that blocks anyone). First what the
        # monitoring rules read once this session's entries are stored (they are the newest),
        # then the gate: a check-in reporting new symptoms saved in between changes the newest
        # pain id, which the write phase checks, so the gate that lets this session in is never
        # older than the pain series it is checked against.
        stored_pain, last_pain_id = monitoring_pain_and_last_id(uow, person_id, now)
        found = uow.people.with_program_and_gate(person_id, session_key=key)
        if key and (found.key_used or found.person is None):
            existing = uow.sessions.get_by_idempotency_key(key)
            if existing is not None:
                if existing.person_id != person_id:
                    raise Conflict("This submission key was already used for someone else; nothing was saved.")
                return _duplicate(existing)
        person = found_person(found.person, person_id)
        info = gate_for(uow, person_id, now, records=found.gate)
        require_allowed(info)
        record = require_program(found.program)
        program = program_of(record)
        performed_on, logs, pain_now, _ = parse_session(session, program, now.date())

        stored_logs, session_days = recent_exercise_logs(uow, person_id, [log.exercise_id for log in logs],
                                                         performed_on - dt.timedelta(days=HISTORY_DAYS), now,
                                                         pain_read=(monitoring_since(now), stored_pain))
        new_pain = ([m.PainEntryRecord(person_id=person_id, at=now, nprs=pain_now, kind="daily")]
                    if pain_now is not None else [])
        new_pain.append(m.PainEntryRecord(
            person_id=person_id, at=now, nprs=max(log.pain_during for log in logs), kind="during"))
        pain_records = sorted(stored_pain + new_pain, key=lambda r: r.at)
        pain = pain_entries(pain_records, now)
        recent_actions, last_worsening_step = _rule_history(uow, person_id, now, t,
                                                            worsening=is_worsening(pain, now.date(), t))

        # -- the rules, in plain Python (the one implementation, shared with `simulate`)
        outcome = after_session(program, stored_logs, logs, pain, t, catalog(), now,
                                counted_days=session_days, recent_actions=recent_actions,
                                last_worsening_step=last_worsening_step)
        decisions = list(outcome.decisions)
        new_program, phase_reasons = outcome.program, outcome.phase_reasons
        report = _monitor(uow, person, new_program, info, now, extra_session_day=performed_on,
                          pain_records=pain_records, session_days=session_days)

        # -- one short write transaction: re-check what could have changed, then insert
        uow.begin_write()
        newest_screening = max((s.id for s in found.gate.screenings), default=None)
        if not uow.programs.update_if_unchanged(record.id, record.version, program=new_program.to_dict(),
                                                phase=new_program.phase, updated_at=now,
                                                newest_pain=(person_id, last_pain_id),
                                                newest_screening=(person_id, newest_screening)):
            # the program, the pain series or the screenings changed since the reads
            raise ChangedMeanwhile(CHANGED_MESSAGE)
        # plain inserts: the pain entries, the session log (its id comes back), then its decisions
        session_rec = m.SessionLog(
            person_id=person_id, performed_on=performed_on, at=now, entries=[log.to_dict() for log in logs],
            decisions=[d.to_dict() for d in decisions], idempotency_key=key, program_id=record.id,
        )
        uow.add_all([*new_pain, session_rec])
        uow.add_all([m.DecisionRecord(
            person_id=person_id, at=now, exercise_id=d.exercise_id, action=d.action,
            before=d.before.to_dict(), after=d.after.to_dict(), reasons=list(d.reasons),
            source="rule", session_log_id=session_rec.id,
        ) for d in decisions], ids=False)
        uow.commit()
        return SessionLogged(session_id=session_rec.id, person_id=person_id, performed_on=performed_on,
                             decisions=tuple(decisions), duplicate=False, alerts=tuple(report.alerts), gate=info,
                             phase=new_program.phase, phase_reasons=phase_reasons)


def _rule_history(uow: UnitOfWork, person_id: int, now: dt.datetime, t: Any,
                  worsening: bool) -> tuple[list[str], Optional[dt.date]]:
    """What `after_session` needs from earlier decisions: the rules' newest actions (oldest
    first, for the phase criteria) and, only while pain is worsening (the one case that
    reads it), the day of the last step back for worsening pain."""
    from backcoach.domain.progression import WORSENING_STEP

    n = t.phases.recent_decisions_considered
    stored = [action for source, action in uow.decisions.recent_actions(person_id, 2 * n) if source == "rule"][:n]
    if not worsening:
        return list(reversed(stored)), None
    since = now - dt.timedelta(days=t.monitoring.worsening_step_every_days + 1)
    steps = [local(d.at, now).date() for d in uow.decisions.list_for(person_id, limit=60)
             if d.at >= since and d.source == "rule" and WORSENING_STEP in d.reasons]
    return list(reversed(stored)), max(steps, default=None)


def _monitor(uow: UnitOfWork, person: m.Person | Row, program: Any, info: GateInfo, now: dt.datetime,
             extra_session_day: Optional[dt.date] = None, pain_records: Optional[list[Row]] = None,
             session_days: Optional[list[dt.date]] = None) -> Any:
    from backcoach.domain.monitoring import monitor

    t = thresholds()
    records = pain_records if pain_records is not None else monitoring_pain(uow, person.id, now)
    days = list(session_days) if session_days is not None else uow.sessions.dates_for(person.id)
    if extra_session_day is not None:
        days.append(extra_session_day)
    latest = info.latest_screening
    onset = person.onset_date or (program.started_on if program is not None else local(person.created_at, now).date())
    return monitor(
        pain_entries(records, now), onset=onset, today=now.date(),
        last_screened_at=local(latest.at, now) if latest else None, latest_level=info.effective_level,
        session_dates=sorted(days), days_per_week=program.days_per_week if program is not None else 0,
        program_started=program.started_on if program is not None else None,
        thresholds=t,
        urgent_cleared=bool(latest and latest.level == "urgent" and info.lock_screening is None
                            and info.clearance is not None),
    )


# ----------------------------------------------------------------------------- check-in


@dataclass(frozen=True)
class CheckinRecorded:
    """A stored pain score, any step back it caused, and the current alerts."""

    entry_id: int
    person_id: int
    nprs: int
    kind: str
    decisions: tuple[Any, ...]
    alerts: tuple[Any, ...]
    gate: GateInfo
    walked_minutes: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "person_id": self.person_id, "nprs": self.nprs, "kind": self.kind,
                "decisions": [d.to_dict() for d in self.decisions], "alerts": [a.to_dict() for a in self.alerts],
                "gate": self.gate.to_dict(), "walked_minutes": self.walked_minutes}


def check_in_pain(
    uow: UnitOfWork,
    person_id: int,
    nprs: Any,
    now: dt.datetime,
    next_morning: bool = False,
    new_symptoms: bool = False,
    note: Optional[str] = None,
    walked_minutes: Any = None,
) -> CheckinRecorded:
    """Store a pain score (always allowed, even while the program is locked), with the
    minutes walked yesterday when given (the walking goal; empty = not answered).

    A next-morning score is matched to yesterday's sessions: if it is 2 or more above the
    person's usual pain, `domain.after_session.after_next_morning` steps those exercises
    back at once. Reporting new symptoms closes the gate until the screening questions are
    answered again.
    """
    now = require_aware(now)
    nprs = check_value(PAIN, nprs, "pain")
    walked = check_value(WALKED, walked_minutes, "walked_minutes")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return _check_in_once(uow, person_id, nprs, now, next_morning, new_symptoms, note, walked)
        except ChangedMeanwhile:
            if attempt == MAX_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _check_in_once(uow: UnitOfWork, person_id: int, nprs: int, now: dt.datetime, next_morning: bool,
                   new_symptoms: bool, note: Optional[str], walked_minutes: Optional[int] = None) -> CheckinRecorded:
    """Like log_session: read and decide with the new entry counted in, then one short write."""
    from backcoach.domain.progression import ExerciseLog

    kind = "next_morning" if next_morning else "daily"
    with uow:
        entry = m.PainEntryRecord(person_id=person_id, at=now, nprs=nprs, kind=kind,
                                  new_symptoms=bool(new_symptoms), note=(note or None),
                                  walked_minutes=walked_minutes)
        stored_pain, last_pain_id = monitoring_pain_and_last_id(uow, person_id, now)  # before the gate reads
        found = person_records(uow, person_id)
        person, program_rec = found.person, found.program
        info = gate_for(uow, person_id, now, new_symptoms_reported_at=now if new_symptoms else None,
                        records=found.gate)
        pain_records = sorted(stored_pain + [entry], key=lambda r: r.at)
        decisions: list[Any] = []
        new_program = None
        program = program_of(program_rec) if program_rec is not None else None
        if next_morning and program is not None and info.allowed:
            yesterday = now.date() - dt.timedelta(days=1)
            sessions = [s for s in uow.sessions.list_for(person_id, since=yesterday) if s.performed_on == yesterday]
            morning: list[tuple[Any, str]] = []
            for s in sessions:  # oldest first: follow each track through that day's decisions
                moved = {d.get("exercise_id"): (d.get("after") or {}).get("exercise_id") for d in s.decisions or ()}
                for e in s.entries:
                    log = dataclasses.replace(ExerciseLog.from_dict(e), next_morning_pain=nprs)
                    morning.append((log, moved.get(log.exercise_id) or log.exercise_id))
            if morning:
                outcome = after_next_morning(program, morning, pain_entries(pain_records, now),
                                             thresholds(), catalog(), now)
                decisions = list(outcome.decisions)
                if decisions:
                    new_program = outcome.program
        report = _monitor(uow, person, program, info, now, pain_records=pain_records)

        uow.begin_write()
        if new_program is not None and not uow.programs.update_if_unchanged(
                program_rec.id, program_rec.version, program=new_program.to_dict(), phase=new_program.phase,
                updated_at=now):
            raise ChangedMeanwhile(CHANGED_MESSAGE)
        # the entry (its id is the answer), only if no entry came since the reads; then the decisions
        if not uow.pain.add_if_last_id(entry, last_pain_id):
            raise ChangedMeanwhile(CHANGED_MESSAGE)
        uow.add_all([m.DecisionRecord(
            person_id=person_id, at=now, exercise_id=d.exercise_id, action=d.action,
            before=d.before.to_dict(), after=d.after.to_dict(), reasons=list(d.reasons), source="rule",
        ) for d in decisions], ids=False)
        uow.commit()
        return CheckinRecorded(entry_id=entry.id, person_id=person_id, nprs=nprs, kind=kind,
                               decisions=tuple(decisions), alerts=tuple(report.alerts), gate=info,
                               walked_minutes=walked_minutes)


# ----------------------------------------------------------------------------- reading back

def session_history(uow: UnitOfWork, person_id: int, since: Optional[dt.date] = None) -> list[m.SessionLog]:
    """The person's logged sessions, oldest first."""
    with uow:
        return uow.sessions.list_for(person_id, since=since)


def session_record(uow: UnitOfWork, person_id: int, session_id: int) -> Optional[m.SessionLog]:
    """One of the person's logged sessions, or None when it is not theirs."""
    with uow:
        rec = uow.sessions.get(session_id)
        return rec if rec is not None and rec.person_id == person_id else None


def pain_history(uow: UnitOfWork, person_id: int) -> list[dict[str, Any]]:
    """The person's pain entries, oldest first."""
    with uow:
        return [{"id": p.id, "at": p.at.isoformat(), "nprs": p.nprs, "kind": p.kind, "new_symptoms": p.new_symptoms,
                 "walked_minutes": p.walked_minutes} for p in uow.pain.list_for(person_id)]
