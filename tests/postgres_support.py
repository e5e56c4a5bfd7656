"""A fresh PostgreSQL database for one test session, shared by the storage and web suites.

PostgreSQL: BACKCOACH_TEST_POSTGRES_URL, else the local server at 127.0.0.1:5432 (user
postgres, database test). Without either, the caller's tests skip; with CI=true they fail.
A server that answers but cannot create a database is always a failure.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from parallel_support import worker_name

from backcoach.storage import dispose_engines, upgrade
from backcoach.storage.database import make_engine

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pg_admin_url() -> tuple[str | None, str]:
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


@contextlib.contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """Create a migrated database named PREFIX_<xdist worker>_<random>, yield its URL, drop it afterwards
    (each pytest-xdist worker is a test session of its own, so each gets its own database)."""
    admin_url, why = pg_admin_url()
    if admin_url is None:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {why}")
        pytest.skip(why)
    name = f"{prefix}_{worker_name()}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
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
