"""Repositories: the small interface the services use to reach stored records.

Each abstract repository below has two implementations: `Sql*` here (SQLAlchemy,
used by the CLI and the web app) and the in-memory ones in tests/fakes.py (used
by the fast service tests). Records are the mapped classes in `storage.models`.

Reads that only look (time series, decisions, the gate's screenings and clearance, a session found
by its idempotency key) return `Row`s: read-only rows with the records' attribute names, typed as
such. SQLAlchemy Core rows cost about half as much CPU as ORM objects, and these reads run on
every request. Fetch a record with `get` (or `latest`, `active_for`, `list` ...) to change it.

Ordering conventions: `list_for(...)` on time series (sessions, pain) is oldest
first; `latest(...)`, decisions and the audit log are newest first. Ties on time
are broken by id, so the order is stable.
"""

from __future__ import annotations

import abc
import datetime as dt
from typing import Any, Generic, NamedTuple, Optional, Sequence, TypeVar

import sqlalchemy
from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine.result import result_tuple
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backcoach.storage import models as m
from backcoach.storage.database import CONFLICT_MESSAGE, Conflict

R = TypeVar("R", bound=m.Base)

Row = sqlalchemy.Row[Any]
"""A read-only row of one kind of record: its columns by the record's attribute names (the
in-memory fake of the tests hands back the records themselves, which read the same)."""


class GateRecords(NamedTuple):
    """What the screening gate reads (`ScreeningRepository.for_gate`)."""

    screenings: list[Row]  # the person's screenings, newest first
    clearance: Optional[Row]  # the latest clearance
    new_symptoms_at: Optional[dt.datetime]  # when the newest check-in that reported new symptoms was made


class PersonRecords(NamedTuple):
    """What a use case about one person reads first (`PeopleRepository.with_program_and_gate`)."""

    person: Optional[Row]  # None: there is no such person
    program: Optional[Row]  # the person's active program (the newest, should there be several), or None
    gate: GateRecords
    key_used: bool = False  # a session log is stored under the idempotency key asked about


class Repository(abc.ABC, Generic[R]):
    """add/get for one kind of record."""

    model: type[R]

    @abc.abstractmethod
    def add(self, record: R) -> R:
        """Stage `record` for saving; it gets its id at once. A clash with a unique
        value (idempotency key, e-mail, code, pair) raises `Conflict` here."""

    @abc.abstractmethod
    def get(self, record_id: int) -> Optional[R]: ...

    def add_all(self, records: Sequence[R]) -> list[R]:
        """Stage several records at once (one round trip where the database allows)."""
        return [self.add(record) for record in records]


class PeopleRepository(Repository[m.Person]):
    model = m.Person

    @abc.abstractmethod
    def list(self) -> list[m.Person]:
        """Everyone, by id."""

    def row(self, person_id: int) -> Optional[Row]:
        """The person as a read-only row (to look at; `get` the record to change it)."""
        return self.get(person_id)

    @abc.abstractmethod
    def with_program_and_gate(self, person_id: int, session_key: Optional[str] = None) -> PersonRecords:
        """The person and their active program (`ProgramRepository.active_row`) as read-only rows,
        what the gate reads (`ScreeningRepository.for_gate`), and, with `session_key`, whether a
        session log is stored under that idempotency key (`key_used`; always False when there is
        no such person: ask `get_by_idempotency_key`)."""

    def display_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        """id -> display name of those of `person_ids` that exist."""
        return {pid: p.display_name for pid in person_ids if (p := self.get(pid)) is not None}


class ScreeningRepository(Repository[m.Screening]):
    model = m.Screening

    @abc.abstractmethod
    def latest(self, person_id: int) -> Optional[m.Screening]: ...

    @abc.abstractmethod
    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[Row]:
        """Newest first."""

    @abc.abstractmethod
    def for_gate(self, person_id: int) -> GateRecords:
        """The person's screenings (`list_for`), their latest clearance (`ClearanceRepository.latest`)
        and the time of their latest check-in reporting new symptoms (`PainRepository.latest_new_symptoms`)."""


class AssessmentRepository(Repository[m.Assessment]):
    model = m.Assessment

    @abc.abstractmethod
    def latest(self, person_id: int) -> Optional[m.Assessment]: ...

    @abc.abstractmethod
    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[m.Assessment]:
        """Newest first."""


class ProgramRepository(Repository[m.ProgramRecord]):
    model = m.ProgramRecord

    @abc.abstractmethod
    def active_for(self, person_id: int) -> Optional[m.ProgramRecord]:
        """The person's active program (the newest, should there be several)."""

    def active_row(self, person_id: int) -> Optional[Row]:
        """`active_for` as a read-only row (to look at; `active_for` to change it)."""
        return self.active_for(person_id)

    @abc.abstractmethod
    def list_for(self, person_id: int) -> list[m.ProgramRecord]:
        """Newest first."""

    @abc.abstractmethod
    def update_if_unchanged(self, record_id: int, version: int, *, program: dict[str, Any], phase: str,
                            updated_at: dt.datetime, newest_pain: Optional[tuple[int, Optional[int]]] = None,
                            newest_screening: Optional[tuple[int, Optional[int]]] = None) -> bool:
        """Write the program back only if it is still at `version` (and bump the version), and,
        with `newest_pain` = (person id, pain entry id), only if that person's newest pain entry
        is still that one (None: still none); likewise `newest_screening` for their screenings
        (a screen recorded since the gate was read must be seen by the gate first).

        False means someone changed it since it was read: nothing was written.
        """


class SessionLogRepository(Repository[m.SessionLog]):
    model = m.SessionLog

    @abc.abstractmethod
    def get_by_idempotency_key(self, key: str) -> Optional[Row]: ...

    @abc.abstractmethod
    def list_for(self, person_id: int, since: Optional[dt.date] = None) -> list[Row]:
        """Oldest first; `since` is inclusive (performed_on >= since)."""

    @abc.abstractmethod
    def dates_for(self, person_id: int, since: Optional[dt.date] = None) -> list[dt.date]:
        """The day of every session (on or after `since`), oldest first (cheap: no entries are read)."""

    @abc.abstractmethod
    def recent_entries(self, person_id: int, since: dt.date, limit: Optional[int]) -> list[tuple[dt.date, list[Any]]]:
        """(performed_on, entries) of the newest `limit` sessions on or after `since`, newest
        first: what the progression rules read, without the decisions."""

    def recent_entries_and_dates(self, person_id: int, since: dt.date,
                                 limit: Optional[int]) -> tuple[list[tuple[dt.date, list[Any]]], list[dt.date]]:
        """`recent_entries(person_id, since, limit)` and `dates_for(person_id)` together (the SQL
        repository reads them in one statement)."""
        return self.recent_entries(person_id, since, limit), self.dates_for(person_id)


class PainRepository(Repository[m.PainEntryRecord]):
    model = m.PainEntryRecord

    @abc.abstractmethod
    def list_for(self, person_id: int, since: Optional[dt.datetime] = None,
                 kinds: Optional[Sequence[str]] = None) -> list[Row]:
        """Oldest first; `since` is inclusive; `kinds` keeps only those kinds."""

    @abc.abstractmethod
    def first_of_each_kind(self, person_id: int, n: int, since: Optional[dt.datetime] = None) -> list[Row]:
        """The first `n` entries of each kind (what a baseline is made of) and, with `since`, every
        entry from then on too (what the monitoring rules read, in one query); oldest first."""

    def first_of_each_kind_and_last_id(self, person_id: int, n: int,
                                       since: dt.datetime) -> tuple[list[Row], Optional[int]]:
        """`first_of_each_kind(person_id, n, since)` and `last_id(person_id)` together (the SQL
        repository reads them in one statement, so the id is the newest of what was read)."""
        return self.first_of_each_kind(person_id, n, since=since), self.last_id(person_id)

    @abc.abstractmethod
    def latest_new_symptoms(self, person_id: int) -> Optional[Row]:
        """The most recent check-in that reported new symptoms."""

    @abc.abstractmethod
    def last_id(self, person_id: int) -> Optional[int]:
        """The id of the person's newest stored entry (ids only grow): a cheap "anything new?"."""

    def add_if_last_id(self, record: m.PainEntryRecord, last_id: Optional[int]) -> bool:
        """Save `record` only if its person's newest stored entry is still `last_id` (None: still
        none); it gets its id. False: another entry came meanwhile and nothing was saved."""
        if self.last_id(record.person_id) != last_id:
            return False
        self.add(record)
        return True


class DecisionRepository(Repository[m.DecisionRecord]):
    model = m.DecisionRecord

    @abc.abstractmethod
    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[Row]:
        """Newest first."""

    def recent_actions(self, person_id: int, limit: int) -> list[tuple[str, str]]:
        """(source, action) of the newest `limit` decisions, newest first (no JSON is read)."""
        return [(d.source, d.action) for d in self.list_for(person_id, limit=limit)]

    def recent_marks(self, person_id: int, limit: int) -> list[tuple[dt.datetime, str, str]]:
        """(at, exercise_id, action) of the newest `limit` decisions, newest first (no JSON is read)."""
        return [(d.at, d.exercise_id, d.action) for d in self.list_for(person_id, limit=limit)]

    def marks_and_newest(self, person_id: int, marks: int,
                         newest: int) -> tuple[list[tuple[dt.datetime, str, str]], list[Row]]:
        """`recent_marks(person_id, marks)` and `list_for(person_id, limit=newest)` together (the
        SQL repository reads them in one statement)."""
        return self.recent_marks(person_id, marks), self.list_for(person_id, limit=newest)


class ClearanceRepository(Repository[m.Clearance]):
    model = m.Clearance

    @abc.abstractmethod
    def latest(self, person_id: int) -> Optional[Row]: ...

    @abc.abstractmethod
    def list_for(self, person_id: int) -> list[m.Clearance]:
        """Newest first."""


class OutcomeRepository(Repository[m.OutcomeResponse]):
    model = m.OutcomeResponse

    @abc.abstractmethod
    def list_for(self, person_id: int, instrument: Optional[str] = None) -> list[m.OutcomeResponse]:
        """Oldest first (a trend reads forward)."""


class UserRepository(Repository[m.User]):
    model = m.User

    @abc.abstractmethod
    def get_by_email(self, email: str) -> Optional[m.User]:
        """Case-insensitive (emails are stored lower-cased by the services)."""

    @abc.abstractmethod
    def get_by_person(self, person_id: int) -> Optional[m.User]: ...

    @abc.abstractmethod
    def list(self, role: Optional[str] = None) -> list[m.User]:
        """By id, optionally only one role."""

    def account(self, user_id: int) -> Optional[Row]:
        """The active account with this id as a read-only row of the columns a request needs
        (id, email, role, person_id, display_name, approval), or None."""
        user = self.get(user_id)
        return user if user is not None and user.active else None

    def names_by_email(self, emails: Sequence[str]) -> dict[str, str]:
        """e-mail -> the name the account goes by (its e-mail when it has none), for those that exist."""
        return {e: (u.display_name or e) for e in emails if (u := self.get_by_email(e)) is not None}

    def person_account_emails(self) -> list[str]:
        """The e-mail addresses of every person's account (not clinicians', not administrators')."""
        return [u.email for u in self.list() if u.person_id is not None]

    def due_for_deletion(self, cutoff: dt.datetime) -> list[int]:
        """The ids of the accounts whose deletion was asked for at or before `cutoff`."""
        return [u.id for u in self.list() if u.deletion_requested_at is not None and u.deletion_requested_at <= cutoff]


class AssignmentRepository(Repository[m.ClinicianAssignment]):
    model = m.ClinicianAssignment

    @abc.abstractmethod
    def exists(self, clinician_user_id: int, person_id: int) -> bool: ...

    @abc.abstractmethod
    def person_ids_for(self, clinician_user_id: int) -> list[int]: ...

    @abc.abstractmethod
    def clinician_ids_for(self, person_id: int) -> list[int]: ...

    @abc.abstractmethod
    def remove(self, clinician_user_id: int, person_id: int) -> bool:
        """True if an assignment was removed."""


class InvitationRepository(Repository[m.Invitation]):
    model = m.Invitation

    @abc.abstractmethod
    def get_by_code(self, code: str) -> Optional[m.Invitation]: ...

    @abc.abstractmethod
    def list_for_clinician(self, clinician_user_id: int, limit: Optional[int] = None) -> list[m.Invitation]:
        """Newest first (all of them, or the newest `limit`)."""


class AuditRepository(Repository[m.AuditEntry]):
    model = m.AuditEntry

    @abc.abstractmethod
    def list(
        self, person_id: Optional[int] = None, actor_user_id: Optional[int] = None, limit: Optional[int] = 100
    ) -> list[m.AuditEntry]:
        """Newest first."""

    @abc.abstractmethod
    def with_actor_emails(self, about: Optional[Sequence[Optional[int]]] = None, or_by: Optional[int] = None,
                          limit: Optional[int] = 200) -> list[tuple[m.AuditEntry, Optional[str]]]:
        """(entry, the actor's e-mail) newest first: every entry, or those about the people in
        `about` (and, with `or_by`, those made by that account)."""


class LoginAttemptRepository(Repository[m.LoginAttempt]):
    """Failed log-ins (web): counted per key (account, address, both) within a window."""

    model = m.LoginAttempt

    @abc.abstractmethod
    def failures(self, keys: Sequence[str], since: dt.datetime) -> dict[str, tuple[int, dt.datetime]]:
        """For each of `keys` with failures at or after `since`: (how many, the newest one's time)."""

    @abc.abstractmethod
    def forget(self, key: str) -> None:
        """Drop the failures counted under `key` (a log-in that worked)."""

    @abc.abstractmethod
    def purge_before(self, cutoff: dt.datetime) -> None:
        """Drop failures older than `cutoff` (they no longer count)."""


class WebSessionRepository(Repository[m.WebSession]):
    """Live log-ins (web cookies and API tokens), by the SHA-256 of the id they carry."""

    model = m.WebSession

    @abc.abstractmethod
    def account_of(self, user_id: int, key: str) -> Optional[Row]:
        """The active account (the columns of `UserRepository.account`) of a live log-in, in one
        statement; None when the log-in ended or the account is gone or deactivated."""

    @abc.abstractmethod
    def end(self, key: str) -> None: ...

    @abc.abstractmethod
    def end_all(self, user_id: int) -> int:
        """End every log-in of the account; returns how many there were."""

    @abc.abstractmethod
    def purge_expired(self, now: dt.datetime) -> None: ...


class IdempotencyRepository(Repository[m.IdempotencyRecord]):
    """The answers of writes made once per (account, key) (web/idempotency.py)."""

    model = m.IdempotencyRecord

    @abc.abstractmethod
    def find(self, account_id: int, key: str) -> Optional[Row]:
        """The stored answer of this account's key, if any."""

    @abc.abstractmethod
    def purge_before(self, cutoff: dt.datetime) -> int:
        """Drop records made before `cutoff`; returns how many."""


class VideoRepository(Repository[m.VideoAnalysis]):
    """Uploaded videos and their analysis jobs, with each repetition's picture."""

    model = m.VideoAnalysis

    @abc.abstractmethod
    def delete(self, record: m.VideoAnalysis) -> None: ...

    @abc.abstractmethod
    def stalled(self, running_seen_before: dt.datetime, queued_seen_before: dt.datetime,
                video_id: Optional[int] = None) -> list[m.VideoAnalysis]:
        """The jobs (or the one job) with no sign of life (their heartbeat, else their creation)
        since those times: running ones and queued ones."""

    @abc.abstractmethod
    def add_keyframes(self, frames: Sequence[m.VideoKeyframe]) -> None: ...

    @abc.abstractmethod
    def keyframes_of(self, video_id: int) -> list[Row]:
        """(rep_index, t_s, width, height) of the video's pictures, by repetition (no image bytes)."""

    @abc.abstractmethod
    def keyframe(self, video_id: int, rep_index: int) -> Optional[m.VideoKeyframe]: ...


class PersonalDataRepository(abc.ABC):
    """Everything stored about one account and its person, across every table (found through
    the foreign keys to `users` and `people`, so a table added later is covered too)."""

    @abc.abstractmethod
    def rows_about(self, user_id: int, person_id: Optional[int], skip: Sequence[str] = ()) -> dict[str, list[dict[str, Any]]]:
        """Table name -> the rows (as plain dicts) that are the account's or the person's, or refer to them."""

    @abc.abstractmethod
    def erase(self, user_id: int, person_id: Optional[int]) -> list[str]:
        """Delete the account, its person and every row that refers to them (a nullable SET NULL
        reference is cleared instead), and strip them from the audit log; returns the files the
        deleted rows kept on disk (for the caller to remove after the commit)."""


# --------------------------------------------------------------------------- SQLAlchemy


class _Sql:
    model: Any

    def __init__(self, session: Session):
        self.session = session

    def add(self, record: Any) -> Any:
        self.session.add(record)
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(CONFLICT_MESSAGE) from exc
        return record

    def add_all(self, records: Sequence[Any]) -> list[Any]:
        self.session.add_all(records)
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(CONFLICT_MESSAGE) from exc
        return list(records)

    def get(self, record_id: int) -> Any:
        return self.session.get(self.model, record_id)

    def _all(self, stmt: Any, limit: Optional[int] = None) -> list[Any]:
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(self.session.scalars(stmt))

    def _first(self, stmt: Any) -> Any:
        return self.session.scalars(stmt.limit(1)).first()

    def _core(self, stmt: Any, params: Any = None) -> Any:
        """Run a prebuilt statement on the unit of work's connection (in its transaction) rather
        than through `Session.execute`: the rows come back as they are, without the ORM's
        per-statement work (compile-state set-up, result loading). Pending changes are flushed
        first, as the session's autoflush would, so a read sees this unit of work's writes.

        What it buys (callgrind over 200 requests of bench_web's mix called in process, the method
        of benchmarks/bench_web_cpu.py, 2026-11-29): 15.6 M -> 13.8 M instructions per request; one such read costs about a third of
        the same read through the session (93 against 273 us of CPU, loaded 2-core machine), and
        a session log runs about fifteen of them."""
        session = self.session
        session.flush()
        return session.connection().execute(stmt, params)

    def _rows(self, stmt: Any, params: dict[str, Any]) -> list[Any]:
        """Read-only rows (attribute access by column name) of a prebuilt select."""
        return list(self._core(stmt, params))

    def _rows_up_to(self, key: str, build: Any, params: dict[str, Any], limit: Optional[int]) -> list[Any]:
        """`_rows` of the select that `build()` makes (built once), all of them or the first `limit`
        (a bound parameter, so one statement serves every limit)."""
        stmt = _cached((key, limit is None), lambda: build() if limit is None else build().limit(bindparam("limit")))
        return self._rows(stmt, params if limit is None else {**params, "limit": limit})


def insert_values(record: Any, columns: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """The values of a plain INSERT of `record`: its `columns` (key, Python default), with the
    defaults applied to the record first, as the ORM would."""
    for key, default in columns:
        if default is not None and getattr(record, key) is None:
            setattr(record, key, default.arg(None) if default.is_callable else default.arg)
    return {key: getattr(record, key) for key, _ in columns}


# The hottest reads (every session log, check-in and progress read runs them) are built once per
# process with bound parameters and reused: building a select and its cache key costs more CPU
# than running it on SQLite. A statement is immutable, so sharing it between threads is safe.
# What it buys (benchmarks/bench_storage.py, 2026-11-29, loaded 2-core machine): the ten reads of a
# session log take 1.8-3.3 ms of CPU with it and 4.3-7.0 ms built on every call, on a server
# CPU budget of about 5 ms per request (benchmarks/bench_web.py's session logs/s in the README).
_stmts: dict[Any, Any] = {}


def _cached(key: Any, build: Any) -> Any:
    stmt = _stmts.get(key)
    if stmt is None:
        stmt = _stmts[key] = build()
    return stmt


def _newest(model: Any, time_col: str = "at") -> Sequence[Any]:
    return (getattr(model, time_col).desc(), model.id.desc())


class SqlPeopleRepository(_Sql, PeopleRepository):
    def list(self) -> list[m.Person]:
        return self._all(select(m.Person).order_by(m.Person.id))

    def row(self, person_id: int) -> Optional[Row]:
        """A Core read, not `Session.get`: the ORM's identity lookup and loading cost about three
        times as much for one row (311 against about 90 us of CPU on the loaded machine). (The
        session log, check-in, progress and Today read the person with `with_program_and_gate`.)"""
        t = m.Person.__table__
        stmt = _cached("people.row", lambda: select(t).where(t.c.id == bindparam("person_id")))
        return next(iter(self._rows(stmt, {"person_id": person_id})), None)

    def with_program_and_gate(self, person_id: int, session_key: Optional[str] = None) -> PersonRecords:
        """One statement for what would be four or five: the person, their active program, the
        gate's records (see `SqlScreeningRepository.for_gate`) and whether a session log has the
        key. Every session log, pain check-in, progress and Today read starts with it. What it
        buys: four round trips per request on PostgreSQL (benchmarks/bench_web_cpu.py's
        statements per request, bench_web.py's session logs/s)."""
        stmt, layout = _cached(("people.with_program_and_gate", session_key is None),
                               lambda: _standing_select(person_and_program=True, with_key=session_key is not None))
        params: dict[str, Any] = {"person_id": person_id}
        if session_key is not None:
            params["session_key"] = session_key
        rows = [tuple(row) for row in self._core(stmt, params)]
        if not rows:
            return PersonRecords(None, None, GateRecords([], None, None))
        first, (p0, p1, person_row), (g0, g1, program_row) = rows[0], layout["person"], layout["program"]
        program = next((program_row(row[g0:g1]) for row in rows if row[g0] is not None), None)
        key_used = session_key is not None and bool(first[layout["clearance"][1] + 1])
        return PersonRecords(person_row(first[p0:p1]), program, _gate_records(rows, layout), key_used)

    def display_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        if not person_ids:
            return {}
        return dict(self.session.execute(
            select(m.Person.id, m.Person.display_name).where(m.Person.id.in_(list(person_ids)))).all())


class SqlScreeningRepository(_Sql, ScreeningRepository):
    def latest(self, person_id: int) -> Optional[m.Screening]:
        return self._first(select(m.Screening).where(m.Screening.person_id == person_id).order_by(*_newest(m.Screening)))

    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[Row]:
        return self._rows_up_to("screenings.list_for", lambda: (
            select(m.Screening.__table__).where(m.Screening.person_id == bindparam("person_id"))
            .order_by(*_newest(m.Screening))), {"person_id": person_id}, limit)

    def for_gate(self, person_id: int) -> GateRecords:
        """One statement for three reads: the person's screenings LEFT JOIN their latest clearance,
        with the newest new-symptoms time as a scalar subquery (through `people`, so a person
        without a screening still gets one row, of NULL screening columns). The gate runs on
        every session log, pain check-in, progress and Today read (those read it with the person:
        `SqlPeopleRepository.with_program_and_gate`). What it buys: two round trips per gate on
        PostgreSQL (benchmarks/bench_web_cpu.py's statements per request)."""
        stmt, layout = _cached("screenings.for_gate", lambda: _standing_select(person_and_program=False, with_key=False))
        rows = [tuple(row) for row in self._core(stmt, {"person_id": person_id})]
        return _gate_records(rows, layout) if rows else GateRecords([], None, None)


Layout = dict[str, tuple[int, int, Any]]
"""Where each record's columns are in a row of a joined select: name -> (start, stop, row maker)."""


def _standing_select(person_and_program: bool, with_key: bool) -> tuple[Any, Layout]:
    """The select of `for_gate` and (`person_and_program`) of `with_program_and_gate`, and where
    each record is in its rows (each row of the join is cut in parts, made rows of their own):

        people LEFT JOIN screenings LEFT JOIN (the latest clearance)
               [LEFT JOIN (the active program) on the newest screening's row only]
        + the newest new-symptoms time [+ whether a session log has the key]

    The program is joined to one row, not repeated on each screening (its JSON would be decoded
    once per screening)."""
    people, s, c, p = (m.Person.__table__, m.Screening.__table__, m.Clearance.__table__,
                       m.PainEntryRecord.__table__)
    person_id = bindparam("person_id")
    clearance = (select(c).where(c.c.person_id == person_id)
                 .order_by(c.c.at.desc(), c.c.id.desc()).limit(1).subquery("latest_clearance"))
    new_symptoms_at = (select(p.c.at).where(p.c.person_id == person_id, p.c.new_symptoms.is_(True))
                       .order_by(p.c.at.desc(), p.c.id.desc()).limit(1).scalar_subquery().label("new_symptoms_at"))
    stmt = select().select_from(people).outerjoin(s, s.c.person_id == people.c.id).outerjoin(
        clearance, clearance.c.person_id == people.c.id)
    parts: list[tuple[str, Any]] = []
    if person_and_program:
        t, newest = m.ProgramRecord.__table__, s.alias("newest_screening")
        program = (select(t).where(t.c.person_id == person_id, t.c.active.is_(True))
                   .order_by(t.c.created_at.desc(), t.c.id.desc()).limit(1).subquery("active_program"))
        newest_id = (select(newest.c.id).where(newest.c.person_id == person_id)
                     .order_by(newest.c.at.desc(), newest.c.id.desc()).limit(1).scalar_subquery())
        stmt = stmt.outerjoin(program, and_(program.c.person_id == people.c.id, s.c.id.is_not_distinct_from(newest_id)))
        parts += [("person", people), ("program", program)]
    parts += [("screening", s), ("clearance", clearance)]
    layout: Layout = {}
    start = 0
    for name, table in parts:
        layout[name] = (start, start + len(table.c), result_tuple([col.key for col in table.c]))
        start += len(table.c)
    stmt = stmt.add_columns(*[col for _, table in parts for col in table.c], new_symptoms_at)
    if with_key:
        sl = m.SessionLog.__table__
        stmt = stmt.add_columns(select(sl.c.id).where(sl.c.idempotency_key == bindparam("session_key"))
                                .exists().label("key_used"))
    return stmt.where(people.c.id == person_id).order_by(s.c.at.desc(), s.c.id.desc()), layout


def _gate_records(rows: Sequence[tuple[Any, ...]], layout: Layout) -> GateRecords:
    """The gate's records in the (non-empty) rows of a `_standing_select`."""
    (s0, s1, screening_row), (c0, c1, clearance_row) = layout["screening"], layout["clearance"]
    first = rows[0]
    return GateRecords(screenings=[screening_row(row[s0:s1]) for row in rows if row[s0] is not None],
                       clearance=clearance_row(first[c0:c1]) if first[c0] is not None else None,
                       new_symptoms_at=first[c1])


class SqlAssessmentRepository(_Sql, AssessmentRepository):
    def latest(self, person_id: int) -> Optional[m.Assessment]:
        return self._first(select(m.Assessment).where(m.Assessment.person_id == person_id).order_by(*_newest(m.Assessment)))

    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[m.Assessment]:
        return self._all(
            select(m.Assessment).where(m.Assessment.person_id == person_id).order_by(*_newest(m.Assessment)), limit
        )


class SqlProgramRepository(_Sql, ProgramRepository):
    def active_for(self, person_id: int) -> Optional[m.ProgramRecord]:
        stmt = _cached("programs.active_for", lambda: (
            select(m.ProgramRecord)
            .where(m.ProgramRecord.person_id == bindparam("person_id"), m.ProgramRecord.active.is_(True))
            .order_by(*_newest(m.ProgramRecord, "created_at")).limit(1)))
        return self.session.scalars(stmt, {"person_id": person_id}).first()

    def active_row(self, person_id: int) -> Optional[Row]:
        """A Core read, for the same reason as `SqlPeopleRepository.row`."""
        t = m.ProgramRecord.__table__
        stmt = _cached("programs.active_row", lambda: (
            select(t).where(t.c.person_id == bindparam("person_id"), t.c.active.is_(True))
            .order_by(t.c.created_at.desc(), t.c.id.desc()).limit(1)))
        return next(iter(self._rows(stmt, {"person_id": person_id})), None)

    def list_for(self, person_id: int) -> list[m.ProgramRecord]:
        return self._all(
            select(m.ProgramRecord)
            .where(m.ProgramRecord.person_id == person_id)
            .order_by(*_newest(m.ProgramRecord, "created_at"))
        )

    def update_if_unchanged(self, record_id: int, version: int, *, program: dict[str, Any], phase: str,
                            updated_at: dt.datetime, newest_pain: Optional[tuple[int, Optional[int]]] = None,
                            newest_screening: Optional[tuple[int, Optional[int]]] = None) -> bool:
        """With `newest_pain` and `newest_screening`, those checks are conditions of the same
        UPDATE: a session log's write phase sends no statement (round trip) for them
        (benchmarks/bench_web_cpu.py's statements per request)."""
        t = m.ProgramRecord.__table__
        checks = [(kind, key, newest) for kind, key, newest in ((m.PainEntryRecord, "pain", newest_pain),
                                                                (m.Screening, "screening", newest_screening))
                  if newest is not None]

        def build() -> Any:
            stmt = update(t).where(t.c.id == bindparam("record_id"), t.c.version == bindparam("expected_version"))
            for kind, key, _ in checks:
                newest = select(func.max(kind.id)).where(kind.person_id == bindparam(f"{key}_person_id")).scalar_subquery()
                stmt = stmt.where(newest.is_not_distinct_from(bindparam(f"{key}_last_id", type_=sqlalchemy.Integer)))
            return stmt.values(version=t.c.version + 1)

        stmt = _cached(("programs.update_if_unchanged", newest_pain is None, newest_screening is None), build)
        params = {"record_id": record_id, "expected_version": version, "program": program, "phase": phase,
                  "updated_at": updated_at}
        for _, key, (person_id, last_id) in checks:
            params[f"{key}_person_id"], params[f"{key}_last_id"] = person_id, last_id
        return self._core(stmt, params).rowcount == 1


class SqlSessionLogRepository(_Sql, SessionLogRepository):
    def get_by_idempotency_key(self, key: str) -> Optional[Row]:
        stmt = _cached("sessions.by_key", lambda: (
            select(m.SessionLog.__table__).where(m.SessionLog.idempotency_key == bindparam("key")).limit(1)))
        return next(iter(self._rows(stmt, {"key": key})), None)

    def list_for(self, person_id: int, since: Optional[dt.date] = None) -> list[Row]:
        def build() -> Any:
            stmt = select(m.SessionLog.__table__).where(m.SessionLog.person_id == bindparam("person_id"))
            if since is not None:
                stmt = stmt.where(m.SessionLog.performed_on >= bindparam("since"))
            return stmt.order_by(m.SessionLog.performed_on, m.SessionLog.at, m.SessionLog.id)

        stmt = _cached(("sessions.list_for", since is None), build)
        params: dict[str, Any] = {"person_id": person_id}
        if since is not None:
            params["since"] = since
        return self._rows(stmt, params)

    def dates_for(self, person_id: int, since: Optional[dt.date] = None) -> list[dt.date]:
        stmt = _cached("sessions.dates_for", lambda: (
            select(m.SessionLog.performed_on)
            .where(m.SessionLog.person_id == bindparam("person_id"), m.SessionLog.performed_on >= bindparam("since"))
            .order_by(m.SessionLog.performed_on, m.SessionLog.at, m.SessionLog.id)))
        return list(self._core(stmt, {"person_id": person_id, "since": since or dt.date.min}).scalars())

    def recent_entries(self, person_id: int, since: dt.date, limit: Optional[int]) -> list[tuple[dt.date, list[Any]]]:
        s = m.SessionLog
        rows = self._rows_up_to("sessions.recent_entries", lambda: (
            select(s.performed_on, s.entries)
            .where(s.person_id == bindparam("person_id"), s.performed_on >= bindparam("since"))
            .order_by(s.performed_on.desc(), s.at.desc(), s.id.desc())), {"person_id": person_id, "since": since}, limit)
        return [(on, entries) for on, entries in rows]

    def recent_entries_and_dates(self, person_id: int, since: dt.date,
                                 limit: Optional[int]) -> tuple[list[tuple[dt.date, list[Any]]], list[dt.date]]:
        """One statement: the day of every session, LEFT JOIN the newest `limit` sessions' entries
        (so only those entries are read, however long the history). Every session log reads
        both. What it buys: one round trip per session log on PostgreSQL
        (benchmarks/bench_web_cpu.py's statements per request, bench_web.py's session logs/s)."""
        def build() -> Any:
            s = m.SessionLog.__table__
            r = s.alias("recent")
            recent = select(r.c.id, r.c.entries).where(r.c.person_id == bindparam("person_id"),
                                                       r.c.performed_on >= bindparam("since"))
            if limit is not None:
                recent = recent.order_by(r.c.performed_on.desc(), r.c.at.desc(), r.c.id.desc()).limit(bindparam("limit"))
            recent = recent.subquery("recent_entries")
            return (select(s.c.performed_on, recent.c.id, recent.c.entries).select_from(s)
                    .outerjoin(recent, recent.c.id == s.c.id).where(s.c.person_id == bindparam("person_id"))
                    .order_by(s.c.performed_on, s.c.at, s.c.id))

        stmt = _cached(("sessions.recent_entries_and_dates", limit is None), build)
        params: dict[str, Any] = {"person_id": person_id, "since": since}
        if limit is not None:
            params["limit"] = limit
        rows = self._core(stmt, params).all()
        return ([(on, entries) for on, recent_id, entries in reversed(rows) if recent_id is not None],
                [on for on, _, _ in rows])


class SqlPainRepository(_Sql, PainRepository):
    def list_for(self, person_id: int, since: Optional[dt.datetime] = None,
                 kinds: Optional[Sequence[str]] = None) -> list[Row]:
        def build() -> Any:
            stmt = select(m.PainEntryRecord.__table__).where(m.PainEntryRecord.person_id == bindparam("person_id"))
            if since is not None:
                stmt = stmt.where(m.PainEntryRecord.at >= bindparam("since"))
            if kinds is not None:
                stmt = stmt.where(m.PainEntryRecord.kind.in_(bindparam("kinds", expanding=True)))
            return stmt.order_by(m.PainEntryRecord.at, m.PainEntryRecord.id)

        stmt = _cached(("pain.list_for", since is None, kinds is None), build)
        params: dict[str, Any] = {"person_id": person_id}
        if since is not None:
            params["since"] = since
        if kinds is not None:
            params["kinds"] = list(kinds)
        return self._rows(stmt, params)

    @staticmethod
    def _cached_window(since_given: bool) -> Any:
        p = m.PainEntryRecord
        rank = (select(p.id, func.row_number().over(partition_by=p.kind, order_by=(p.at, p.id)).label("rank"))
                .where(p.person_id == bindparam("person_id")).subquery())
        first = select(rank.c.id).where(rank.c.rank <= bindparam("n"))
        wanted = or_(p.id.in_(first), p.at >= bindparam("since")) if since_given else p.id.in_(first)
        return select(p.__table__).where(p.person_id == bindparam("person_id"), wanted).order_by(p.at, p.id)

    def first_of_each_kind(self, person_id: int, n: int, since: Optional[dt.datetime] = None) -> list[Row]:
        stmt = _cached(("pain.first_of_each_kind", since is None), lambda: self._cached_window(since is not None))
        params: dict[str, Any] = {"person_id": person_id, "n": n}
        if since is not None:
            params["since"] = since
        return self._rows(stmt, params)

    def first_of_each_kind_and_last_id(self, person_id: int, n: int,
                                       since: dt.datetime) -> tuple[list[Row], Optional[int]]:
        """One statement: the window's rows, each with the person's newest entry id as one more
        column (`last_id`). With no rows the person has no entry at all (the first of a kind is
        always among them), so the id is None. What it buys: one statement and round trip fewer
        per session log and pain check-in (benchmarks/bench_web_cpu.py's statements per request;
        on PostgreSQL each is a round trip)."""
        def build() -> Any:
            p = m.PainEntryRecord
            newest = (select(func.max(p.id)).where(p.person_id == bindparam("person_id"))
                      .scalar_subquery().label("last_id"))
            window = self._cached_window(since_given=True)
            return window.add_columns(newest)

        stmt = _cached("pain.first_of_each_kind_and_last_id", build)
        rows = self._rows(stmt, {"person_id": person_id, "n": n, "since": since})
        return rows, (rows[0].last_id if rows else None)

    def latest_new_symptoms(self, person_id: int) -> Optional[Row]:
        stmt = _cached("pain.latest_new_symptoms", lambda: (
            select(m.PainEntryRecord.__table__)
            .where(m.PainEntryRecord.person_id == bindparam("person_id"), m.PainEntryRecord.new_symptoms.is_(True))
            .order_by(*_newest(m.PainEntryRecord)).limit(1)))
        return next(iter(self._rows(stmt, {"person_id": person_id})), None)

    def last_id(self, person_id: int) -> Optional[int]:
        stmt = _cached("pain.last_id", lambda: (
            select(func.max(m.PainEntryRecord.id)).where(m.PainEntryRecord.person_id == bindparam("person_id"))))
        return self._core(stmt, {"person_id": person_id}).scalar()

    def add_if_last_id(self, record: m.PainEntryRecord, last_id: Optional[int]) -> bool:
        """One statement, INSERT ... SELECT the values WHERE the newest id is still `last_id`
        (RETURNING the new id), for the check and the insert: a pain check-in's write phase sends
        one round trip fewer (benchmarks/bench_web_cpu.py's statements per request)."""
        t = m.PainEntryRecord.__table__
        columns = [c for c in t.c if not c.primary_key]

        def build() -> Any:
            newest = select(func.max(t.c.id)).where(t.c.person_id == bindparam("person_id")).scalar_subquery()
            values = select(*[bindparam(c.key, type_=c.type) for c in columns]).where(
                newest.is_not_distinct_from(bindparam("expected_last_id", type_=sqlalchemy.Integer)))
            return insert(t).from_select([c.key for c in columns], values).returning(t.c.id)

        stmt = _cached("pain.add_if_last_id", build)
        params = insert_values(record, [(c.key, c.default) for c in columns])
        new_id = self._core(stmt, {**params, "expected_last_id": last_id}).scalar()
        if new_id is None:
            return False
        record.id = new_id
        return True


class SqlDecisionRepository(_Sql, DecisionRepository):
    def recent_actions(self, person_id: int, limit: int) -> list[tuple[str, str]]:
        d = m.DecisionRecord
        stmt = _cached(("decisions.recent_actions", limit), lambda: (
            select(d.source, d.action).where(d.person_id == bindparam("person_id")).order_by(*_newest(d)).limit(limit)))
        return [(source, action) for source, action in self._core(stmt, {"person_id": person_id})]

    def recent_marks(self, person_id: int, limit: int) -> list[tuple[dt.datetime, str, str]]:
        d = m.DecisionRecord
        stmt = _cached("decisions.recent_marks", lambda: (
            select(d.at, d.exercise_id, d.action).where(d.person_id == bindparam("person_id"))
            .order_by(*_newest(d)).limit(bindparam("limit"))))
        return [(at, ex, action) for at, ex, action in self._core(stmt, {"person_id": person_id, "limit": limit})]

    def list_for(self, person_id: int, limit: Optional[int] = None) -> list[Row]:
        d = m.DecisionRecord
        return self._rows_up_to("decisions.list_for", lambda: (
            select(d.__table__).where(d.person_id == bindparam("person_id")).order_by(*_newest(d))),
            {"person_id": person_id}, limit)

    def marks_and_newest(self, person_id: int, marks: int,
                         newest: int) -> tuple[list[tuple[dt.datetime, str, str]], list[Row]]:
        """One statement: the marks, LEFT JOIN the newest `newest` decisions' whole rows (so only
        those rows' JSON is read). Every progress read charts both. What it buys: one round trip
        per progress read on PostgreSQL (benchmarks/bench_web_cpu.py's statements per request)."""
        if newest > marks:  # the whole rows would not all be among the marks
            return super().marks_and_newest(person_id, marks, newest)

        def build() -> tuple[Any, Any]:
            d = m.DecisionRecord.__table__
            n = d.alias("newest")
            rows = (select(n).where(n.c.person_id == bindparam("person_id"))
                    .order_by(n.c.at.desc(), n.c.id.desc()).limit(bindparam("newest")).subquery("newest_decisions"))
            stmt = (select(d.c.at, d.c.exercise_id, d.c.action, *rows.c).select_from(d)
                    .outerjoin(rows, rows.c.id == d.c.id).where(d.c.person_id == bindparam("person_id"))
                    .order_by(d.c.at.desc(), d.c.id.desc()).limit(bindparam("marks")))
            return stmt, result_tuple([c.key for c in rows.c])

        stmt, decision_row = _cached("decisions.marks_and_newest", build)
        found = [tuple(row) for row in self._core(stmt, {"person_id": person_id, "marks": marks, "newest": newest})]
        return [row[:3] for row in found], [decision_row(row[3:]) for row in found if row[3] is not None]


class SqlClearanceRepository(_Sql, ClearanceRepository):
    def latest(self, person_id: int) -> Optional[Row]:
        stmt = _cached("clearances.latest", lambda: (
            select(m.Clearance.__table__).where(m.Clearance.person_id == bindparam("person_id"))
            .order_by(*_newest(m.Clearance)).limit(1)))
        return next(iter(self._rows(stmt, {"person_id": person_id})), None)

    def list_for(self, person_id: int) -> list[m.Clearance]:
        return self._all(select(m.Clearance).where(m.Clearance.person_id == person_id).order_by(*_newest(m.Clearance)))



class SqlOutcomeRepository(_Sql, OutcomeRepository):
    def list_for(self, person_id: int, instrument: Optional[str] = None) -> list[m.OutcomeResponse]:
        stmt = select(m.OutcomeResponse).where(m.OutcomeResponse.person_id == person_id)
        if instrument is not None:
            stmt = stmt.where(m.OutcomeResponse.instrument == instrument)
        return self._all(stmt.order_by(m.OutcomeResponse.at, m.OutcomeResponse.id))

class SqlUserRepository(_Sql, UserRepository):
    def get_by_email(self, email: str) -> Optional[m.User]:
        return self._first(select(m.User).where(m.User.email == email.strip().lower()))

    def get_by_person(self, person_id: int) -> Optional[m.User]:
        return self._first(select(m.User).where(m.User.person_id == person_id).order_by(m.User.id))

    def list(self, role: Optional[str] = None) -> list[m.User]:
        stmt = select(m.User)
        if role is not None:
            stmt = stmt.where(m.User.role == role)
        return self._all(stmt.order_by(m.User.id))

    def account(self, user_id: int) -> Optional[Row]:
        return self._core(ACTIVE_ACCOUNT, {"user_id": user_id}).first()

    def names_by_email(self, emails: Sequence[str]) -> dict[str, str]:
        if not emails:
            return {}
        return {email: (name or email) for email, name in self.session.execute(
            select(m.User.email, m.User.display_name).where(m.User.email.in_(list(emails)))).all()}

    def person_account_emails(self) -> list[str]:
        return list(self.session.scalars(select(m.User.email).where(m.User.person_id.is_not(None))))

    def due_for_deletion(self, cutoff: dt.datetime) -> list[int]:
        return list(self.session.scalars(select(m.User.id).where(
            m.User.deletion_requested_at.is_not(None), m.User.deletion_requested_at <= cutoff)))


# Every authenticated request reads this (joined with its log-in: SqlWebSessionRepository):
# the few columns a request needs, not the whole record.
ACTIVE_ACCOUNT = (select(m.User.id, m.User.email, m.User.role, m.User.person_id, m.User.display_name, m.User.approval)
                  .where(m.User.id == bindparam("user_id"), m.User.active.is_(True)))


class SqlAssignmentRepository(_Sql, AssignmentRepository):
    def exists(self, clinician_user_id: int, person_id: int) -> bool:
        return self._first(self._pair(clinician_user_id, person_id)) is not None

    def _pair(self, clinician_user_id: int, person_id: int) -> Any:
        return select(m.ClinicianAssignment).where(
            m.ClinicianAssignment.clinician_user_id == clinician_user_id,
            m.ClinicianAssignment.person_id == person_id,
        )

    def person_ids_for(self, clinician_user_id: int) -> list[int]:
        stmt = (
            select(m.ClinicianAssignment.person_id)
            .where(m.ClinicianAssignment.clinician_user_id == clinician_user_id)
            .order_by(m.ClinicianAssignment.person_id)
        )
        return list(self.session.scalars(stmt))

    def clinician_ids_for(self, person_id: int) -> list[int]:
        stmt = (
            select(m.ClinicianAssignment.clinician_user_id)
            .where(m.ClinicianAssignment.person_id == person_id)
            .order_by(m.ClinicianAssignment.clinician_user_id)
        )
        return list(self.session.scalars(stmt))

    def remove(self, clinician_user_id: int, person_id: int) -> bool:
        found = self._first(self._pair(clinician_user_id, person_id))
        if found is None:
            return False
        self.session.delete(found)
        self.session.flush()
        return True


class SqlInvitationRepository(_Sql, InvitationRepository):
    def get_by_code(self, code: str) -> Optional[m.Invitation]:
        return self._first(select(m.Invitation).where(m.Invitation.code == code))

    def list_for_clinician(self, clinician_user_id: int, limit: Optional[int] = None) -> list[m.Invitation]:
        return self._all(
            select(m.Invitation)
            .where(m.Invitation.clinician_user_id == clinician_user_id)
            .order_by(*_newest(m.Invitation, "created_at")),
            limit,
        )


class SqlAuditRepository(_Sql, AuditRepository):
    def list(
        self, person_id: Optional[int] = None, actor_user_id: Optional[int] = None, limit: Optional[int] = 100
    ) -> list[m.AuditEntry]:
        stmt = select(m.AuditEntry)
        if person_id is not None:
            stmt = stmt.where(m.AuditEntry.person_id == person_id)
        if actor_user_id is not None:
            stmt = stmt.where(m.AuditEntry.actor_user_id == actor_user_id)
        return self._all(stmt.order_by(*_newest(m.AuditEntry)), limit)

    def with_actor_emails(self, about: Optional[Sequence[Optional[int]]] = None, or_by: Optional[int] = None,
                          limit: Optional[int] = 200) -> list[tuple[m.AuditEntry, Optional[str]]]:
        a = m.AuditEntry
        stmt = select(a, m.User.email).outerjoin(m.User, m.User.id == a.actor_user_id)
        if about is not None:
            wanted = a.person_id.in_(list(about))
            stmt = stmt.where(wanted | (a.actor_user_id == or_by) if or_by is not None else wanted)
        stmt = stmt.order_by(*_newest(a))
        if limit is not None:
            stmt = stmt.limit(limit)
        return [(entry, email) for entry, email in self.session.execute(stmt).all()]


class SqlLoginAttemptRepository(_Sql, LoginAttemptRepository):
    def failures(self, keys: Sequence[str], since: dt.datetime) -> dict[str, tuple[int, dt.datetime]]:
        a = m.LoginAttempt
        rows = self.session.execute(
            select(a.key, func.count(a.id), func.max(a.at))
            .where(a.key.in_(list(keys)), a.at >= since).group_by(a.key)).all()
        out = {}
        for key, count, last in rows:
            if isinstance(last, str):  # SQLite's max() of a text column
                last = dt.datetime.fromisoformat(last)
            if last.tzinfo is None:
                last = last.replace(tzinfo=dt.timezone.utc)
            out[key] = (count, last)
        return out

    def forget(self, key: str) -> None:
        self.session.execute(delete(m.LoginAttempt).where(m.LoginAttempt.key == key))

    def purge_before(self, cutoff: dt.datetime) -> None:
        self.session.execute(delete(m.LoginAttempt).where(m.LoginAttempt.at < cutoff))


class SqlWebSessionRepository(_Sql, WebSessionRepository):
    def get(self, record_id: Any) -> Any:
        return self.session.get(m.WebSession, record_id)

    def account_of(self, user_id: int, key: str) -> Optional[Row]:
        return self._core(_ACCOUNT_OF_LOGIN, {"user_id": user_id, "session_key": key}).first()

    def end(self, key: str) -> None:
        self.session.execute(delete(m.WebSession).where(m.WebSession.key == key))

    def end_all(self, user_id: int) -> int:
        return self.session.execute(delete(m.WebSession).where(m.WebSession.user_id == user_id)).rowcount or 0

    def purge_expired(self, now: dt.datetime) -> None:
        self.session.execute(delete(m.WebSession).where(m.WebSession.expires_at < now))


# the account lookup above with the log-in's row joined in, so any condition added there
# (active, ...) applies here too
_ACCOUNT_OF_LOGIN = (ACTIVE_ACCOUNT.join(m.WebSession, m.WebSession.user_id == m.User.id)
                     .where(m.WebSession.key == bindparam("session_key")))


class SqlIdempotencyRepository(_Sql, IdempotencyRepository):
    def find(self, account_id: int, key: str) -> Optional[Row]:
        return self._core(_STORED_ANSWER, {"account_id": account_id, "key": key}).first()

    def purge_before(self, cutoff: dt.datetime) -> int:
        i = m.IdempotencyRecord
        return self.session.execute(delete(i).where(i.created_at < cutoff)).rowcount or 0


_STORED_ANSWER = (select(m.IdempotencyRecord.__table__)
                  .where(m.IdempotencyRecord.account_id == bindparam("account_id"),
                         m.IdempotencyRecord.key == bindparam("key")))


class SqlVideoRepository(_Sql, VideoRepository):
    def delete(self, record: m.VideoAnalysis) -> None:
        self.session.delete(record)

    def stalled(self, running_seen_before: dt.datetime, queued_seen_before: dt.datetime,
                video_id: Optional[int] = None) -> list[m.VideoAnalysis]:
        v = m.VideoAnalysis
        seen = func.coalesce(v.heartbeat_at, v.created_at)
        stmt = select(v).where(or_(and_(v.status == "running", seen < running_seen_before),
                                   and_(v.status == "queued", seen < queued_seen_before)))
        if video_id is not None:
            stmt = stmt.where(v.id == video_id)
        return self._all(stmt)

    def add_keyframes(self, frames: Sequence[m.VideoKeyframe]) -> None:
        self.session.add_all(frames)

    def keyframes_of(self, video_id: int) -> list[Row]:
        k = m.VideoKeyframe
        return list(self.session.execute(select(k.rep_index, k.t_s, k.width, k.height)
                                         .where(k.video_id == video_id).order_by(k.rep_index)))

    def keyframe(self, video_id: int, rep_index: int) -> Optional[m.VideoKeyframe]:
        k = m.VideoKeyframe
        return self._first(select(k).where(k.video_id == video_id, k.rep_index == rep_index))


class SqlPersonalDataRepository(PersonalDataRepository):
    def __init__(self, session: Session):
        self.session = session

    def _references(self, table: Any, user_id: int, person_id: Optional[int]) -> list[tuple[Any, int]]:
        """(column, value) of each foreign key of `table` that points at the account or its person."""
        out = []
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target == "people" and person_id is not None:
                out.append((fk.parent, person_id))
            elif target == "users":
                out.append((fk.parent, user_id))
        return out

    def rows_about(self, user_id: int, person_id: Optional[int], skip: Sequence[str] = ()) -> dict[str, list[dict[str, Any]]]:
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in m.Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            conditions = [column == value for column, value in self._references(table, user_id, person_id)]
            if table.name == "users":
                conditions.append(table.c.id == user_id)
            elif table.name == "people" and person_id is not None:
                conditions.append(table.c.id == person_id)
            if conditions:
                rows = [dict(row._mapping) for row in self.session.execute(select(table).where(or_(*conditions)))]
                if rows:
                    tables[table.name] = rows
        return tables

    def erase(self, user_id: int, person_id: Optional[int]) -> list[str]:
        db = self.session
        audit = m.AuditEntry.__table__
        # the audit log keeps what happened and when, but no longer who
        who = audit.c.actor_user_id == user_id
        if person_id is not None:
            who = who | (audit.c.person_id == person_id)
        db.execute(update(audit).where(who).values(actor_user_id=None, person_id=None, detail={}))
        files: list[str] = []
        for table in reversed(m.Base.metadata.sorted_tables):
            if table.name in ("audit_log", "users", "people"):
                continue
            for column, ref in self._references(table, user_id, person_id):
                fk = next(iter(column.foreign_keys))
                if fk.ondelete == "SET NULL" and column.nullable:
                    db.execute(update(table).where(column == ref).values({column.name: None}))
                else:
                    if "file_path" in table.c:  # files kept on disk for these rows (a kept exercise video)
                        files += [p for p in db.scalars(select(table.c.file_path).where(column == ref)) if p]
                    db.execute(delete(table).where(column == ref))
        db.execute(delete(m.User.__table__).where(m.User.id == user_id))
        if person_id is not None:
            db.execute(delete(m.Person.__table__).where(m.Person.id == person_id))
        db.flush()
        return files
