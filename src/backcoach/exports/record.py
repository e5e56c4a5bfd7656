"""The plain record of one person that every exporter reads.

Exporters take this value rather than a database session, so they stay pure and
can be tested on records built in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ScreeningEntry:
    at: datetime
    answers: dict[str, Any]
    level: str
    reasons: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class PainPoint:
    at: datetime
    nprs: int
    kind: str = "daily"


@dataclass(frozen=True)
class DecisionEntry:
    at: datetime
    exercise_id: str
    action: str
    reasons: tuple[str, ...]
    source: str = "rule"
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class OutcomeEntry:
    """One answered questionnaire as stored (answers, score and the instrument version)."""

    at: datetime
    instrument: str
    title: str
    version: int
    answers: dict[str, Any]
    score: float
    band: str | None = None


@dataclass(frozen=True)
class OutcomeSeries:
    """One questionnaire's scores over time with its meaningful-change band around the baseline."""

    instrument: str
    title: str
    score_min: float
    score_max: float
    higher_is_better: bool
    points: tuple[tuple[datetime, float], ...]
    band_low: float | None
    band_high: float | None
    summary: str
    baseline: float | None = None


@dataclass(frozen=True)
class PersonRecord:
    person_id: int
    display_name: str
    generated_at: datetime
    screenings: tuple[ScreeningEntry, ...] = ()
    pain: tuple[PainPoint, ...] = ()
    decisions: tuple[DecisionEntry, ...] = ()
    phase: str | None = None
    prescriptions: tuple[dict[str, Any], ...] = ()
    program_started: date | None = None
    baseline: float | None = None
    adherence: tuple[tuple[date, int, int], ...] = ()
    alerts: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    outcomes: tuple[OutcomeEntry, ...] = ()
    outcome_series: tuple[OutcomeSeries, ...] = ()
