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
