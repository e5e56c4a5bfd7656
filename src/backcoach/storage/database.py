"""Engines and schema management.

SQLite (the default, one file) gets WAL, a busy timeout and foreign keys so that a
web server can sustain hundreds of writes per second from many threads; PostgreSQL
is reached through psycopg 3. The schema is managed by the Alembic migrations in
`storage/migrations/`: `upgrade()` runs them (`backcoach db upgrade`), and the start-up of the
web app and of the command line calls `upgrade_if_behind()` once. A unit of work never
migrates; on a database that is not set up it says to run `backcoach db upgrade`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError, OperationalError

from backcoach.domain.errors import BackcoachError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Timeouts:
    """How long a database call may wait before it gives up (seconds).

    The CLI and jobs keep the patient defaults (None: SQLite's busy timeout of
    SQLITE_BUSY_TIMEOUT_MS, no limit on PostgreSQL statements). The web server uses short
    ones (web.app.WebOptions), because a request waits on the event loop's thread: a stalled
    database must give a quick 503, not freeze every request of the worker.
      lock       waiting for another writer's lock (SQLite busy timeout, PostgreSQL lock_timeout)
      statement  one PostgreSQL statement (statement_timeout)
      pool       waiting for a free pooled connection (SQLAlchemy pool_timeout)
      connect    opening a PostgreSQL connection (connect_timeout); also bounds a silent socket
    """

    lock: float = SQLITE_BUSY_TIMEOUT_MS / 1000
    statement: Optional[float] = None
    pool: float = 30.0
    connect: float = 5.0


DEFAULT_TIMEOUTS = Timeouts()


class StorageError(BackcoachError):
    """A storage problem explained to the user (the transaction was rolled back)."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached; nothing was written."""


class DatabaseBusy(DatabaseUnavailable):
    """The database did not answer in time (locked, stalled or out of connections); nothing was
    written. The web answers 503 with Retry-After."""


BUSY_MESSAGE = "the database is busy right now and nothing was saved — please try again in a moment"


class Conflict(StorageError):
    """A write clashed with existing data (e.g. the same form submitted twice)."""


class ChangedMeanwhile(Conflict):
    """What a use case read changed before it could write (another request for the same person
    got there first). Nothing was saved; the use case may start again from its reads."""


CHANGED_MESSAGE = "your record changed while this was being saved (nothing was saved) — please try again"


class SchemaMissing(StorageError):
    """The database has not been set up (or is behind this version of backcoach)."""


def schema_missing(database_url: str) -> SchemaMissing:
    return SchemaMissing(f"the database at {safe_url(database_url)} is not set up for this version of backcoach "
                         "— run `backcoach db upgrade` (nothing was saved)")


CONFLICT_MESSAGE = "this was already saved, or clashes with something saved (nothing changed)"


def normalise_url(database_url: str) -> str:
    """Accept `postgres://` and `postgresql://` and use psycopg 3 for them."""
    url = database_url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def safe_url(database_url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(normalise_url(database_url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def unreachable(database_url: str, exc: BaseException) -> DatabaseUnavailable:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    return DatabaseUnavailable(
        f"cannot reach the database at {safe_url(database_url)}: {first} "
        "— check DATABASE_URL or start the server (nothing was saved)"
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    cur = dbapi_connection.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
    finally:
        cur.close()


PG_PREPARE_THRESHOLD = 0
PG_PLAN_OPTIONS = "-c plan_cache_mode=force_generic_plan"
"""How statements run on PostgreSQL: each is prepared on the connection the first time it is
used (psycopg's default waits for the fifth use), and its plan is made once, when prepared
(the server's default plans each of the first five runs again and keeps doing so when a plan
for the given values looks cheaper: a LIMIT or a date bound is enough). The statements are
the same few dozen per-person lookups on indexed columns every time, so one plan per statement
serves every person. What it buys: the server's CPU went mostly to parsing and planning, not
running, the statements (perf, bench_web.py on PostgreSQL); 185-198 -> 232 session logs/s on
the 2-core machine (the web server and PostgreSQL share its cores)."""


_engines: dict[Any, Engine] = {}
_engines_lock = threading.Lock()


def make_engine(database_url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS, **kwargs: Any) -> Engine:
    """A new engine for `database_url` (prefer `get_engine`, which shares one per URL)."""
    url_text = normalise_url(database_url)
    try:
        url = make_url(url_text)
    except ArgumentError as exc:
        raise StorageError(f"DATABASE_URL is not a valid database URL: {safe_url(database_url)}") from exc
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            folder = Path(url.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot create the folder for the database file {folder}: {exc.strerror or exc} "
                    "— check DATABASE_URL (nothing was saved)"
                ) from exc
        kwargs.setdefault("connect_args", {}).setdefault("timeout", timeouts.lock)
        kwargs["connect_args"].setdefault("check_same_thread", False)
        if url.database in (None, "", ":memory:"):
            from sqlalchemy.pool import StaticPool

            kwargs.setdefault("poolclass", StaticPool)
        else:
            kwargs.setdefault("pool_timeout", timeouts.pool)
    else:
        kwargs.setdefault("pool_timeout", timeouts.pool)
        if url.get_backend_name() == "postgresql":
            args = kwargs.setdefault("connect_args", {})
            args.setdefault("connect_timeout", max(1, int(round(timeouts.connect))))
            args.setdefault("prepare_threshold", PG_PREPARE_THRESHOLD)
            options = PG_PLAN_OPTIONS
            if timeouts.statement is not None:
                # server-side limits, set once per connection (no cost per request), and the
                # socket's: a server that stops answering is given up after about `connect` s
                options += (f" -c statement_timeout={int(timeouts.statement * 1000)}"
                            f" -c lock_timeout={int(timeouts.lock * 1000)}")
            args.setdefault("options", options)
            if timeouts.statement is not None:
                args.setdefault("keepalives", 1)
                args.setdefault("keepalives_idle", max(1, int(timeouts.connect)))
                args.setdefault("keepalives_interval", 1)
                args.setdefault("keepalives_count", 3)
                args.setdefault("tcp_user_timeout", int(timeouts.connect * 1000))
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StorageError(f"DATABASE_URL names a database this installation cannot use: {safe_url(database_url)} ({exc})") from exc
    if engine.dialect.name == "sqlite":
        busy_ms = int(timeouts.lock * 1000)
        event.listen(engine, "connect", lambda conn, rec: _sqlite_pragmas(conn, rec, busy_ms))
    else:
        ping_when_idle(engine)
    return engine


IDLE_BEFORE_PING_S = 1.0
"""A pooled connection back in the pool for this long is pinged before it is handed out again."""


def ping_when_idle(engine: Engine, idle_s: float = IDLE_BEFORE_PING_S) -> None:
    """Before a pooled connection that sat idle for `idle_s` or more is handed out, ask the
    server whether it is still there; a dead one (the server restarted, a firewall dropped the
    socket) is replaced by a new connection, so a request after a quiet spell never fails on it.

    Instead of SQLAlchemy's `pool_pre_ping`, which pings on every check-out: a web request takes
    two connections from the pool, each back within milliseconds under load, and each ping is a
    round trip to the server that costs both sides CPU (bench_web.py on PostgreSQL is bound by
    CPU per round trip, not by the SQL). A connection in steady use has just answered; if the
    server goes away meanwhile, the statement that finds out fails like any other and SQLAlchemy
    drops every connection opened before, so only requests already in flight see the error."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.pop("returned_at", None)
        if returned is None or time.monotonic() - returned < idle_s:
            return  # new, or in steady use
        dialect = engine.dialect
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError(str(exc)) from exc  # the pool replaces it and tries again
            raise


def get_engine(database_url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Engine:
    """One shared engine (and connection pool) per URL and timeouts in this process."""
    url = normalise_url(database_url)
    key = url if timeouts == DEFAULT_TIMEOUTS else (url, timeouts)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = make_engine(url, timeouts)
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, and before forking workers)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def alembic_config(database_url: str, engine: Engine | None = None) -> Any:
    """Alembic's configuration: the packaged migrations/alembic.ini (the same file a developer's
    `alembic -c ...` reads), for `database_url` (and its engine, when given)."""
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.attributes["database_url"] = normalise_url(database_url)
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(database_url: str, revision: str = "head") -> str | None:
    """Bring the schema at `database_url` up to `revision`; returns the revision now in place."""
    from alembic import command

    from alembic.util.exc import CommandError

    engine = get_engine(database_url)
    try:
        command.upgrade(alembic_config(database_url, engine), revision)
        return current_revision(engine)
    except (OperationalError, DBAPIError) as exc:
        if _is_connection_error(exc):
            raise unreachable(database_url, exc) from exc
        raise
    except CommandError as exc:
        raise StorageError(
            f"cannot bring the database at {safe_url(database_url)} up to date: {exc} "
            "(was it made by a newer version of backcoach? then update backcoach)"
        ) from exc


def upgrade_if_behind(database_url: str) -> None:
    """Run the migrations if the database is behind: what the web app and the command line do
    once when they start (not a unit of work, which never migrates)."""
    engine = get_engine(database_url)
    try:
        if current_revision(engine) != head_revision():
            upgrade(database_url)
    except (OperationalError, DBAPIError) as exc:
        if _is_connection_error(exc):
            raise unreachable(database_url, exc) from exc
        raise


def table_names(database_url: str) -> list[str]:
    return sorted(inspect(get_engine(database_url)).get_table_names())


# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout)
_BUSY_SQLSTATES = ("55P03", "57014")


def is_busy_error(exc: BaseException) -> bool:
    """Did the database not answer in time (a lock held elsewhere, a statement or pool timeout)?"""
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError):
        if getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES:
            return True
        text = str(exc.orig or exc).lower()
        return "database is locked" in text or "database table is locked" in text or "busy" in text
    return False


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        markers = (
            "connection", "connect", "could not", "unable to open", "server closed",
            "timeout expired", "no such host", "name or service", "refused", "terminating",
            "does not exist", "password authentication",
        )
        return any(m in text for m in markers)
    return False


is_connection_error = _is_connection_error

# PostgreSQL: undefined_table
_MISSING_TABLE_SQLSTATES = ("42P01",)


def is_missing_table(exc: BaseException) -> bool:
    """Did a statement name a table the database does not have (a database never set up)?"""
    if not isinstance(exc, DBAPIError):
        return False
    if getattr(exc.orig, "sqlstate", None) in _MISSING_TABLE_SQLSTATES:
        return True
    return "no such table" in str(exc.orig or exc).lower()
