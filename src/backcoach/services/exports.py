"""Use cases that export one person's record: an HL7 FHIR R4 bundle and a PDF report.

The record is gathered here once, inside one transaction, then handed to the pure
exporters in `backcoach.exports`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from backcoach.domain.program import Prescription
from backcoach.exports import fhir, report
from backcoach.exports.record import DecisionEntry, PainPoint, PersonRecord, ScreeningEntry
from backcoach.services.common import get_person, require_aware
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
        person = get_person(uow, person_id)
        status = _status(uow, person, now)
        screenings = sorted(uow.screenings.list_for(person.id), key=lambda s: s.at)
        pain = sorted(uow.pain.list_for(person.id), key=lambda p: p.at)
        decisions = sorted(uow.decisions.list_for(person.id), key=lambda d: d.at)
        program = status.program
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
        )


def fhir_bundle(uow: UnitOfWork, person_id: int, now: dt.datetime) -> dict[str, Any]:
    """The person's record as a FHIR R4 `collection` Bundle (JSON-ready dict)."""
    return fhir.person_bundle(person_record(uow, person_id, now))


def report_pdf(uow: UnitOfWork, person_id: int, now: dt.datetime) -> bytes:
    """A PDF progress report: summary, pain and adherence charts, decisions with reasons."""
    return report.report_pdf(person_record(uow, person_id, now))


def pain_chart_png(uow: UnitOfWork, person_id: int, now: dt.datetime) -> bytes:
    """The pain-over-time chart with the baseline, as PNG."""
    return report.pain_chart_png(person_record(uow, person_id, now))
