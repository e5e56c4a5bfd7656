"""Storage: SQLAlchemy models, repositories, units of work and Alembic migrations.

Public API:
    SqlAlchemyUnitOfWork(database_url)  one transaction with every repository
    upgrade(database_url)               run the migrations (`backcoach db upgrade`)
    upgrade_if_behind(database_url)     the same, only if needed (start-up of the web app and the CLI)
    StorageError, DatabaseUnavailable, Conflict, SchemaMissing

(The in-memory unit of work for fast service tests lives in tests/fakes.py.)

A new migration (after changing storage/models.py), from the repository root:

    export DATABASE_URL=sqlite:////tmp/rev.db
    .venv/bin/backcoach db upgrade      # autogenerate compares against the current schema
    .venv/bin/alembic -c src/backcoach/storage/migrations/alembic.ini revision --autogenerate --rev-id NAME -m "what changed"

then read and tidy the generated file in migrations/versions/ (`alembic ... check` says whether
the models and the migrations agree; tests/integration/storage checks it on SQLite and PostgreSQL).
"""

from backcoach.storage.database import (
    Conflict,
    DatabaseUnavailable,
    SchemaMissing,
    StorageError,
    dispose_engines,
    get_engine,
    upgrade,
    upgrade_if_behind,
)
from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork

__all__ = [
    "Conflict",
    "DatabaseUnavailable",
    "SqlAlchemyUnitOfWork",
    "SchemaMissing",
    "StorageError",
    "UnitOfWork",
    "dispose_engines",
    "get_engine",
    "upgrade",
    "upgrade_if_behind",
]
