"""A stalled database does not freeze the server (issue 10, finding 5): with another
connection holding the database's lock, static files stay fast, a route that needs the
database answers 503 with Retry-After within a few seconds, and all is well once released."""

from __future__ import annotations

import concurrent.futures
import sqlite3
import time
import uuid

import httpx
import pytest

from server_support import free_port, person_with_program, start_server, stop_server

STATIC = "/static/css/app.css"


def _timed(http: httpx.Client, method: str, url: str, **kw):
    t0 = time.monotonic()
    r = http.request(method, url, **kw)
    return r, time.monotonic() - t0


def _check_stall_and_recovery(base: str, auth: dict[str, str], stall, release) -> None:
    with httpx.Client(base_url=base, timeout=30) as http, httpx.Client(base_url=base, timeout=30) as other:
        r, took = _timed(http, "GET", STATIC)
        assert r.status_code == 200
        stall()
        try:
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                write = pool.submit(_timed, http, "POST", "/api/pain", json={"nprs": 3}, headers=auth)
                time.sleep(0.2)
                static, static_took = _timed(other, "GET", STATIC)  # while the write waits on the database
                r, took = write.result()
            assert r.status_code == 503, r.text
            assert took < 4, took
            assert int(r.headers["retry-after"]) >= 1
            assert "try again" in r.json()["detail"]
            assert static.status_code == 200 and static_took < 2, static_took

            # meanwhile the worker answers at once: 503 for the database, static files fast
            # (1 s: a busy shared test machine; unloaded these take a few milliseconds)
            r, took = _timed(http, "GET", "/api/today", headers=auth)
            assert r.status_code == 503 and took < 1, (r.status_code, took)
            r, took = _timed(other, "GET", STATIC)
            assert r.status_code == 200 and took < 1, took
        finally:
            release()
        deadline = time.monotonic() + 10
        while True:  # recovery: once released, the next try after Retry-After works
            r = http.post("/api/pain", json={"nprs": 3}, headers=auth)
            if r.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(int(r.headers.get("retry-after", "1")))
        assert r.status_code == 201, r.text
        assert len(http.get("/api/pain", headers=auth).json()) == 1


def test_a_locked_sqlite_database_gives_a_fast_503_and_recovers(tmp_path):
    db = tmp_path / "stall.sqlite3"
    port = free_port()
    proc = start_server(f"sqlite:///{db}", port)
    try:
        base = f"http://127.0.0.1:{port}"
        auth = person_with_program(base, f"stall-{uuid.uuid4().hex[:8]}@example.org")
        holder = sqlite3.connect(db, timeout=0, isolation_level=None, check_same_thread=False)

        def stall():
            holder.execute("BEGIN EXCLUSIVE")  # another process's long write holds the lock

        def release():
            holder.execute("ROLLBACK")
            holder.close()

        _check_stall_and_recovery(base, auth, stall, release)
    finally:
        stop_server(proc)


@pytest.mark.postgres
def test_a_locked_postgresql_table_gives_a_fast_503_and_recovers(web_postgres_url):
    import psycopg

    port = free_port()
    proc = start_server(web_postgres_url, port)
    try:
        base = f"http://127.0.0.1:{port}"
        auth = person_with_program(base, f"stall-{uuid.uuid4().hex[:8]}@example.org")
        holder = psycopg.connect(web_postgres_url.replace("postgresql+psycopg://", "postgresql://"))

        def stall():
            # every request reads the account: nothing that needs the database can go on
            holder.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")

        def release():
            holder.rollback()
            holder.close()

        _check_stall_and_recovery(base, auth, stall, release)
    finally:
        stop_server(proc)
