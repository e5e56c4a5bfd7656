"""Pooled PostgreSQL connections the server dropped (it restarted, a firewall cut the socket):
a connection that sat idle is checked before it is handed out and replaced, so nothing fails;
one in steady use is not pinged (a round trip saved per check-out), and if the server went away
under it, that one statement fails with the clear "cannot reach" message and the pool starts
afresh, so the next unit of work works."""

from __future__ import annotations

import time
from typing import Iterator

import pytest
from sqlalchemy import text

from backcoach.storage import SqlAlchemyUnitOfWork
from backcoach.storage.database import IDLE_BEFORE_PING_S, DatabaseUnavailable, make_engine
from backcoach.storage.unit_of_work import session_factory_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[object]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _drop_on_the_server(engine, pid: int) -> None:
    """What a server restart does to one pooled connection: its backend is gone."""
    admin = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
            deadline = time.monotonic() + 5
            while conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar_one():
                assert time.monotonic() < deadline
                conn.rollback()
                time.sleep(0.05)
    finally:
        admin.dispose()


def test_a_connection_in_steady_use_is_handed_out_without_a_ping(engine) -> None:
    first = _backend_pid(engine)
    pings: list[int] = []
    dialect = engine.dialect
    original = dialect.do_ping
    dialect.do_ping = lambda dbapi_connection: pings.append(1) or original(dbapi_connection)
    try:
        for _ in range(5):
            assert _backend_pid(engine) == first  # the same pooled connection, not pinged
    finally:
        dialect.do_ping = original
    assert pings == []


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(engine) -> None:
    first = _backend_pid(engine)
    _drop_on_the_server(engine, first)
    time.sleep(IDLE_BEFORE_PING_S + 0.1)
    second = _backend_pid(engine)  # no error: the ping found it dead and the pool opened another
    assert second != first


def test_a_connection_dropped_while_in_steady_use_fails_once_clearly_then_the_pool_recovers(engine) -> None:
    factory = session_factory_for(engine)
    with SqlAlchemyUnitOfWork(session_factory=factory) as uow:
        pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    _drop_on_the_server(engine, pid)
    with pytest.raises(DatabaseUnavailable, match="cannot reach the database"):
        with SqlAlchemyUnitOfWork(session_factory=factory) as uow:
            uow.session.execute(text("SELECT 1"))
    with SqlAlchemyUnitOfWork(session_factory=factory) as uow:  # the next one gets a new connection
        assert uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


def test_statements_are_prepared_at_first_use_and_planned_once(engine) -> None:
    """Each statement is prepared on its connection the first time and keeps one plan
    (storage.database.PG_PLAN_OPTIONS): what bench_web.py on PostgreSQL gains its CPU from."""
    with engine.connect() as conn:
        assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_generic_plan"
        for person_id in (1, 2, 3):
            conn.execute(text("SELECT count(*) FROM people WHERE id = :person_id"), {"person_id": person_id}).all()
        prepared = conn.execute(text("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
                                     "WHERE statement LIKE 'SELECT count(*) FROM people%'")).all()
    assert len(prepared) == 1
    assert prepared[0].custom_plans == 0 and prepared[0].generic_plans == 3
