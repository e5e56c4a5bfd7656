"""Databases for the storage tests: the in-memory fake, a fresh SQLite file per test, and a
fresh PostgreSQL database per test session (created here, dropped at the end).

PostgreSQL: BACKCOACH_TEST_POSTGRES_URL, else the local server at 127.0.0.1:5432 (user
postgres, database test). Tests marked `postgres` skip only when the variable is unset AND
no server answers; with CI=true they fail instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from backcoach.storage import FakeUnitOfWork, SqlAlchemyUnitOfWork, dispose_engines, upgrade
from backcoach.storage.database import make_engine
from backcoach.storage.models import Base

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_admin_url() -> tuple[str | None, str]:
    """(url or None, why not)."""
    url = os.environ.get("BACKCOACH_TEST_POSTGRES_URL")
    if url:
        return url, ""
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=2"):
            return DEFAULT_PG, ""
    except Exception as exc:  # noqa: BLE001 - any failure means "no local server"
        return None, f"BACKCOACH_TEST_POSTGRES_URL is unset and no PostgreSQL answers at 127.0.0.1:5432 ({exc})"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, dropped afterwards."""
    admin_url, why = _pg_admin_url()
    if admin_url is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL is required in CI: {why}")
        pytest.skip(why)
    name = f"backcoach_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        # A server was named (or answered) but cannot be used: that is a failure, never a skip.
        pytest.fail(f"cannot create a test database on {admin_url}: {exc}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    try:
        yield url
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty(url: str) -> None:
    from backcoach.storage import get_engine

    with get_engine(url).begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> Iterator[str | None]:
    if backend == "memory":
        yield None
    elif backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'backcoach.sqlite3'}"
        yield url
        dispose_engines()
    else:
        url = request.getfixturevalue("postgres_url")
        _empty(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A fresh SQL database only (no fake): for schema tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'schema.sqlite3'}"
        dispose_engines()
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def make_uow(backend: str, database_url: str | None) -> Callable[[], Any]:
    """A factory of units of work on one fresh database (the fake keeps its data between calls)."""
    if backend == "memory":
        fake = FakeUnitOfWork()
        return lambda: fake
    return lambda: SqlAlchemyUnitOfWork(database_url)
