"""Use cases that export one person's record: an HL7 FHIR R4 bundle and a PDF report.

The record is gathered here once, inside one transaction, then handed to the pure
exporters in `backcoach.exports`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from backcoach.domain.program import Prescription
from backcoach.exports import fhir, report
from backcoach.exports.record import (
    DecisionEntry,
    OutcomeEntry,
    OutcomeSeries,
    PainPoint,
    PersonRecord,
    ScreeningEntry,
)
from backcoach.services.common import person_records, require_aware
from backcoach.services.status import _status
from backcoach.storage.unit_of_work import UnitOfWork


def _describe(prescription: dict[str, Any]) -> str:
    try:
        return Prescription.from_dict(prescription).describe()
    except (KeyError, TypeError, ValueError):
        return ""


def person_record(uow: UnitOfWork, person_id: int, now: dt.datetime) -> PersonRecord:
    """Everything the exporters need about one person, read in one transaction."""
    now = require_aware(now)
    with uow:
        found = person_records(uow, person_id)
        person = found.person
        status = _status(uow, found, now)
        screenings = sorted(uow.screenings.list_for(person.id), key=lambda s: s.at)
        pain = sorted(uow.pain.list_for(person.id), key=lambda p: p.at)
        decisions = sorted(uow.decisions.list_for(person.id), key=lambda d: d.at)
        program = status.program
        outcomes, series = _outcomes(uow.outcomes.list_for(person.id))
        return PersonRecord(
            person_id=person.id,
            display_name=person.display_name,
            generated_at=now,
            screenings=tuple(
                ScreeningEntry(s.at, dict(s.answers), s.level, tuple(s.result.get("reasons", ())))
                for s in screenings
            ),
            pain=tuple(PainPoint(p.at, p.nprs, p.kind) for p in pain),
            decisions=tuple(
                DecisionEntry(d.at, d.exercise_id, d.action, tuple(str(r) for r in d.reasons), d.source,
                              before=_describe(d.before), after=_describe(d.after))
                for d in decisions
            ),
            phase=None if program is None else program.phase,
            prescriptions=() if program is None else tuple(
                {"exercise_id": p.exercise_id, "description": p.describe()} for p in program.prescriptions
            ),
            program_started=None if program is None else program.started_on,
            baseline=status.report.baseline,
            adherence=tuple((w.week_start, w.done, w.planned) for w in status.report.adherence),
            alerts=tuple(a.to_dict() for a in status.report.alerts),
            outcomes=outcomes,
            outcome_series=series,
        )


def _outcomes(rows: list[Any]) -> tuple[tuple[OutcomeEntry, ...], tuple[OutcomeSeries, ...]]:
    """The answered questionnaires, and a trend for each instrument that has answers."""
    from backcoach.domain.outcomes import trend
    from backcoach.services.outcomes import instruments

    offered = {i.id: i for i in instruments()}
    entries = tuple(OutcomeEntry(r.at, r.instrument, offered[r.instrument].title if r.instrument in offered
                                 else r.instrument, r.version, dict(r.answers), r.score, r.band) for r in rows)
    series = []
    for instrument in offered.values():
        points = [(r.at, r.score) for r in rows if r.instrument == instrument.id]
        if points:
            t = trend(instrument, points)
            series.append(OutcomeSeries(instrument.id, instrument.short_title, instrument.score_min,
                                        instrument.score_max, instrument.direction == "higher_is_better",
                                        t.points, t.band_low, t.band_high, t.summary, t.baseline))
    return entries, tuple(series)


def fhir_bundle(uow: UnitOfWork, person_id: int, now: dt.datetime) -> dict[str, Any]:
    """The person's record as a FHIR R4 `collection` Bundle (JSON-ready dict)."""
    return fhir.person_bundle(person_record(uow, person_id, now))


def report_pdf(uow: UnitOfWork, person_id: int, now: dt.datetime) -> bytes:
    """A PDF progress report: summary, pain and adherence charts, decisions with reasons."""
    return report.report_pdf(person_record(uow, person_id, now))


def pain_chart_png(uow: UnitOfWork, person_id: int, now: dt.datetime) -> bytes:
    """The pain-over-time chart with the baseline, as PNG."""
    return report.pain_chart_png(person_record(uow, person_id, now))
