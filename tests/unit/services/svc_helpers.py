"""Answers, clock and helpers shared by the service tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from answers import CLEAR


T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)  # a Monday

SEE_CLINICIAN = {**CLEAR, "onset_weeks": 8}
URGENT = {**CLEAR, "fever_or_chills": True}
URGENT_CANCER = {**CLEAR, "cancer_history": True}
EMERGENCY = {**CLEAR, "saddle_numbness": True}

ASSESSMENT = {
    "pain_now": 3, "pain_worst_24h": 4, "side": "left", "radiation": "none", "onset_weeks": 2,
    "bridge_hold_s": 20, "single_leg_bridge_reps_left": 5, "single_leg_bridge_reps_right": 8,
    "stance_hip_drop_left": True, "stance_hip_drop_right": False,
    "side_lying_hold_s_left": 15, "side_lying_hold_s_right": 30,
}


def days(n: float, hours: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=n, hours=hours)


def session_for(uow: Any, person_id: int, when: dt.datetime, *, pain: int = 1, rpe: int = 5, form: str = "good",
                fraction: float = 1.0, key: str | None = None, pain_now: int | None = None) -> dict[str, Any]:
    """A session file doing today's prescriptions (fraction of the reps; full hold)."""
    from backcoach import services

    today = services.todays_session(uow, person_id, when)
    entries = []
    for item in today.items:
        p = item.prescription
        entry: dict[str, Any] = {"exercise_id": p.exercise_id, "sets": p.sets, "hold_s": p.hold_s,
                                 "pain_during": pain, "rpe": rpe, "form": form}
        if p.reps is not None:
            entry["reps"] = max(int(round(p.reps * fraction)), 0)
        entries.append(entry)
    data: dict[str, Any] = {"exercises": entries}
    if key:
        data["idempotency_key"] = key
    if pain_now is not None:
        data["pain_now"] = pain_now
    return data

# What a clinician records when lifting a pause (both are required).
SEEN = {"ruled_out": "Cauda equina syndrome and infection ruled out", "seen_where": "Emergency department, St Mary's"}


@pytest.fixture
def person(uow: Any) -> int:
    """A new person (fixture; `uow` is the test's unit of work)."""
    from backcoach import services

    return services.create_person(uow, "Ana", T0)


@pytest.fixture
def onboarded(uow: Any, person: int) -> int:
    """A person screened clear, assessed, with a program started at T0 (fixture)."""
    from backcoach import services

    services.record_screening(uow, person, CLEAR, T0)
    services.record_assessment(uow, person, ASSESSMENT, T0)
    services.start_program(uow, person, T0)
    return person
