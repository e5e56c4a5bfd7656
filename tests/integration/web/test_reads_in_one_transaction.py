"""Reads that a page or an API answer shows together come from one service call (one unit of
work, one transaction), not from the request's own unit of work and a service's side by side;
and what they show stays the same."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import event

from .conftest import ASSESSMENT, full_session, person_with_program, screening_answers, sign_up

MORNING_PROMPT = "How is your back this morning, after yesterday&#39;s session?"
DAILY_PROMPT = "You have not checked in your pain today."


@contextmanager
def checkouts(app: Any) -> Iterator[list[int]]:
    """Counts the connections taken from the app's pool meanwhile."""
    seen = [0]

    def count(*_: Any) -> None:
        seen[0] += 1

    pool = app.state.engine.pool
    event.listen(pool, "checkout", count)
    try:
        yield seen
    finally:
        event.remove(pool, "checkout", count)


def test_progress_takes_one_connection_besides_the_callers_check(app):
    user = person_with_program(app)
    with checkouts(app) as seen:
        r = user.get("/api/progress")
    assert r.status_code == 200, r.text
    # one to find who is asking (their live log-in), one for the status, the charts and the prompts
    assert seen[0] == 2


def test_a_session_log_reads_and_writes_on_one_connection(app):
    user = person_with_program(app)
    today = user.get("/api/today").json()
    with checkouts(app) as seen:
        r = user.post("/api/sessions", json=full_session(today), headers={"Idempotency-Key": "one-connection"})
    assert r.status_code == 201, r.text
    # the caller's check, then the session log's reads and its short write transaction on one connection
    assert seen[0] == 2
    with checkouts(app) as seen:
        assert user.post("/api/pain", json={"nprs": 2}).status_code == 201
    assert seen[0] == 2
    assert len(user.get("/api/sessions").json()) == 1


def test_the_check_in_prompts_follow_the_check_ins(app, clock):
    user = person_with_program(app)
    today = user.get("/api/today").json()
    assert user.post("/api/sessions", json=full_session(today)).status_code == 201

    prompts = user.get("/api/progress").json()["prompts"]
    assert prompts["daily_checkin_done"] is False and prompts["next_morning_due"] is False
    page = user.client.get("/today").text
    assert DAILY_PROMPT in page and MORNING_PROMPT not in page

    assert user.post("/api/pain", json={"nprs": 2}).status_code == 201
    progress = user.get("/api/progress").json()
    assert progress["prompts"]["daily_checkin_done"] is True and progress["prompts"]["next_morning_due"] is False
    assert [p["nprs"] for p in progress["charts"]["pain"]] == [2]
    assert DAILY_PROMPT not in user.client.get("/today").text

    clock.advance(days=1)  # the morning after the session
    prompts = user.get("/api/progress").json()["prompts"]
    assert prompts["next_morning_due"] is True and prompts["daily_checkin_done"] is False
    assert MORNING_PROMPT in user.client.get("/today").text
    assert "Good morning — how is your back?" in user.client.get("/checkin").text

    assert user.post("/api/pain", json={"nprs": 3, "kind": "next_morning"}).status_code == 201
    prompts = user.get("/api/progress").json()["prompts"]
    assert prompts["next_morning_due"] is False
    assert "Good morning — how is your back?" not in user.client.get("/checkin").text
    page = user.client.get("/progress")
    assert page.status_code == 200 and "<svg" in page.text


def test_the_screening_result_page_says_whether_a_program_runs(app):
    user = sign_up(app)
    first = user.post("/api/screenings", json={"answers": screening_answers("clear")}).json()["screening_id"]
    page = user.client.get(f"/screening/{first}").text
    assert 'class="button" href="/assessment"' in page and 'class="button" href="/today"' not in page
    assert user.post("/api/assessments", json={"answers": ASSESSMENT}).status_code == 201
    page = user.client.get(f"/screening/{first}").text
    assert 'class="button" href="/today"' in page and 'class="button" href="/assessment"' not in page
    assert sign_up(app).client.get(f"/screening/{first}").status_code == 403  # someone else's


def test_the_clinic_page_lists_the_newest_invitation_codes(app):
    doc = sign_up(app, "clinician")
    codes = [doc.post("/api/clinician/invitations").json()["code"] for _ in range(12)]
    page = doc.client.get("/clinic").text
    listed = [c for c in codes if f"<td>{c}</td>" in page]
    assert listed == codes[-10:]  # the ten newest, the newest first
    assert page.index(codes[-1]) < page.index(codes[-2])
