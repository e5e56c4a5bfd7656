"""Storage: SQLAlchemy models, repositories, units of work and Alembic migrations.

Public API:
    SqlAlchemyUnitOfWork(database_url)  one transaction with every repository
    FakeUnitOfWork()                    the same, in memory, for tests
    upgrade(database_url)               run the migrations (`backcoach db upgrade`)
    ensure_schema(database_url)         run them once per process if behind
    StorageError, DatabaseUnavailable, Conflict

A new migration (after changing storage/models.py), from the repository root:

    .venv/bin/python -c "from alembic import command; from backcoach.storage.database import alembic_config; \
        command.revision(alembic_config('sqlite:////tmp/rev.db'), message='what changed', autogenerate=True, rev_id='0003')"

(run `backcoach db upgrade` with DATABASE_URL=sqlite:////tmp/rev.db first so autogenerate compares
against the current schema), then read and tidy the generated file in migrations/versions/.
"""

from backcoach.storage.database import (
    Conflict,
    DatabaseUnavailable,
    StorageError,
    dispose_engines,
    ensure_schema,
    get_engine,
    upgrade,
)
from backcoach.storage.memory import FakeUnitOfWork
from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork

__all__ = [
    "Conflict",
    "DatabaseUnavailable",
    "FakeUnitOfWork",
    "SqlAlchemyUnitOfWork",
    "StorageError",
    "UnitOfWork",
    "dispose_engines",
    "ensure_schema",
    "get_engine",
    "upgrade",
]
