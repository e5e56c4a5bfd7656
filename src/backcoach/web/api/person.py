"""The person's own data over the API: screening, assessment, program, today,
session logs, pain check-ins and progress. A person reaches only their own data;
a clinician reaches the same resources of an assigned person under /api/people/{id}."""

from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, Field

from backcoach.services import screening as screening_svc
from backcoach.web import usecases, views
from backcoach.web.deps import Ctx, api_ctx, role_required

router = APIRouter(tags=["person"])


def person_of(ctx: Ctx) -> int:
    role_required(ctx, "person")
    return ctx.person_id


class Answers(BaseModel):
    answers: dict[str, Any] = Field(description="Answer key -> value; leave a question out if not answered.")


@router.get("/screening/questions", summary="The safety-check questions, in order")
def screening_questions(ctx: Ctx = Depends(api_ctx)) -> list[dict[str, Any]]:
    return [
        {"key": q.key, "text": q.text, "kind": q.kind, "choices": list(q.choices), "min": q.min, "max": q.max,
         "serious": q.serious, "help": q.help}
        for q in views.screening_questions()
    ]


@router.post("/screenings", status_code=201, summary="Answer the safety check; returns the level and reasons")
def post_screening(body: Answers, ctx: Ctx = Depends(api_ctx),
                   idempotency_key: Optional[str] = Header(default=None, max_length=200)) -> dict[str, Any]:
    pid = person_of(ctx)
    rec = ctx.once(_key(ctx, idempotency_key),
                   lambda: screening_svc.record_screening(ctx.service_uow(), pid, body.answers, ctx.now))
    return rec.to_dict()


@router.get("/screenings", summary="Screening history, newest first")
def list_screenings(ctx: Ctx = Depends(api_ctx)) -> list[dict[str, Any]]:
    return usecases.screening_history(ctx, person_of(ctx))


def _key(ctx: Ctx, idempotency_key: Optional[str]) -> Optional[str]:
    return f"api:{ctx.account.id}:{idempotency_key}" if idempotency_key else None
