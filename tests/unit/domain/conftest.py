"""Fixtures for the domain tests: the shipped catalog and thresholds, answers that raise no flag."""

from __future__ import annotations

import pytest

from .support import ALL_CLEAR


@pytest.fixture
def clear_answers() -> dict[str, object]:
    return dict(ALL_CLEAR)
