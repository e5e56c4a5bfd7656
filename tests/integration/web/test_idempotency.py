"""Idempotent writes (issue 10, findings 3 and 4): the key is stored in the same transaction
as the write (never "already sent" with nothing stored), a replay gets the original answer,
keys belong to one account, and page-form tokens are issued by the server for one session."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from .conftest import new_client, person_with_program, screening_answers, sign_up


def _form(user, url):
    return user.page_tokens(user.client.get(url).text)


def _key_rows_visible_elsewhere(app, fragment: str) -> int:
    """Rows naming this key, as another connection sees them (only committed rows)."""
    engine = create_engine(app.state.engine.url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            n = 0
            if "web_form_submissions" in names:  # before issue 10
                n += conn.execute(text("SELECT count(*) FROM web_form_submissions WHERE token LIKE :k"),
                                  {"k": f"%{fragment}%"}).scalar()
            if "web_idempotency" in names:
                n += conn.execute(text("SELECT count(*) FROM web_idempotency WHERE key LIKE :k"),
                                  {"k": f"%{fragment}%"}).scalar()
            return n
    finally:
        engine.dispose()


def test_the_key_is_not_committed_before_the_write(app, monkeypatch):
    """Were the key committed first, a crash between the two would leave "already sent" with
    nothing stored: so while the write runs, no other connection may see the key yet."""
    from backcoach import services

    user = person_with_program(app)
    seen = []
    original = services.check_in_pain

    def spying(*args, **kwargs):
        seen.append(_key_rows_visible_elsewhere(app, "crash-window-1"))
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "check_in_pain", spying)
    r = user.post("/api/pain", json={"nprs": 2}, headers={"Idempotency-Key": "crash-window-1"})
    assert r.status_code == 201, r.text
    assert seen == [0]
    assert _key_rows_visible_elsewhere(app, "crash-window-1") == 1


def test_a_failed_write_stores_neither_the_write_nor_the_key(app, monkeypatch):
    """An assessment stores the assessment and starts the program: both with the key, or nothing."""
    user = sign_up(app)
    assert user.post("/api/screenings", json={"answers": screening_answers("clear")}).status_code == 201

    def broken_start(*args, **kwargs):
        raise RuntimeError("the process dies here")

    monkeypatch.setattr("backcoach.domain.program.build_program", broken_start)  # starting the program fails
    from .conftest import ASSESSMENT

    r = user.post("/api/assessments", json={"answers": ASSESSMENT}, headers={"Idempotency-Key": "assess-1"})
    assert r.status_code == 500
    assert user.get("/api/program").json()["assessment"] is None  # the assessment was not kept alone
    monkeypatch.undo()
    r = user.post("/api/assessments", json={"answers": ASSESSMENT}, headers={"Idempotency-Key": "assess-1"})
    assert r.status_code == 201, r.text  # the retry is not refused
    assert user.get("/api/program").json()["program"] is not None


def test_a_replayed_key_gets_the_original_answer(app):
    user = person_with_program(app)
    first = user.post("/api/pain", json={"nprs": 4, "note": "after gardening"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.text
    again = user.post("/api/pain", json={"nprs": 4, "note": "after gardening"}, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(user.get("/api/pain").json()) == 1


def test_the_same_key_for_a_different_request_is_refused(app):
    user = person_with_program(app)
    assert user.post("/api/pain", json={"nprs": 4}, headers={"Idempotency-Key": "k-2"}).status_code == 201
    r = user.post("/api/pain", json={"nprs": 9}, headers={"Idempotency-Key": "k-2"})
    assert r.status_code == 422 and "different request" in r.json()["detail"]
    assert [p["nprs"] for p in user.get("/api/pain").json()] == [4]


def test_keys_belong_to_one_account(app):
    """Person A cannot use up B's keys, through a forged page-form token or the API."""
    a = person_with_program(app)
    b = sign_up(app)
    b_id = b.account["id"]
    tokens = _form(a, "/checkin")
    forged = {**tokens, "form_token": f"api:{b_id}:weekly-screen", "nprs": "2", "kind": "daily"}
    r = a.client.post("/checkin", data=forged)
    assert r.status_code == 403  # not a token the server issued for A's session
    assert a.post("/api/screenings", json={"answers": screening_answers("clear")},
                  headers={"Idempotency-Key": "weekly-screen"}).status_code == 201

    r = b.post("/api/screenings", json={"answers": screening_answers("urgent")},
               headers={"Idempotency-Key": "weekly-screen"})
    assert r.status_code == 201, r.text
    assert r.json()["level"] == "urgent"
    assert [s["level"] for s in b.get("/api/screenings").json()] == ["urgent"]


def test_a_form_token_from_another_session_is_refused(app):
    user = person_with_program(app)
    tokens = _form(user, "/checkin")
    other = new_client(app)
    csrf = other.get("/api/auth/csrf").json()["csrf_token"]
    from .conftest import PASSWORD

    other.post("/api/auth/login", json={"email": user.email, "password": PASSWORD}, headers={"X-CSRF-Token": csrf})
    own = user.page_tokens(other.get("/checkin").text)
    r = other.post("/checkin", data={**own, "form_token": tokens["form_token"], "nprs": "2", "kind": "daily"})
    assert r.status_code == 403
    assert user.get("/api/pain").json() == []


def test_a_page_form_sent_twice_answers_with_the_first_result(app):
    user = sign_up(app)
    tokens = _form(user, "/screening")
    answers = {k: ("yes" if v is True else "no" if v is False else str(v)) for k, v in screening_answers().items()}
    first = user.client.post("/screening", data={**tokens, **answers}, follow_redirects=False)
    assert first.status_code == 303, first.text
    again = user.client.post("/screening", data={**tokens, **answers}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"]
    assert len(user.get("/api/screenings").json()) == 1


def test_the_same_key_sent_twice_at_once_is_saved_once(app):
    """Two copies of one request racing (a double tap on a slow network): one write, one answer."""
    import concurrent.futures

    user = person_with_program(app)
    clients = [new_client(app) for _ in range(4)]

    def send(client):
        return client.post("/api/pain", json={"nprs": 5, "note": "race"},
                           headers={**user.bearer, "Idempotency-Key": "race-1"})

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, clients))
    assert [r.status_code for r in answers] == [201] * 4, [r.text for r in answers]
    assert len({r.text for r in answers}) == 1
    assert len(user.get("/api/pain").json()) == 1


def test_old_idempotency_records_are_dropped_after_30_days(app, clock):
    import datetime as dt

    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork
    from backcoach.web.idempotency import KEEP_DAYS, purge_old

    user = person_with_program(app)
    assert user.post("/api/pain", json={"nprs": 1}, headers={"Idempotency-Key": "old-1"}).status_code == 201
    with SqlAlchemyUnitOfWork(session_factory=app.state.sessionmaker) as uow:
        assert purge_old(uow, clock() + dt.timedelta(days=KEEP_DAYS + 1)) >= 1
        uow.commit()
    assert _key_rows_visible_elsewhere(app, "old-1") == 0
