"""The gate's service tests (tests/unit/services/test_services_gate.py) again on SQLite and PostgreSQL."""
from __future__ import annotations
import sys
from pathlib import Path
from typing import Any, Callable
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "unit/services"))
from test_services_gate import *  # noqa: F401,F403,E402
from svc_helpers import ASSESSMENT, CLEAR, T0  # noqa: E402


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def uow(make_uow: Callable[[], Any]) -> Any:
    return make_uow()


@pytest.fixture
def person(uow: Any) -> int:
    from backcoach import services
    return services.create_person(uow, "Ana", T0)


@pytest.fixture
def onboarded(uow: Any, person: int) -> int:
    from backcoach import services
    services.record_screening(uow, person, CLEAR, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.start_program(uow, person, T0)
    return person
