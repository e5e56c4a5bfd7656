"""Service tests run on the in-memory unit of work with a fixed clock."""

from __future__ import annotations

import pytest

from fakes import FakeUnitOfWork
from svc_helpers import ASSESSMENT, CLEAR, T0

@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def person(uow: FakeUnitOfWork) -> int:
    from backcoach import services

    return services.create_person(uow, "Ana", T0)


@pytest.fixture
def onboarded(uow: FakeUnitOfWork, person: int) -> int:
    """A person screened clear, assessed, with a program started at T0."""
    from backcoach import services

    services.record_screening(uow, person, CLEAR, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.start_program(uow, person, T0)
    return person


