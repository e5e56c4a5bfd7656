"""Unit of work: one transaction, with every repository the services need.

    with SqlAlchemyUnitOfWork(database_url) as uow:
        person = uow.people.get(1)
        ...
        uow.commit()

Leaving the block without `commit()` rolls everything back, so an error halfway
through a use case never leaves half a session stored. Database errors are
translated into `StorageError`s with a message for the user (`DatabaseUnavailable`
when the server cannot be reached, `Conflict` when a unique value already exists).
"""

from __future__ import annotations

import abc
import threading
from types import TracebackType
from typing import Any, Callable, Optional, Sequence

from sqlalchemy import Engine, insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from backcoach.storage import repositories as r
from backcoach.storage.database import (
    BUSY_MESSAGE,
    CHANGED_MESSAGE,
    CONFLICT_MESSAGE,
    ChangedMeanwhile,
    Conflict,
    DatabaseBusy,
    StorageError,
    get_engine,
    is_busy_error,
    is_connection_error,
    is_missing_table,
    schema_missing,
    unreachable,
)


class UnitOfWork(abc.ABC):
    people: r.PeopleRepository
    screenings: r.ScreeningRepository
    assessments: r.AssessmentRepository
    programs: r.ProgramRepository
    sessions: r.SessionLogRepository
    pain: r.PainRepository
    decisions: r.DecisionRepository
    clearances: r.ClearanceRepository
    outcomes: r.OutcomeRepository
    users: r.UserRepository
    assignments: r.AssignmentRepository
    invitations: r.InvitationRepository
    audit: r.AuditRepository
    login_attempts: r.LoginAttemptRepository
    web_sessions: r.WebSessionRepository
    idempotency: r.IdempotencyRepository
    videos: r.VideoRepository
    personal_data: r.PersonalDataRepository

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.rollback()

    def begin_write(self) -> None:
        """End the reads and start the (short) write transaction of a use case that reads first,
        decides in plain Python, then writes everything at once.

        What was read stays readable. On SQLite the write transaction takes the database's
        write lock at once (BEGIN IMMEDIATE), so it never fails halfway for a busy database;
        the use case re-checks there what could have changed since its reads. On PostgreSQL
        readers never wait for writers, so the reads' transaction simply goes on (READ
        COMMITTED: the re-checks still see what others committed meanwhile), which saves a
        COMMIT, a BEGIN and a pooled connection's check-out with its ping.
        """

    @abc.abstractmethod
    def add_all(self, records: Sequence[Any], ids: bool = True) -> list[Any]:
        """Save new records of any kinds at once (each run of one kind is one batched insert
        where the database allows); they all have their ids afterwards, unless `ids=False`
        says nothing needs them (cheaper on SQLite, which cannot return a batch's ids in order).
        A clash with a unique value (idempotency key, ...) raises `Conflict` here."""

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


_factories: dict[int, sessionmaker[Session]] = {}
_factories_lock = threading.Lock()


def session_factory_for(engine: Engine) -> sessionmaker[Session]:
    with _factories_lock:
        factory = _factories.get(id(engine))
        if factory is None:
            factory = _factories[id(engine)] = sessionmaker(bind=engine, expire_on_commit=False)
        return factory


_inserts: dict[Any, tuple[Any, list[tuple[str, Any]]]] = {}


def _insert_for(kind: Any, ids: bool) -> tuple[Any, list[tuple[str, Any]]]:
    """The INSERT (... RETURNING id when `ids`) of a record class (built once; statements are
    immutable) and its columns with their Python defaults (applied as the ORM would)."""
    table = kind.__table__
    columns = [(c.key, c.default) for c in table.columns if not c.primary_key]
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True) if ids else insert(table)
    _inserts[kind, ids] = (stmt, columns)
    return stmt, columns


class SqlAlchemyUnitOfWork(UnitOfWork):
    """A unit of work over a SQLAlchemy session.

    `database_url` defaults to the settings' DATABASE_URL. The schema must be in place
    (`backcoach db upgrade`, or the start-up of the web app or the command line): a unit of work
    never migrates; on a database that is not set up it raises SchemaMissing saying so.
    Records stay readable after the block ends (expire_on_commit is off, and they are
    detached before the closing rollback).
    """

    def __init__(self, database_url: Optional[str] = None, *,
                 session_factory: Optional[Callable[[], Session]] = None):
        if session_factory is None:
            if database_url is None:
                from backcoach.settings import get_settings

                database_url = get_settings().database_url
            session_factory = session_factory_for(get_engine(database_url))
        self.database_url = database_url or "(session factory)"
        self._session_factory = session_factory
        self.session: Optional[Session] = None

    def __enter__(self) -> "SqlAlchemyUnitOfWork":
        self.session = s = self._session_factory()
        self.people = r.SqlPeopleRepository(s)
        self.screenings = r.SqlScreeningRepository(s)
        self.assessments = r.SqlAssessmentRepository(s)
        self.programs = r.SqlProgramRepository(s)
        self.sessions = r.SqlSessionLogRepository(s)
        self.pain = r.SqlPainRepository(s)
        self.decisions = r.SqlDecisionRepository(s)
        self.clearances = r.SqlClearanceRepository(s)
        self.outcomes = r.SqlOutcomeRepository(s)
        self.users = r.SqlUserRepository(s)
        self.assignments = r.SqlAssignmentRepository(s)
        self.invitations = r.SqlInvitationRepository(s)
        self.audit = r.SqlAuditRepository(s)
        self.login_attempts = r.SqlLoginAttemptRepository(s)
        self.web_sessions = r.SqlWebSessionRepository(s)
        self.idempotency = r.SqlIdempotencyRepository(s)
        self.videos = r.SqlVideoRepository(s)
        self.personal_data = r.SqlPersonalDataRepository(s)
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        try:
            if self.session is not None:
                # Detach first so records read in the block stay readable afterwards
                # (a rollback would otherwise expire them).
                self.session.expunge_all()
            self.rollback()
        except DBAPIError:
            pass
        finally:
            if self.session is not None:
                self.session.close()
        if exc is not None:
            translated = self._translate(exc)
            if translated is not None:
                raise translated from exc

    def begin_write(self) -> None:
        assert self.session is not None, "use the unit of work in a with-block"
        if self.session.get_bind().dialect.name != "sqlite":
            return  # see UnitOfWork.begin_write
        try:
            if self.session.in_transaction() and not self._sqlite_reads_only():
                self.session.commit()  # ends what was written so far; loaded records stay (expire_on_commit=False)
            self.session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        except (OperationalError, DBAPIError) as exc:
            self.session.rollback()
            translated = self._translate(exc)
            if translated is not None:
                raise translated from exc
            raise

    def single_statement_reads(self) -> None:
        """Declare that this unit of work only reads, in single statements (who is asking, on
        every request): on PostgreSQL they then run without a transaction (autocommit), which
        a single statement does not need, so no BEGIN and no ROLLBACK go to the server. What it
        buys: two round trips of about four for that read (counted with strace on loopback;
        bench_web.py's PostgreSQL session logs/s). SQLite's driver opens no transaction for
        reads anyway. Call it before the first statement."""
        assert self.session is not None, "use the unit of work in a with-block"
        if self.session.get_bind().dialect.name != "sqlite":
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    def _sqlite_reads_only(self) -> bool:
        """Has this SQLite transaction only read so far? Then the connection holds no transaction
        of its own (the sqlite3 driver opens one before the first write, not for reads), and
        BEGIN IMMEDIATE can go on the same connection: no COMMIT, no giving the connection back
        to the pool and taking it again. What it buys: one pool check-out of three per session
        log or check-in (benchmarks/bench_web_cpu.py prints the check-outs per request)."""
        assert self.session is not None
        if self.session.new or self.session.dirty or self.session.deleted:
            return False
        dbapi = self.session.connection().connection.dbapi_connection
        return dbapi is not None and not dbapi.in_transaction

    def add_all(self, records: Sequence[Any], ids: bool = True) -> list[Any]:
        """Plain INSERTs instead of an ORM flush (the hottest writes: a session log with its pain
        entries and decisions): the records of one kind in a row are one executemany statement
        that returns their ids in order, so each record gets its id; they are not tracked by the
        session afterwards (nothing reads them back in the same unit of work).

        What it buys (benchmarks/bench_storage.py, 2026-11-29, loaded 2-core machine): a session
        log's writes take 0.9-1.6 ms of CPU this way and 1.7-2.9 ms through the ORM's flush, on a
        server CPU budget of about 5 ms per request (bench_web.py's session logs/s)."""
        assert self.session is not None, "use the unit of work in a with-block"
        try:
            i = 0
            while i < len(records):
                kind = type(records[i])
                j = i
                while j < len(records) and type(records[j]) is kind:
                    j += 1
                self._insert(kind, records[i:j], ids)
                i = j
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(CONFLICT_MESSAGE) from exc
        return list(records)

    def _insert(self, kind: Any, records: Sequence[Any], ids: bool) -> None:
        assert self.session is not None
        stmt, columns = _inserts.get((kind, ids)) or _insert_for(kind, ids)
        rows = [r.insert_values(rec, columns) for rec in records]
        conn = self.session.connection()  # the statement is Core: no ORM layer to go through
        if not ids:
            conn.execute(stmt, rows)
        elif len(rows) == 1:
            records[0].id = conn.execute(stmt, rows[0]).scalar_one()
        else:
            for rec, new_id in zip(records, conn.execute(stmt, rows).scalars()):
                rec.id = new_id

    def commit(self) -> None:
        assert self.session is not None, "use the unit of work in a with-block"
        try:
            self.session.commit()
        except (IntegrityError, OperationalError, DBAPIError, StaleDataError) as exc:
            self.session.rollback()
            translated = self._translate(exc)
            if translated is not None:
                raise translated from exc
            raise

    def rollback(self) -> None:
        if self.session is not None:
            self.session.rollback()

    def _translate(self, exc: BaseException) -> Optional[StorageError]:
        if isinstance(exc, StorageError):
            return None
        if isinstance(exc, StaleDataError):  # a program changed by someone else since it was read
            return ChangedMeanwhile(CHANGED_MESSAGE)
        if isinstance(exc, IntegrityError):
            return Conflict(CONFLICT_MESSAGE)
        if is_busy_error(exc):
            return DatabaseBusy(BUSY_MESSAGE)
        if isinstance(exc, DBAPIError):
            if is_missing_table(exc):
                return schema_missing(self.database_url)
            if is_connection_error(exc):
                return unreachable(self.database_url, exc)
        return None
