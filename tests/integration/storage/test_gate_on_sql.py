"""The gate's service tests (tests/unit/services/test_services_gate.py: screening, clearance,
the lock) again on SQLite and PostgreSQL, where the gate reads its records in one statement
(ScreeningRepository.for_gate): its decisions must be the same as on the fake."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "unit" / "services"))
from svc_helpers import onboarded, person  # noqa: E402,F401  (fixtures)
from test_services_gate import *  # noqa: E402,F401,F403  (the tests)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def uow(make_uow: Callable[[], Any]) -> Any:
    return make_uow()
