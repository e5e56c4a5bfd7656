"""Shared test data for the domain tests."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from answers import CLEAR as ALL_CLEAR  # noqa: F401  (the domain tests' name for it)

# Modest and deadline-free, applied per test (not a global profile: other suites share the run).
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

