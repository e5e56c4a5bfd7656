"""Service tests run on the in-memory unit of work with a fixed clock."""

from __future__ import annotations

import pytest

from fakes import FakeUnitOfWork
from svc_helpers import onboarded, person  # noqa: F401  (fixtures)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()
