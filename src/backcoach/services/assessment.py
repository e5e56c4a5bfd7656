"""Use cases around the glute assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from backcoach.services.common import person_to_change, require_aware, thresholds
from backcoach.storage import models as m
from backcoach.storage.unit_of_work import UnitOfWork


def assess_answers(answers: Mapping[str, Any]) -> Any:
    """Parse and assess without storing (raises InvalidAnswers; nothing is guessed)."""
    return parse_and_assess(answers)[1]


@dataclass(frozen=True)
class AssessmentRecorded:
    """What record_assessment stored: the new id and the result (profile, starting levels, reasons)."""

    assessment_id: int
    person_id: int
    at: dt.datetime
    result: Any  # domain.assessment.AssessmentResult

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "assessment_id": self.assessment_id, "person_id": self.person_id,
                "at": self.at.isoformat()}


def record_assessment(uow: UnitOfWork, person_id: int, answers: Mapping[str, Any], now: dt.datetime) -> AssessmentRecorded:
    """Assess and store answers + result; also sets the person's onset date from `onset_weeks`."""
    now = require_aware(now)
    parsed, result = parse_and_assess(answers)
    with uow:
        recorded = add_assessment(uow, person_id, parsed, result, now)
        uow.commit()
        return recorded


def parse_and_assess(answers: Mapping[str, Any]) -> tuple[Any, Any]:
    """The parsed answers and their result (raises InvalidAnswers; nothing is guessed)."""
    from backcoach.domain.assessment import assess, parse_assessment

    parsed = parse_assessment(answers, thresholds())
    return parsed, assess(parsed, thresholds())


def add_assessment(uow: UnitOfWork, person_id: int, parsed: Any, result: Any, now: dt.datetime) -> AssessmentRecorded:
    """Stage an assessment in the caller's open transaction (the caller commits)."""
    person = person_to_change(uow, person_id)
    rec = uow.assessments.add(m.Assessment(person_id=person_id, at=now, answers=parsed.to_dict(), result=result.to_dict()))
    onset_weeks = getattr(parsed, "onset_weeks", None)
    if onset_weeks is not None:
        person.onset_date = now.date() - dt.timedelta(days=round(float(onset_weeks) * 7))
    return AssessmentRecorded(assessment_id=rec.id, person_id=person_id, at=now, result=result)
