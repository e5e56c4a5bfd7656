"""Databases for the storage tests: the in-memory fake, a fresh SQLite file per test, and a
fresh PostgreSQL database per test session (created here, dropped at the end).

PostgreSQL: BACKCOACH_TEST_POSTGRES_URL, else the local server at 127.0.0.1:5432 (user
postgres, database test). Tests marked `postgres` skip only when the variable is unset AND
no server answers; with CI=true they fail instead of skipping.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from postgres_support import fresh_postgres_database

from fakes import FakeUnitOfWork

from backcoach.storage import SqlAlchemyUnitOfWork, dispose_engines, upgrade
from backcoach.storage.models import Base


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, dropped afterwards."""
    with fresh_postgres_database("backcoach_test") as url:
        yield url


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
        upgrade(url)
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
