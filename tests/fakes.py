"""An in-memory unit of work for fast service tests (no database at all); test code only.

It behaves like the SQL one where the services can tell: ids are given on `add`,
queries see what was added in the same unit of work, `commit()` makes it durable,
leaving without commit throws new records away, and unique values (idempotency
key, e-mail, invitation code, clinician/person pair) raise `Conflict` on commit.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Callable, Iterable, Optional, Sequence

from backcoach.storage import models as m
from backcoach.storage import repositories as r
from backcoach.storage.database import CONFLICT_MESSAGE, Conflict
from backcoach.storage.unit_of_work import UnitOfWork


def _apply_defaults(record: Any) -> None:
    for column in record.__table__.columns:
        if getattr(record, column.key, None) is None and column.default is not None:
            default = column.default
            value = default.arg(None) if default.is_callable else default.arg
            setattr(record, column.key, value)


class _Store:
    """The committed records of one fake database, shared by its units of work."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, Any]] = {}
        self.ids = itertools.count(1)

    def table(self, name: str) -> dict[int, Any]:
        return self.tables.setdefault(name, {})


UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "session_logs": (("idempotency_key",),),
    "users": (("email",),),
    "invitations": (("code",),),
    "clinician_assignments": (("clinician_user_id", "person_id"),),
}


class _Mem:
    model: Any

    def __init__(self, uow: "FakeUnitOfWork"):
        self.uow = uow

    @property
    def _name(self) -> str:
        return self.model.__tablename__

    def add(self, record: Any) -> Any:
        _apply_defaults(record)
        if getattr(record, "id", None) is None:
            record.id = next(self.uow.store.ids)
        self.uow._check_unique(record)
        self.uow.pending.append(record)
        return record

    def get(self, record_id: int) -> Any:
        for rec in self._records():
            if rec.id == record_id:
                return rec
        return None

    def _records(self) -> list[Any]:
        committed = [x for x in self.uow.store.table(self._name).values() if x not in self.uow.deleted]
        staged = [x for x in self.uow.pending if isinstance(x, self.model)]
        return committed + staged

    def _where(self, pred: Callable[[Any], bool]) -> list[Any]:
        return [x for x in self._records() if pred(x)]


def _newest(records: Iterable[Any], key: str = "at", limit: Optional[int] = None) -> list[Any]:
    out = sorted(records, key=lambda x: (getattr(x, key), x.id), reverse=True)
    return out if limit is None else out[:limit]


def _first(records: list[Any]) -> Any:
    return records[0] if records else None


class MemPeopleRepository(_Mem, r.PeopleRepository):
    def list(self) -> list[m.Person]:
        return sorted(self._records(), key=lambda x: x.id)

    def with_program_and_gate(self, person_id: int, session_key: Optional[str] = None) -> r.PersonRecords:
        person = self.get(person_id)
        if person is None:
            return r.PersonRecords(None, None, r.GateRecords([], None, None))
        used = session_key is not None and self.uow.sessions.get_by_idempotency_key(session_key) is not None
        return r.PersonRecords(person, self.uow.programs.active_row(person_id), self.uow.screenings.for_gate(person_id),
                               used)


class MemScreeningRepository(_Mem, r.ScreeningRepository):
    def latest(self, person_id: int) -> Optional[m.Screening]:
        return _first(self.list_for(person_id))

    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[m.Screening]:
        return _newest(self._where(lambda x: x.person_id == person_id), limit=limit)

    def for_gate(self, person_id: int) -> r.GateRecords:
        reported = self.uow.pain.latest_new_symptoms(person_id)
        return r.GateRecords(self.list_for(person_id), self.uow.clearances.latest(person_id),
                             None if reported is None else reported.at)


class MemAssessmentRepository(_Mem, r.AssessmentRepository):
    def latest(self, person_id: int) -> Optional[m.Assessment]:
        return _first(self.list_for(person_id))

    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[m.Assessment]:
        return _newest(self._where(lambda x: x.person_id == person_id), limit=limit)


class MemProgramRepository(_Mem, r.ProgramRepository):
    def active_for(self, person_id: int) -> Optional[m.ProgramRecord]:
        return _first([p for p in self.list_for(person_id) if p.active])

    def list_for(self, person_id: int) -> list[m.ProgramRecord]:
        return _newest(self._where(lambda x: x.person_id == person_id), key="created_at")

    def update_if_unchanged(self, record_id: int, version: int, *, program: dict[str, Any], phase: str,
                            updated_at: dt.datetime, newest_pain: Optional[tuple[int, Optional[int]]] = None,
                            newest_screening: Optional[tuple[int, Optional[int]]] = None) -> bool:
        rec = self.get(record_id)
        if rec is None or (rec.version or 1) != version:
            return False
        if newest_pain is not None and self.uow.pain.last_id(newest_pain[0]) != newest_pain[1]:
            return False
        if newest_screening is not None and max(
                (s.id for s in self.uow.screenings.list_for(newest_screening[0])), default=None) != newest_screening[1]:
            return False
        rec.program, rec.phase, rec.updated_at, rec.version = program, phase, updated_at, version + 1
        return True


class MemSessionLogRepository(_Mem, r.SessionLogRepository):
    def get_by_idempotency_key(self, key: str) -> Optional[m.SessionLog]:
        return _first(self._where(lambda x: x.idempotency_key == key))

    def list_for(self, person_id: int, since: Optional[dt.date] = None) -> list[m.SessionLog]:
        found = self._where(lambda x: x.person_id == person_id and (since is None or x.performed_on >= since))
        return sorted(found, key=lambda x: (x.performed_on, x.at, x.id))

    def dates_for(self, person_id: int, since: Optional[dt.date] = None) -> list[dt.date]:
        return [s.performed_on for s in self.list_for(person_id, since=since)]

    def recent_entries(self, person_id: int, since: dt.date, limit: Optional[int]) -> list[tuple[dt.date, list[Any]]]:
        newest = list(reversed(self.list_for(person_id, since=since)))
        return [(s.performed_on, s.entries) for s in (newest if limit is None else newest[:limit])]


class MemPainRepository(_Mem, r.PainRepository):
    def list_for(self, person_id: int, since: Optional[dt.datetime] = None,
                 kinds: Optional[Sequence[str]] = None) -> list[m.PainEntryRecord]:
        found = self._where(lambda x: x.person_id == person_id and (since is None or x.at >= since)
                            and (kinds is None or x.kind in kinds))
        return sorted(found, key=lambda x: (x.at, x.id))

    def first_of_each_kind(self, person_id: int, n: int, since: Optional[dt.datetime] = None) -> list[m.PainEntryRecord]:
        found: list[m.PainEntryRecord] = []
        every = self.list_for(person_id)
        for kind in dict.fromkeys(x.kind for x in every):
            found += [x for x in every if x.kind == kind][:n]
        if since is not None:
            found += [x for x in every if x.at >= since and x not in found]
        return sorted(found, key=lambda x: (x.at, x.id))

    def latest_new_symptoms(self, person_id: int) -> Optional[m.PainEntryRecord]:
        return _first(_newest(self._where(lambda x: x.person_id == person_id and x.new_symptoms)))

    def last_id(self, person_id: int) -> Optional[int]:
        return max((x.id for x in self._where(lambda x: x.person_id == person_id)), default=None)


class MemDecisionRepository(_Mem, r.DecisionRepository):
    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[m.DecisionRecord]:
        return _newest(self._where(lambda x: x.person_id == person_id), limit=limit)


class MemClearanceRepository(_Mem, r.ClearanceRepository):
    def latest(self, person_id: int) -> Optional[m.Clearance]:
        return _first(self.list_for(person_id))

    def list_for(self, person_id: int) -> list[m.Clearance]:
        return _newest(self._where(lambda x: x.person_id == person_id))


class MemOutcomeRepository(_Mem, r.OutcomeRepository):
    def list_for(self, person_id: int, instrument: Optional[str] = None) -> list[m.OutcomeResponse]:
        rows = self._where(lambda x: x.person_id == person_id and instrument in (None, x.instrument))
        return sorted(rows, key=lambda x: (x.at, x.id))


class MemUserRepository(_Mem, r.UserRepository):
    def get_by_email(self, email: str) -> Optional[m.User]:
        wanted = email.strip().lower()
        return _first(self._where(lambda x: x.email == wanted))

    def get_by_person(self, person_id: int) -> Optional[m.User]:
        return _first(sorted(self._where(lambda x: x.person_id == person_id), key=lambda x: x.id))

    def list(self, role: Optional[str] = None) -> list[m.User]:
        return sorted(self._where(lambda x: role is None or x.role == role), key=lambda x: x.id)


class MemAssignmentRepository(_Mem, r.AssignmentRepository):
    def _pair(self, clinician_user_id: int, person_id: int) -> list[m.ClinicianAssignment]:
        return self._where(lambda x: x.clinician_user_id == clinician_user_id and x.person_id == person_id)

    def exists(self, clinician_user_id: int, person_id: int) -> bool:
        return bool(self._pair(clinician_user_id, person_id))

    def person_ids_for(self, clinician_user_id: int) -> list[int]:
        return sorted(x.person_id for x in self._where(lambda x: x.clinician_user_id == clinician_user_id))

    def clinician_ids_for(self, person_id: int) -> list[int]:
        return sorted(x.clinician_user_id for x in self._where(lambda x: x.person_id == person_id))

    def remove(self, clinician_user_id: int, person_id: int) -> bool:
        found = self._pair(clinician_user_id, person_id)
        for rec in found:
            if rec in self.uow.pending:
                self.uow.pending.remove(rec)
            else:
                self.uow.deleted.append(rec)
        return bool(found)


class MemInvitationRepository(_Mem, r.InvitationRepository):
    def get_by_code(self, code: str) -> Optional[m.Invitation]:
        return _first(self._where(lambda x: x.code == code))

    def list_for_clinician(self, clinician_user_id: int, limit: Optional[int] = None) -> list[m.Invitation]:
        return _newest(self._where(lambda x: x.clinician_user_id == clinician_user_id), key="created_at", limit=limit)


class MemAuditRepository(_Mem, r.AuditRepository):
    def list(
        self, person_id: Optional[int] = None, actor_user_id: Optional[int] = None, limit: Optional[int] = 100
    ) -> list[m.AuditEntry]:
        found = self._where(
            lambda x: (person_id is None or x.person_id == person_id)
            and (actor_user_id is None or x.actor_user_id == actor_user_id)
        )
        return _newest(found, limit=limit)

    def with_actor_emails(self, about: Optional[Sequence[Optional[int]]] = None, or_by: Optional[int] = None,
                          limit: Optional[int] = 200) -> list[tuple[m.AuditEntry, Optional[str]]]:
        found = self._where(lambda x: about is None or x.person_id in about or (or_by is not None and x.actor_user_id == or_by))
        actor = self.uow.users.get
        return [(e, getattr(actor(e.actor_user_id), "email", None) if e.actor_user_id else None)
                for e in _newest(found, limit=limit)]


class FakeUnitOfWork(UnitOfWork):
    """In-memory unit of work. Share one `FakeUnitOfWork` between calls in a test:
    each `with uow:` is a transaction over the same fake database."""

    def __init__(self) -> None:
        self.store = _Store()
        self.pending: list[Any] = []
        self.deleted: list[Any] = []
        self.committed = 0
        self.people = MemPeopleRepository(self)
        self.screenings = MemScreeningRepository(self)
        self.assessments = MemAssessmentRepository(self)
        self.programs = MemProgramRepository(self)
        self.sessions = MemSessionLogRepository(self)
        self.pain = MemPainRepository(self)
        self.decisions = MemDecisionRepository(self)
        self.clearances = MemClearanceRepository(self)
        self.outcomes = MemOutcomeRepository(self)
        self.users = MemUserRepository(self)
        self.assignments = MemAssignmentRepository(self)
        self.invitations = MemInvitationRepository(self)
        self.audit = MemAuditRepository(self)

    def __enter__(self) -> "FakeUnitOfWork":
        self.pending, self.deleted = [], []
        return self

    def add_all(self, records: Sequence[Any], ids: bool = True) -> list[Any]:
        for record in records:
            _apply_defaults(record)
            if getattr(record, "id", None) is None:
                record.id = next(self.store.ids)
            self._check_unique(record)
            self.pending.append(record)
        return list(records)

    def commit(self) -> None:
        for rec in self.pending:
            self._check_unique(rec)
        for rec in self.pending:
            self.store.table(rec.__tablename__)[rec.id] = rec
        for rec in self.deleted:
            self.store.table(rec.__tablename__).pop(rec.id, None)
        self.pending, self.deleted = [], []
        self.committed += 1

    def rollback(self) -> None:
        self.pending, self.deleted = [], []

    def _check_unique(self, rec: Any) -> None:
        for cols in UNIQUE.get(rec.__tablename__, ()):
            values = tuple(getattr(rec, c) for c in cols)
            if any(v is None for v in values):
                continue
            others = list(self.store.table(rec.__tablename__).values()) + [p for p in self.pending if p is not rec]
            for other in others:
                if other.__tablename__ == rec.__tablename__ and other not in self.deleted and \
                        tuple(getattr(other, c) for c in cols) == values:
                    raise Conflict(CONFLICT_MESSAGE)
