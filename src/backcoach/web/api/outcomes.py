"""Outcome questionnaires over the API: the definitions, what is due, answering, and trends.
A person reaches their own; a clinician reads an assigned person's under /api/clinician."""

from __future__ import annotations

from typing import Any, Optional, Union

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from backcoach.domain import outcomes as o
from backcoach.services import outcomes as outcomes_svc
from backcoach.services import web_accounts as accounts
from backcoach.web.api.schemas import FROM_DICT, DateTime, Shape, respond_with
from backcoach.web.deps import (ClinicianOfPerson, CurrentAccount, CurrentPerson, Db, IdempotencyKey, Now, RecordId,
                                Services)

router = APIRouter(tags=["outcomes"])


class ChoiceOut(Shape):
    value: Union[int, float, str]
    label: str


class ScorePoint(Shape):
    at: DateTime
    score: float


class ItemOut(Shape):
    id: str
    text: str
    kind: str
    min: int
    max: int
    min_label: str
    max_label: str
    choices: list[ChoiceOut]
    required: bool


class QuestionnaireOut(Shape):
    id: str
    version: int
    title: str
    intro: str
    items: list[ItemOut]
    scoring: str
    score_range: tuple[float, float]
    direction: str
    meaningful_change_points: float
    meaningful_change_percent: Optional[float]
    schedule_weeks: list[int]
    source: str
    licence: str


class DueOut(Shape):
    instrument: str
    week: int
    due_on: str
    label: str


class TrendOut(Shape):
    instrument: str
    points: list[ScorePoint]
    baseline: Optional[float]
    band: tuple[Optional[float], Optional[float]]
    latest: Optional[float]
    change: Optional[str]
    summary: str


class OverviewOut(Shape):
    start: str
    due: list[DueOut]
    trends: list[TrendOut]
    next_due: Optional[str]
    activities: list[str]


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(description="Item id -> answer; for the activities questionnaire, "
                                                "'activities': [{'name': ..., 'rating': 0-10}, ...]")


class RecordedOut(Shape):
    id: int
    instrument: str
    version: int
    answers: dict[str, Any]
    score: float
    band: Optional[str]
    answered_items: int
    week: Optional[int]
    trend: TrendOut


def _questionnaire(i: o.Instrument) -> QuestionnaireOut:
    return QuestionnaireOut(
        id=i.id, version=i.version, title=i.title, intro=i.intro,
        items=[ItemOut(id=it.id, text=it.text, kind=it.kind, min=it.min, max=it.max, min_label=it.min_label,
                       max_label=it.max_label, choices=[{"value": c.value, "label": c.label} for c in it.choices],
                       required=it.required) for it in i.items],
        scoring=i.scoring, score_range=(i.score_min, i.score_max), direction=i.direction,
        meaningful_change_points=i.meaningful_change.points, meaningful_change_percent=i.meaningful_change.percent,
        schedule_weeks=list(i.schedule_weeks), source=i.source, licence=i.licence)


@router.get("/outcomes/questionnaires", summary="The outcome questionnaires offered, with their items and scoring",
            response_model=list[QuestionnaireOut])
def questionnaires(account: CurrentAccount) -> list[QuestionnaireOut]:
    if account.role not in ("person", "clinician", "admin"):
        raise accounts.NotAllowed("This page is not available to your account.")
    return [_questionnaire(i) for i in outcomes_svc.instruments()]


@router.get("/outcomes", summary="Your questionnaires due now, and how your scores changed", response_model=OverviewOut)
def overview(me: CurrentPerson, units: Services, now: Now) -> Any:
    return outcomes_svc.outcomes_overview(units.read(), me.person_id, now).to_dict()


@router.post("/outcomes/{instrument_id}", status_code=201, summary="Answer a questionnaire; returns its score and trend",
             response_model=RecordedOut, **FROM_DICT)
def answer(instrument_id: str, body: AnswersIn, me: CurrentPerson, units: Services, now: Now,
           idempotency_key: IdempotencyKey = None) -> Any:
    try:
        outcomes_svc.instrument(instrument_id)
    except outcomes_svc.UnknownInstrument as exc:
        raise HTTPException(404, str(exc)) from None
    return units.once(me, idempotency_key, lambda: outcomes_svc.record_outcome(
        units.write(), me.person_id, instrument_id, body.answers, now), respond_with(RecordedOut, 201))


@router.get("/clinician/people/{person_id}/outcomes", tags=["clinician"],
            summary="An assigned person's questionnaires: due, scores and trends", response_model=OverviewOut)
def person_outcomes(person_id: RecordId, clinician: ClinicianOfPerson, uow: Db, units: Services, now: Now) -> Any:
    found = outcomes_svc.outcomes_overview(units.read(), person_id, now).to_dict()
    accounts.audit(uow, actor_user_id=clinician.id, person_id=person_id, action="outcomes.viewed",
                   detail={"via": "api"}, now=now)
    uow.commit()
    return found
