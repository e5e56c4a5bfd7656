"""The use cases on real databases (SQLite and PostgreSQL): what the fake cannot prove."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any, Callable

import pytest

from backcoach import services
from backcoach.storage import SqlAlchemyUnitOfWork, upgrade

from answers import CLEAR

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)
ASSESSMENT = {"pain_now": 3, "pain_worst_24h": 4, "side": "left", "radiation": "none", "onset_weeks": 2,
              "bridge_hold_s": 20, "single_leg_bridge_reps_left": 5, "single_leg_bridge_reps_right": 8}


def hours(h: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=h)


def onboard(make_uow: Callable[[], Any]) -> int:
    pid = services.create_person(make_uow(), "Ana", T0)
    services.record_screening(make_uow(), pid, CLEAR, T0)
    services.record_assessment(make_uow(), pid, ASSESSMENT, T0)
    services.start_program(make_uow(), pid, T0)
    return pid


def session(make_uow: Callable[[], Any], pid: int, when: dt.datetime, key: str | None = None) -> dict[str, Any]:
    today = services.todays_session(make_uow(), pid, when)
    entries = [{"exercise_id": i.prescription.exercise_id, "sets": i.prescription.sets, "reps": i.prescription.reps,
                "hold_s": i.prescription.hold_s, "pain_during": 1, "rpe": 5, "form": "good"} for i in today.items]
    return {"exercises": entries, **({"idempotency_key": key} if key else {})}


def test_onboarding_log_and_status_round_trip(make_uow: Callable[[], Any]) -> None:
    pid = onboard(make_uow)
    first = services.log_session(make_uow(), pid, session(make_uow, pid, hours(1)), hours(2))
    services.check_in_pain(make_uow(), pid, 2, hours(23), next_morning=True)
    second = services.log_session(make_uow(), pid, session(make_uow, pid, hours(25)), hours(26))
    assert {d.action for d in first.decisions} == {"hold"}
    assert "progress" in {d.action for d in second.decisions}
    status = services.get_status(make_uow(), pid, hours(27)).to_dict()
    assert status["sessions_logged"] == 2 and status["program_allowed"]
    assert status["decisions"][0]["at"].startswith("2026-03-03T10:00:00")
    overview = services.person_overview(make_uow(), None, pid, hours(27)).to_dict()
    assert overview["screenings"][0]["answers"] == CLEAR


def test_the_same_submission_from_two_threads_is_stored_once(sql_url: str) -> None:
    """Real databases only: the unique idempotency key decides, whichever thread commits first."""
    upgrade(sql_url)

    def make_uow() -> Any:
        return SqlAlchemyUnitOfWork(sql_url)

    pid = onboard(make_uow)
    data = session(make_uow, pid, hours(1), key=f"double-click-{uuid.uuid4().hex}")
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def submit() -> None:
        try:
            barrier.wait()
            results.append(services.log_session(make_uow(), pid, data, hours(2)))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({r.session_id for r in results}) == 1
    assert sum(1 for r in results if not r.duplicate) == 1
    assert services.get_status(make_uow(), pid, hours(3)).sessions_logged == 1


def test_assess_and_start_stores_both_in_one_transaction(make_uow: Callable[[], Any]) -> None:
    pid = services.create_person(make_uow(), "Ana", T0)
    services.record_screening(make_uow(), pid, CLEAR, T0)
    both = services.assess_and_start(make_uow(), pid, ASSESSMENT, hours(1))
    with make_uow() as uow:
        assert [a.id for a in uow.assessments.list_for(pid)] == [both.assessment.assessment_id]
        active = uow.programs.active_for(pid)
        assert active.id == both.program.program_id and active.assessment_id == both.assessment.assessment_id


def test_when_the_program_cannot_start_the_assessment_is_not_stored(make_uow: Callable[[], Any], backend: str,
                                                                    monkeypatch: Any) -> None:
    """A failure while starting the program (here: building it fails) leaves nothing behind:
    no assessment, no new onset date, no program."""
    from backcoach.storage import StorageError

    pid = services.create_person(make_uow(), "Ana", T0)
    services.record_screening(make_uow(), pid, CLEAR, T0)

    def broken_build(*args: Any, **kwargs: Any) -> Any:
        raise StorageError("the program could not be stored")

    monkeypatch.setattr("backcoach.domain.program.build_program", broken_build)
    with pytest.raises(StorageError):
        services.assess_and_start(make_uow(), pid, ASSESSMENT, hours(1))
    with make_uow() as uow:
        assert uow.assessments.list_for(pid) == []
        assert uow.programs.active_for(pid) is None
        if backend != "memory":  # the fake keeps changes made to stored records (it has no rollback for them)
            assert uow.people.get(pid).onset_date is None


def test_a_closed_gate_stores_neither_the_assessment_nor_a_program(make_uow: Callable[[], Any]) -> None:
    from backcoach.domain.errors import ProgramLocked

    pid = services.create_person(make_uow(), "Ana", T0)
    services.record_screening(make_uow(), pid, {**CLEAR, "fever_or_chills": True}, T0)  # urgent: locked
    with pytest.raises(ProgramLocked):
        services.assess_and_start(make_uow(), pid, ASSESSMENT, hours(1))
    with make_uow() as uow:
        assert uow.assessments.list_for(pid) == [] and uow.programs.active_for(pid) is None
