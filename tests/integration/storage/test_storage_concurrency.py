"""log_session reads first and writes in one short transaction; these tests make another
request for the same person commit in between (SQLite and PostgreSQL) and check that
nothing is lost, nothing is decided on stale data, and a repeated form is stored once."""

from __future__ import annotations

import threading
import uuid
from typing import Any, Callable

import pytest

from backcoach import services
from backcoach.services import sessions as sessions_svc
from backcoach.storage import SqlAlchemyUnitOfWork, upgrade

from test_storage_services import hours, onboard, session


@pytest.fixture
def make_uow(sql_url: str) -> Callable[[], Any]:
    upgrade(sql_url)
    return lambda: SqlAlchemyUnitOfWork(sql_url)


def _progressing_person(make_uow: Callable[[], Any]) -> int:
    """Someone whose next session (on day 2) progresses at least one exercise."""
    pid = onboard(make_uow)
    services.log_session(make_uow(), pid, session(make_uow, pid, hours(1)), hours(2))
    services.check_in_pain(make_uow(), pid, 2, hours(23), next_morning=True)
    return pid


def _pause_first_call_until(monkeypatch: pytest.MonkeyPatch, release: threading.Event,
                            paused: threading.Event) -> list[int]:
    """Make the first log_session stop after its reads and decisions, before it writes,
    until `release` is set. Returns a list that counts how often the rules ran."""
    real = sessions_svc.after_session
    calls: list[int] = []

    def after_session(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            paused.set()
            assert release.wait(20)
        return outcome

    monkeypatch.setattr(sessions_svc, "after_session", after_session)
    return calls


def _in_thread(target: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = target()
        except BaseException as exc:  # noqa: BLE001
            out["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    return t, out


def test_a_session_logged_meanwhile_is_not_lost_and_the_late_one_decides_on_it(
        make_uow: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Bug fixed: two session logs for one person at once. The late one used to write the
    program it had read before the other committed (PostgreSQL: the other's progression was
    silently overwritten; SQLite: 'database is locked'). Now it starts again on the new data."""
    pid = _progressing_person(make_uow)
    body = session(make_uow, pid, hours(25))
    release, paused = threading.Event(), threading.Event()
    calls = _pause_first_call_until(monkeypatch, release, paused)

    late_thread, late = _in_thread(lambda: services.log_session(make_uow(), pid, body, hours(26)))
    assert paused.wait(20)
    first = services.log_session(make_uow(), pid, body, hours(26))  # commits while the other waits
    release.set()
    late_thread.join(30)

    assert "error" not in late, late.get("error")
    second = late["result"]
    progressed = {d.exercise_id: d for d in first.decisions if d.action == "progress"}
    assert progressed, "the scenario must change the program"
    for d in second.decisions:
        if d.exercise_id in progressed:
            assert d.before == progressed[d.exercise_id].after  # decided on the program as changed
    assert len(calls) == 3  # the late call ran the rules twice: its first try was stale
    assert services.get_status(make_uow(), pid, hours(27)).sessions_logged == 3
    with make_uow() as uow:
        assert uow.programs.active_for(pid).version == 1 + 3  # started, then three logs, none lost


def test_a_pain_check_in_meanwhile_makes_the_session_log_decide_again(
        make_uow: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _progressing_person(make_uow)
    body = session(make_uow, pid, hours(25))
    release, paused = threading.Event(), threading.Event()
    calls = _pause_first_call_until(monkeypatch, release, paused)

    thread, out = _in_thread(lambda: services.log_session(make_uow(), pid, body, hours(26)))
    assert paused.wait(20)
    services.check_in_pain(make_uow(), pid, 3, hours(25))
    release.set()
    thread.join(30)

    assert "error" not in out, out.get("error")
    assert len(calls) == 2  # the check-in changed what the rules read: they ran again
    assert services.get_status(make_uow(), pid, hours(27)).sessions_logged == 2


def test_the_same_key_committed_meanwhile_is_stored_once(
        make_uow: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _progressing_person(make_uow)
    body = session(make_uow, pid, hours(25), key=f"double-click-{uuid.uuid4().hex}")
    release, paused = threading.Event(), threading.Event()
    _pause_first_call_until(monkeypatch, release, paused)

    thread, out = _in_thread(lambda: services.log_session(make_uow(), pid, body, hours(26)))
    assert paused.wait(20)
    first = services.log_session(make_uow(), pid, body, hours(26))
    release.set()
    thread.join(30)

    assert "error" not in out, out.get("error")
    assert not first.duplicate and out["result"].duplicate
    assert out["result"].session_id == first.session_id
    assert services.get_status(make_uow(), pid, hours(27)).sessions_logged == 2


def test_many_session_logs_for_one_person_at_once_all_count(make_uow: Callable[[], Any]) -> None:
    """No pause this time: real contention from four threads; every log is stored, each on
    the program the previous one left (the program's version moved once per log)."""
    pid = onboard(make_uow)
    bodies = [session(make_uow, pid, hours(1)) for _ in range(4)]
    barrier = threading.Barrier(len(bodies))
    results: list[Any] = []
    errors: list[BaseException] = []

    def submit(body: dict[str, Any]) -> None:
        try:
            barrier.wait()
            results.append(services.log_session(make_uow(), pid, body, hours(2)))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert services.get_status(make_uow(), pid, hours(3)).sessions_logged == 4
    with make_uow() as uow:
        assert uow.programs.active_for(pid).version == 1 + 4


def test_a_session_logged_during_a_check_in_makes_the_check_in_look_again(
        make_uow: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _progressing_person(make_uow)
    real = sessions_svc._monitor
    calls: list[int] = []
    release, paused = threading.Event(), threading.Event()

    def monitor(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            paused.set()
            assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(sessions_svc, "_monitor", monitor)
    thread, out = _in_thread(lambda: services.check_in_pain(make_uow(), pid, 4, hours(26)))
    assert paused.wait(20)
    services.log_session(make_uow(), pid, session(make_uow, pid, hours(25)), hours(26))
    release.set()
    thread.join(30)

    assert "error" not in out, out.get("error")
    assert len(calls) == 3  # the check-in's first look was stale: it looked again
    with make_uow() as uow:
        assert out["result"].entry_id in {p.id for p in uow.pain.list_for(pid)}
