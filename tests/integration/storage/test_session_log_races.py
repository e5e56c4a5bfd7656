"""A session log races something that closes the gate (found in the session-5 review): a
check-in reporting new symptoms, or an urgent screen, saved from another device after the
session log read the gate and before it wrote. The session must not be stored on the old gate:
the write phase sees the newer pain entry or screen, the use case runs again, and the gate,
read afresh, refuses it. On SQLite and PostgreSQL, where the reads are merged statements."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "unit" / "services"))
from svc_helpers import ASSESSMENT, T0, URGENT, days, session_for  # noqa: E402

from answers import CLEAR  # noqa: E402

from backcoach import services  # noqa: E402
from backcoach.services.sessions import session_history  # noqa: E402
from backcoach.domain.errors import ProgramLocked  # noqa: E402
from backcoach.storage import repositories  # noqa: E402


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _onboarded(make_uow: Callable[[], Any]) -> int:
    person = services.create_person(make_uow(), "Ana", T0)
    services.record_screening(make_uow(), person, CLEAR, T0)
    services.record_assessment(make_uow(), person, ASSESSMENT, T0)
    services.start_program(make_uow(), person, T0)
    return person


def _right_after_the_gate_is_read(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], Any]) -> list[int]:
    """Run `meanwhile` (another device's request, committed) once, just after a use case read
    the person with their gate's records."""
    read = repositories.SqlPeopleRepository.with_program_and_gate
    fired: list[int] = []

    def with_program_and_gate(self: Any, person_id: int, session_key: Any = None) -> Any:
        found = read(self, person_id, session_key)
        if not fired:
            fired.append(1)
            meanwhile()
        return found

    monkeypatch.setattr(repositories.SqlPeopleRepository, "with_program_and_gate", with_program_and_gate)
    return fired


def test_new_symptoms_checked_in_meanwhile_stop_the_session_log(make_uow: Callable[[], Any],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    person = _onboarded(make_uow)
    when = days(1)
    session = session_for(make_uow(), person, when)
    fired = _right_after_the_gate_is_read(
        monkeypatch, lambda: services.check_in_pain(make_uow(), person, 6, when, new_symptoms=True))
    with pytest.raises(ProgramLocked):
        services.log_session(make_uow(), person, session, when)
    assert fired == [1]
    assert session_history(make_uow(), person) == []


def test_an_urgent_screen_saved_meanwhile_stops_the_session_log(make_uow: Callable[[], Any],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    person = _onboarded(make_uow)
    when = days(1)
    session = session_for(make_uow(), person, when)
    fired = _right_after_the_gate_is_read(
        monkeypatch, lambda: services.record_screening(make_uow(), person, URGENT, when))
    with pytest.raises(ProgramLocked):
        services.log_session(make_uow(), person, session, when)
    assert fired == [1]
    assert session_history(make_uow(), person) == []
