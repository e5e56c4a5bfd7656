"""What several use cases share: errors, the catalog, finding a person, and THE gate.

`gate_for(uow, person_id, now)` is the only way the services decide whether a
program may be produced or continued; it always ends in
`domain.program.screening_gate`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from backcoach.domain.errors import BackcoachError, InvalidAnswers, NotAllowed, ProgramLocked
from backcoach.storage import models as m
from backcoach.storage.repositories import GateRecords, PersonRecords, Row
from backcoach.storage.unit_of_work import UnitOfWork

__all__ = [
    "BackcoachError",
    "GateInfo",
    "InvalidAnswers",
    "NoProgram",
    "NotAllowed",
    "PersonNotFound",
    "ProgramLocked",
    "catalog",
    "thresholds",
    "gate_for",
    "lock_message",
    "require_aware",
]


class PersonNotFound(BackcoachError):
    """No such person (or no one set up yet)."""


class NoProgram(BackcoachError):
    """The person has no active program yet."""


@functools.lru_cache(maxsize=1)
def catalog() -> Any:
    """The exercise catalog (read once per process)."""
    from backcoach.catalog import load_catalog

    return load_catalog()


@functools.lru_cache(maxsize=1)
def thresholds() -> Any:
    """The clinical thresholds (read once per process)."""
    from backcoach.catalog import load_thresholds

    return load_thresholds()


def require_aware(now: dt.datetime) -> dt.datetime:
    """Services take `now` from the caller (a clock that tests can fix); it must be aware.

    Its time zone decides what "today" is: the CLI passes the local time, so a session
    logged at 18:00 in California counts for that day, not for the next UTC day. Stored
    times are UTC whatever the zone.
    """
    if now.tzinfo is None:
        raise ValueError("`now` must be timezone-aware")
    return now


def local(at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """A stored (UTC) time in the caller's time zone, so its date is the person's date."""
    return at.astimezone(now.tzinfo)


def get_person(uow: UnitOfWork, person_id: int) -> Row:
    """The person as a read-only row (what the use cases look at), or PersonNotFound."""
    return found_person(uow.people.row(person_id), person_id)


def person_records(uow: UnitOfWork, person_id: int) -> PersonRecords:
    """The person (or PersonNotFound), their active program (None: none yet) and what the gate
    reads (for `gate_for`), read together (one statement on a database)."""
    found = uow.people.with_program_and_gate(person_id)
    found_person(found.person, person_id)
    return found


def person_to_change(uow: UnitOfWork, person_id: int) -> m.Person:
    """The person's record, to change it, or PersonNotFound."""
    return found_person(uow.people.get(person_id), person_id)


def found_person(person: Any, person_id: int) -> Any:
    """`person` (as read for `person_id`), or PersonNotFound when it was not there."""
    if person is None:
        raise PersonNotFound(f"There is no person with id {person_id}.")
    return person


def level_of(code: Optional[str]) -> Any:
    """A stored level code as the domain Level (None stays None)."""
    from backcoach.domain.screening import Level

    return None if code is None else Level.from_code(code)


LOCK_LEVELS = ("urgent", "emergency")
LOCK_FINDINGS = {
    "emergency": "signs that need emergency care",
    "urgent": "signs that need a doctor within 24 hours",
}


def lock_message(level: str, on: dt.date, later_screen_on: Optional[dt.date] = None) -> str:
    """The one sentence every surface (pages, API, CLI) uses for a standing lock, in the person's voice."""
    text = (f"Your program is paused until a clinician has checked you: the {level} safety screen on "
            f"{on.isoformat()} found {LOCK_FINDINGS.get(level, 'signs that need a doctor')}.")
    if later_screen_on is not None:
        text += (f" Your later answers (on {later_screen_on.isoformat()}) do not lift this; only a clinician "
                 "who has checked you can, by recording that you were assessed.")
    return text


@dataclass(frozen=True)
class GateInfo:
    """The gate's verdict plus what the services looked at to reach it."""

    gate: Any  # domain.program.ScreeningGate
    latest_screening: Optional[Row]
    effective_level: Any  # Level | None: the latest level, raised to the level of a lock that is not cleared yet
    lock_screening: Optional[Row]  # the urgent/emergency screen that is not cleared yet
    clearance: Optional[Row]
    lock_on: Optional[dt.date] = None  # the lock screen's date in the caller's time zone
    latest_on: Optional[dt.date] = None  # the latest screen's date in the caller's time zone

    @property
    def allowed(self) -> bool:
        return bool(self.gate.allowed)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(self.gate.reasons)

    @property
    def reminder(self) -> Optional[str]:
        return self.gate.reminder

    @property
    def locked(self) -> bool:
        """An urgent/emergency screen holds the program until a clinician records an assessment."""
        return self.lock_screening is not None

    def lock_dict(self) -> Optional[dict[str, Any]]:
        """The standing lock as every surface shows it: level, date, cause, and the sentence to show."""
        s = self.lock_screening
        if s is None:
            return None
        on = self.lock_on or s.at.date()
        latest = self.latest_screening
        later = latest if latest is not None and latest.id != s.id else None
        return {
            "screening_id": s.id, "level": s.level, "at": s.at.isoformat(), "on": on.isoformat(),
            "findings": [{"item": r.get("item", ""), "level": r.get("level", ""), "message": r.get("message", "")}
                         for r in (s.result or {}).get("reasons", []) if r.get("level") in LOCK_LEVELS],
            "later_screening": None if later is None else {"id": later.id, "at": later.at.isoformat(),
                                                           "level": later.level},
            "message": lock_message(s.level, on, None if later is None else (self.latest_on or later.at.date())),
        }

    def to_dict(self) -> dict[str, Any]:
        s = self.latest_screening
        return {
            "allowed": self.allowed,
            "reasons": list(self.reasons),
            "reminder": self.reminder,
            "latest_screening": None if s is None else {"id": s.id, "at": s.at.isoformat(), "level": s.level},
            "effective_level": None if self.effective_level is None else self.effective_level.code,
            "locked_by_screening_id": None if self.lock_screening is None else self.lock_screening.id,
            "lock": self.lock_dict(),
            "clearance": None if self.clearance is None else clearance_dict(self.clearance),
        }


def clearance_dict(c: m.Clearance | Row) -> dict[str, Any]:
    """A clearance as JSON-ready data: who recorded it, what they ruled out, where the person was seen."""
    return {"id": c.id, "at": c.at.isoformat(), "by": c.by_name, "by_user_id": c.by_user_id, "note": c.note,
            "ruled_out": c.ruled_out, "seen_where": c.seen_where, "screening_id": c.screening_id}


def _serious_items(screening: m.Screening | Row) -> set[str]:
    return {r.get("item", "") for r in (screening.result or {}).get("reasons", [])
            if r.get("level") in ("urgent", "emergency")}


def clearance_covers(cleared: m.Screening | Row, screening: m.Screening | Row) -> bool:
    """Does a clearance given for `cleared` also cover the later `screening`?

    Only for an urgent (never an emergency) screen whose urgent findings were all
    already found in the cleared screen: a clinician who checked a history of cancer
    need not clear it again every week, but any new finding locks the program again.
    """
    if screening.level != "urgent" or (cleared.at, cleared.id) > (screening.at, screening.id):
        return False
    return _serious_items(screening) <= _serious_items(cleared)


def unresolved_lock(uow: UnitOfWork, person_id: int, records: Optional[GateRecords] = None,
                    ) -> tuple[Optional[Row], Optional[Row]]:
    """The urgent/emergency screen that holds the program (none of the clinicians' clearances
    covers it), and the latest clearance. Of several, the highest level wins (an emergency
    outranks a later urgent screen), then the newest.

    Why: a lock is lifted only by a clinician, never by simply answering the
    questions again (a person in a hurry could answer differently); and a clinician
    clearing a later urgent finding must still see the emergency before it.
    `records`: what `ScreeningRepository.for_gate` read for the person, if already read.
    """
    if records is None:
        records = uow.screenings.for_gate(person_id)
    clearance = records.clearance
    cleared = _cleared_screening(uow, records.screenings, clearance)
    held: list[Row] = []
    for s in records.screenings:  # newest first
        if cleared is not None and (s.at, s.id) < (cleared.at, cleared.id):
            break  # older than the cleared screen: covered by the clearance
        if s.level not in LOCK_LEVELS:
            continue
        if cleared is not None and (s.id == cleared.id or clearance_covers(cleared, s)):
            continue
        held.append(s)
    if not held:
        return None, clearance
    return max(held, key=lambda s: (LOCK_LEVELS.index(s.level), s.at, s.id)), clearance


def _cleared_screening(uow: UnitOfWork, screenings: Sequence[Row], clearance: Optional[Row]) -> Optional[Row]:
    """The screen the clearance was recorded for: one of the person's screenings, already read
    (found by id; read on its own only if it is not among them)."""
    if clearance is None or not clearance.screening_id:
        return None
    found = next((s for s in screenings if s.id == clearance.screening_id), None)
    return found if found is not None else uow.screenings.get(clearance.screening_id)


def gate_for(uow: UnitOfWork, person_id: int, now: dt.datetime,
             new_symptoms_reported_at: Optional[dt.datetime] = None,
             records: Optional[GateRecords] = None) -> GateInfo:
    """Evaluate `domain.program.screening_gate` for this person at `now`.

    A standing lock (an urgent/emergency screen no clearance covers) closes the gate
    whatever the later screens say, and leads the reasons with `lock_message`, so the
    pages, the API and the CLI all say the same thing; the effective level is the
    higher of the latest screen and the lock.
    `new_symptoms_reported_at`: a check-in being saved reports new symptoms (it counts as
    stored: the gate closes for it). `records`: what `ScreeningRepository.for_gate` reads, if
    already read in this unit of work (`person_records`)."""
    from backcoach.domain.program import screening_gate
    from backcoach.domain.screening import NEXT_STEPS

    now = require_aware(now)
    if records is None:
        records = uow.screenings.for_gate(person_id)  # screenings newest first, latest clearance, new symptoms
    latest = records.screenings[0] if records.screenings else None
    lock, clearance = unresolved_lock(uow, person_id, records)
    latest_level = level_of(latest.level) if latest else None
    level = latest_level
    if lock is not None and (level is None or level < level_of(lock.level)):
        level = level_of(lock.level)
    clearance_at = None
    if lock is None and clearance is not None and latest is not None and latest.level == "urgent":
        # the clearance was recorded for this screen, or covers all its findings
        clearance_at = max(clearance.at, latest.at + dt.timedelta(microseconds=1))
    new_symptoms_since = None
    if latest is not None:
        reported_at = records.new_symptoms_at
        if new_symptoms_reported_at is not None and (reported_at is None or new_symptoms_reported_at >= reported_at):
            reported_at = new_symptoms_reported_at
        if reported_at is not None and reported_at > latest.at:
            new_symptoms_since = reported_at
    gate = screening_gate(
        latest_level=latest_level,
        screened_at=local(latest.at, now) if latest else None,
        now=now,
        clearance_at=local(clearance_at, now) if clearance_at else None,
        new_symptoms_since=local(new_symptoms_since, now) if new_symptoms_since else None,
        thresholds=thresholds(),
    )
    lock_on = local(lock.at, now).date() if lock is not None else None
    latest_on = local(latest.at, now).date() if latest is not None else None
    if lock is not None and latest is not None:
        import dataclasses

        # The domain gate's first reason describes the latest screen's level; the lock replaces it.
        later_on = latest_on if lock.id != latest.id else None
        gate = dataclasses.replace(
            gate, allowed=False, level=level, reminder=NEXT_STEPS[level],
            reasons=(lock_message(lock.level, lock_on, later_on),) + tuple(gate.reasons[1:]),
        )
    return GateInfo(gate=gate, latest_screening=latest, effective_level=level, lock_screening=lock, clearance=clearance,
                    lock_on=lock_on, latest_on=latest_on)


def require_allowed(info: GateInfo) -> None:
    """Raise ProgramLocked with the gate's reasons (the single refusal path)."""
    from backcoach.domain.program import require_program_allowed

    require_program_allowed(info.gate)
    if not info.allowed:  # belt and braces: never continue on a closed gate
        raise ProgramLocked(" ".join(info.reasons) or "Your program is locked.")


def exercise_summary(exercise: Any) -> dict[str, Any]:
    """The parts of a catalog exercise a person needs while training."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        "summary": getattr(exercise, "summary", ""),
        "position": exercise.position,
        "equipment": list(exercise.equipment),
        "per_side": exercise.per_side,
        "cues": list(exercise.cues),
        "faults": [{"id": f.id, "name": f.name, "fix": f.fix} for f in exercise.faults],
        "camera_views": list(getattr(exercise, "camera_views", ())),
        "camera_check": exercise.camera_check,
        "ladder": exercise.ladder,
    }


NO_CAMERA_CHECK = "The camera coach cannot check this exercise: use the cues, and a mirror if you have one."
"""What the web page, the API and the CLI say about an exercise the camera coach cannot check."""


def walking_goal_for(uow: UnitOfWork, person_id: int, now: dt.datetime) -> Any:
    """The person's walking goal today (domain.walking), from the minutes logged with their check-ins."""
    from backcoach.domain.walking import walked_by_day, walking_goal

    tz = now.tzinfo
    entries = [(r.at.astimezone(tz).date(), r.walked_minutes) for r in uow.pain.list_for(person_id)
               if getattr(r, "walked_minutes", None) is not None]
    return walking_goal(walked_by_day(entries), now.date(), thresholds().walking)


def monitoring_pain(uow: UnitOfWork, person_id: int, now: dt.datetime) -> list[Row]:
    """The pain entries the monitoring rules read: the first few of each kind (the baseline)
    and the recent window: the best 7-day mean of the last 28 days (worsening) needs the 28
    days plus a week before them, which also covers usual pain (the week before a session
    logged up to a week late). Reading only these keeps every call fast, however long the
    history grows."""
    t = thresholds().monitoring
    return uow.pain.first_of_each_kind(person_id, t.baseline_entries, since=monitoring_since(now))


def monitoring_pain_and_last_id(uow: UnitOfWork, person_id: int, now: dt.datetime) -> tuple[list[Row], Optional[int]]:
    """`monitoring_pain` and the id of the person's newest pain entry, read together: a use case
    that writes checks before writing that no entry came after what it decided on."""
    t = thresholds().monitoring
    return uow.pain.first_of_each_kind_and_last_id(person_id, t.baseline_entries, monitoring_since(now))


def monitoring_since(now: dt.datetime) -> dt.datetime:
    """Where the monitoring window of `monitoring_pain` starts: it holds every entry from then on."""
    t = thresholds().monitoring
    days = t.worsening_best_window_days + max(t.mean_window_days, 2 * t.usual_pain_window_days)
    return dt.datetime.combine(now.date() - dt.timedelta(days=days), dt.time.min, now.tzinfo)


def pain_entries(records: Sequence[Row], now: Optional[dt.datetime] = None) -> list[Any]:
    """Stored pain records as domain PainEntry values."""
    from backcoach.domain.monitoring import PainEntry

    return [PainEntry(at=local(r.at, now) if now else r.at, nprs=r.nprs, kind=r.kind) for r in records]


def current_gate(uow: UnitOfWork, person_id: int, now: dt.datetime) -> GateInfo:
    """The gate as it stands now (a use case: its own read-only transaction)."""
    now = require_aware(now)
    with uow:
        return gate_for(uow, person_id, now)
