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
from svc_helpers import URGENT, days, session_for  # noqa: E402
from test_storage_services import onboard  # noqa: E402

from backcoach import services  # noqa: E402
from backcoach.services.sessions import session_history  # noqa: E402
from backcoach.domain.errors import ProgramLocked  # noqa: E402
from backcoach.storage import repositories  # noqa: E402


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


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


MEANWHILE = {
    "new symptoms checked in": lambda make_uow, person, when: services.check_in_pain(make_uow(), person, 6, when,
                                                                                    new_symptoms=True),
    "an urgent screen": lambda make_uow, person, when: services.record_screening(make_uow(), person, URGENT, when),
}


@pytest.mark.parametrize("what", list(MEANWHILE))
def test_what_closes_the_gate_meanwhile_stops_the_session_log(make_uow: Callable[[], Any],
                                                              monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    person = onboard(make_uow)
    when = days(1)
    session = session_for(make_uow(), person, when)
    fired = _right_after_the_gate_is_read(monkeypatch, lambda: MEANWHILE[what](make_uow, person, when))
    with pytest.raises(ProgramLocked):
        services.log_session(make_uow(), person, session, when)
    assert fired == [1]
    assert session_history(make_uow(), person) == []
