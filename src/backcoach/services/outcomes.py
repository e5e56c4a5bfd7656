"""Use cases around outcome questionnaires: what is due, recording answers, and trends.

The schedule counts from the day the person's first program started (the baseline is
asked then); before any program it counts from the day the record was made.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from backcoach.domain import outcomes as o
from backcoach.domain.errors import BackcoachError
from backcoach.services.common import get_person, require_aware
from backcoach.storage import models as m
from backcoach.storage.unit_of_work import UnitOfWork


class UnknownInstrument(BackcoachError):
    """No questionnaire with this id is offered here."""


@functools.lru_cache(maxsize=1)
def instruments() -> tuple[o.Instrument, ...]:
    """The shipped questionnaires plus any a service supplies (settings ``outcomes_dir``)."""
    from backcoach.catalog import load_outcome_instruments
    from backcoach.settings import get_settings

    extra = get_settings().outcomes_dir
    return load_outcome_instruments(str(extra) if extra else None)


def instrument(instrument_id: str) -> o.Instrument:
    for item in instruments():
        if item.id == instrument_id:
            return item
    known = ", ".join(i.id for i in instruments())
    raise UnknownInstrument(f"There is no questionnaire {instrument_id!r}; known: {known}.")


def schedule_start(uow: UnitOfWork, person_id: int) -> dt.date:
    """The baseline day: when the first program started, else when the record was made."""
    person = get_person(uow, person_id)
    programs = uow.programs.list_for(person_id)
    started = min((p.created_at for p in programs), default=person.created_at)
    return started.date()


@dataclass(frozen=True)
class OutcomesOverview:
    """What the person (or their clinician) sees: due questionnaires, one trend per instrument,
    and the activities named at the baseline (asked again at each follow-up)."""

    start: dt.date
    due: tuple[o.DueOutcome, ...]
    trends: tuple[o.Trend, ...]
    next_due: Optional[dt.date]
    activities: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "due": [d.to_dict() for d in self.due],
                "trends": [t.to_dict() for t in self.trends],
                "next_due": self.next_due.isoformat() if self.next_due else None,
                "activities": list(self.activities)}


def _overview(uow: UnitOfWork, person_id: int, now: dt.datetime) -> OutcomesOverview:
    start = schedule_start(uow, person_id)
    today = now.date()
    rows = uow.outcomes.list_for(person_id)
    answered: dict[str, list[dt.date]] = {}
    series: dict[str, list[tuple[dt.datetime, float]]] = {}
    for row in rows:
        answered.setdefault(row.instrument, []).append(row.at.date())
        series.setdefault(row.instrument, []).append((row.at, row.score))
    offered = instruments()
    due = o.due_outcomes(offered, start, today, answered)
    trends = tuple(o.trend(i, series.get(i.id, ())) for i in offered)
    upcoming = [p[1] for p in (o.next_point(i, start, today) for i in offered) if p is not None]
    return OutcomesOverview(start=start, due=tuple(due), trends=trends, next_due=min(upcoming, default=None),
                            activities=baseline_activities(rows))


def baseline_activities(rows: list[m.OutcomeResponse]) -> tuple[str, ...]:
    """The activities named in the first activities questionnaire, so later ones rate the same."""
    first = next((r for r in rows if r.instrument == "psfs"), None)
    if first is None:
        return ()
    return tuple(a["name"] for a in first.answers.get("activities", ()))


def outcomes_overview(uow: UnitOfWork, person_id: int, now: dt.datetime) -> OutcomesOverview:
    now = require_aware(now)
    with uow:
        return _overview(uow, person_id, now)


@dataclass(frozen=True)
class OutcomeRecorded:
    response_id: int
    score: o.OutcomeScore
    week: Optional[int]
    trend: o.Trend

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.response_id, **self.score.to_dict(), "week": self.week, "trend": self.trend.to_dict()}


def record_outcome(uow: UnitOfWork, person_id: int, instrument_id: str, answers: Mapping[str, Any],
                   now: dt.datetime) -> OutcomeRecorded:
    """Check and score the answers and store them with the schedule point they answer (if one is due)."""
    now = require_aware(now)
    which = instrument(instrument_id)
    scored = o.score(which, answers)
    with uow:
        overview = _overview(uow, person_id, now)
        week = next((d.week for d in overview.due if d.instrument_id == which.id), None)
        rec = uow.outcomes.add(m.OutcomeResponse(
            person_id=person_id, at=now, instrument=which.id, version=which.version, week=week,
            answers=dict(scored.answers), score=scored.score, band=scored.band))
        points = [(r.at, r.score) for r in uow.outcomes.list_for(person_id, which.id)]
        uow.commit()
        return OutcomeRecorded(response_id=rec.id, score=scored, week=week, trend=o.trend(which, points))


def outcome_history(uow: UnitOfWork, person_id: int) -> list[m.OutcomeResponse]:
    with uow:
        get_person(uow, person_id)
        return uow.outcomes.list_for(person_id)
