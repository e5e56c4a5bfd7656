"""Use cases around the red-flag screen and the clinician's clearance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from backcoach.domain.errors import BackcoachError
from backcoach.services.access import require_clinician
from backcoach.services.common import GateInfo, gate_for, get_person, require_aware, thresholds
from backcoach.storage import models as m
from backcoach.storage.repositories import Row
from backcoach.storage.unit_of_work import UnitOfWork


def screen_answers(answers: Mapping[str, Any]) -> Any:
    """Parse and screen answers without storing them (raises InvalidAnswers; nothing is guessed)."""
    from backcoach.domain.screening import parse_answers, screen

    return screen(parse_answers(answers), thresholds())


def screening_questions() -> tuple[Any, ...]:
    """The safety-check questions as every surface shows them (time frames from the thresholds file)."""
    from backcoach.domain.screening import questions

    return questions(thresholds())


def stored_result(rec: m.Screening | Row) -> dict[str, Any]:
    """A stored screen's result exactly as it was decided, with the rule version that decided it.

    Old answers are never screened again with newer rules: a version 1 screen stays version 1.
    """
    return {**(rec.result or {}), "rule_version": rec.rule_version if rec.rule_version is not None else 1}


@dataclass(frozen=True)
class ScreeningRecorded:
    """What record_screening stored: the result and the gate it leads to now."""

    screening_id: int
    person_id: int
    at: dt.datetime
    result: Any  # domain.screening.ScreeningResult
    gate: GateInfo

    def to_dict(self) -> dict[str, Any]:
        out = {**self.result.to_dict(), "screening_id": self.screening_id, "person_id": self.person_id,
               "at": self.at.isoformat(), "gate": self.gate.to_dict()}
        return with_standing_lock(out, self.standing_lock())

    def standing_lock(self) -> Optional[dict[str, Any]]:
        """The lock of an earlier urgent or emergency screen that still holds, if any: then
        this answer never reads as "you can start", however reassuring it is."""
        return standing_lock(self.gate, self.screening_id)


def standing_lock(gate: GateInfo, screening_id: int) -> Optional[dict[str, Any]]:
    """The lock of an urgent or emergency screen other than `screening_id` that still holds, if any."""
    lock = gate.lock_dict()
    return lock if lock is not None and lock["screening_id"] != screening_id else None


def with_standing_lock(result: dict[str, Any], lock: Optional[dict[str, Any]]) -> dict[str, Any]:
    """A screen's result as shown while `lock` holds: never "you can start", and the lock's sentence."""
    if lock is not None:
        result.update(program_allowed=False, next_step=lock["message"], lock=lock)
    return result


def record_screening(uow: UnitOfWork, person_id: int, answers: Mapping[str, Any], now: dt.datetime) -> ScreeningRecorded:
    """Screen `answers` and store them with the result and the time; return the result and the new gate.

    A new urgent or emergency finding applies at once: the gate is re-evaluated here.
    """
    now = require_aware(now)
    from backcoach.domain.screening import parse_answers, screen

    parsed = parse_answers(answers)
    result = screen(parsed, thresholds())
    with uow:
        get_person(uow, person_id)
        rec = uow.screenings.add(m.Screening(
            person_id=person_id, at=now, answers=parsed.to_dict(), level=result.level.code, result=result.to_dict(),
            rule_version=result.rule_version,
        ))
        info = gate_for(uow, person_id, now)
        uow.commit()
        return ScreeningRecorded(screening_id=rec.id, person_id=person_id, at=now, result=result, gate=info)


class ClearanceRefused(BackcoachError):
    """A clearance cannot be recorded now; the message says why and what to do."""


@dataclass(frozen=True)
class ClearanceRecorded:
    """A recorded clearance and the gate after it."""

    clearance_id: int
    person_id: int
    screening_id: int
    by_name: str
    at: dt.datetime
    gate: GateInfo
    ruled_out: str = ""
    seen_where: str = ""
    lifted_screening_id: Optional[int] = None  # the urgent/emergency screen whose lock this lifted

    def to_dict(self) -> dict[str, Any]:
        return {"clearance_id": self.clearance_id, "person_id": self.person_id, "screening_id": self.screening_id,
                "by": self.by_name, "at": self.at.isoformat(), "ruled_out": self.ruled_out,
                "seen_where": self.seen_where, "lifted_screening_id": self.lifted_screening_id,
                "gate": self.gate.to_dict()}




def record_clearance(
    uow: UnitOfWork,
    person_id: int,
    by_name: str,
    note: str,
    now: dt.datetime,
    by_user_id: Optional[int] = None,
    ruled_out: str = "",
    seen_where: str = "",
) -> ClearanceRecorded:
    """Record that a clinician assessed the person after an urgent or emergency screen,
    tied to the latest screen; it lifts the standing lock.

    Conservative by design:
    - only when the latest screen, or an earlier one not yet cleared, was urgent or emergency;
    - never against an emergency screen itself: after emergency care the person answers the
      questions again, and only if that new screen is below emergency can the clinician
      record the assessment (tied to the new screen; it lifts the emergency lock too);
    - the clinician's name, what was ruled out, where the person was seen and a note are
      required and kept; with `by_user_id` the account must be a clinician (or admin)
      assigned to this person.
    """
    now = require_aware(now)
    by_name = (by_name or "").strip()
    note = (note or "").strip()
    ruled_out = (ruled_out or "").strip()
    seen_where = (seen_where or "").strip()
    if not by_name:
        raise ClearanceRefused("Give the name of the clinician who assessed the person.")
    missing = [label for label, value in (("what was ruled out (for example: cauda equina syndrome, infection)",
                                           ruled_out),
                                          ("where the person was seen (for example: emergency department, clinic)",
                                           seen_where),
                                          ("a note of what was concluded", note)) if not value]
    if missing:
        raise ClearanceRefused("To lift the pause, record " + "; ".join(missing) + ".")
    if len(seen_where) > 300:
        raise ClearanceRefused("Where the person was seen: 300 characters at most.")
    with uow:
        get_person(uow, person_id)
        if by_user_id is not None:
            require_clinician(uow, by_user_id, person_id)
        latest = uow.screenings.latest(person_id)
        if latest is None:
            raise ClearanceRefused("There is no screen to clear yet: answer the screening questions first (backcoach screen).")
        if latest.level == "emergency":
            raise ClearanceRefused(
                f"The latest safety screen ({latest.at.date().isoformat()}) still reports signs that need emergency "
                "care, so the assessment cannot be recorded against it. Once the person has been assessed, they "
                "answer the safety questions again (backcoach screen, or the safety check page); if that new screen "
                "finds no emergency sign, record the assessment then: it lifts the pause."
            )
        info = gate_for(uow, person_id, now)
        if info.lock_screening is None:
            raise ClearanceRefused(
                f"Nothing to clear: the latest screen ({latest.level.replace('_', ' ')}) does not pause the program."
            )
        if latest.at < now - dt.timedelta(days=thresholds().monitoring.rescreen_days):  # the weekly re-screen
            raise ClearanceRefused(
                "The latest screen is more than a week old. Answer the screening questions again first, "
                "then record the clearance against the new screen."
            )
        rec = uow.clearances.add(m.Clearance(
            person_id=person_id, at=now, by_user_id=by_user_id, by_name=by_name, note=note, screening_id=latest.id,
            ruled_out=ruled_out, seen_where=seen_where,
        ))
        uow.audit.add(m.AuditEntry(at=now, actor_user_id=by_user_id, person_id=person_id, action="clearance.recorded",
                                   detail={"by_name": by_name, "note": note, "ruled_out": ruled_out,
                                           "seen_where": seen_where, "screening_id": latest.id,
                                           "locked_by_screening_id": info.lock_screening.id,
                                           "lock_level": info.lock_screening.level}))
        after = gate_for(uow, person_id, now)
        uow.commit()
        return ClearanceRecorded(clearance_id=rec.id, person_id=person_id, screening_id=latest.id,
                                 by_name=by_name, at=now, gate=after, ruled_out=ruled_out, seen_where=seen_where,
                                 lifted_screening_id=info.lock_screening.id)


def screening_for(uow: UnitOfWork, person_id: int, screening_id: int, now: dt.datetime) -> Optional[dict[str, Any]]:
    """One of the person's screens as it was decided (with its answers), or None when it is not
    theirs. While an earlier urgent or emergency screen still holds the program, the answer says
    so (`lock`, and never "you can start")."""
    now = require_aware(now)
    with uow:
        rec = uow.screenings.get(screening_id)
        if rec is None or rec.person_id != person_id:
            return None
        out = {"id": rec.id, "at": rec.at.isoformat(), "level": rec.level, "answers": rec.answers,
               **stored_result(rec)}
        return with_standing_lock(out, standing_lock(gate_for(uow, person_id, now), rec.id))


def screening_history(uow: UnitOfWork, person_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The person's screens, newest first, each as it was decided."""
    with uow:
        return [{"id": s.id, "at": s.at.isoformat(), "level": s.level, "reasons": (s.result or {}).get("reasons", []),
                 "next_step": (s.result or {}).get("next_step"), "answers": s.answers,
                 "rule_version": stored_result(s)["rule_version"]}
                for s in uow.screenings.list_for(person_id, limit=limit)]


@dataclass(frozen=True)
class ScreeningLookedUp:
    """A stored screen with what the person's result page says around it: the lock that still
    holds the program (GateInfo.lock_dict, or None) and whether a program is running."""

    record: m.Screening
    lock: Optional[dict[str, Any]]
    has_program: bool


def screening_looked_up(uow: UnitOfWork, person_id: int, screening_id: int,
                        now: dt.datetime) -> Optional[ScreeningLookedUp]:
    """One of the person's screens with the gate and the program as they stand now, read in one
    transaction; None when the screen is not theirs."""
    now = require_aware(now)
    with uow:
        rec = uow.screenings.get(screening_id)
        if rec is None or rec.person_id != person_id:
            return None
        return ScreeningLookedUp(record=rec, lock=gate_for(uow, person_id, now).lock_dict(),
                                 has_program=uow.programs.active_row(person_id) is not None)
