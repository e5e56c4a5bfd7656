"""The administrator's API: clinician accounts waiting for approval, and approving or refusing them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from backcoach.services import web_accounts as accounts
from backcoach.web.blocking import BlockingRoute
from backcoach.web.deps import Ctx, PlainJSONResponse, RecordId, api_ctx, role_required

router = APIRouter(prefix="/admin", tags=["administration"], route_class=BlockingRoute)


@router.get("/clinicians", summary="(admin) Clinician accounts, those waiting for approval first",
            response_model=list[dict[str, Any]])
def clinicians(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    admin = role_required(ctx, "admin")
    return PlainJSONResponse([c.to_dict() for c in accounts.clinician_accounts(ctx.uow, admin)])


def _decide(ctx: Ctx, user_id: int, approve: bool) -> PlainJSONResponse:
    admin = role_required(ctx, "admin")
    with ctx.service_uow() as uow:
        decided = accounts.decide_clinician(uow, admin, approve=approve, now=ctx.now, user_id=user_id)
        uow.commit()
    return PlainJSONResponse(decided.to_dict())


@router.post("/clinicians/{user_id}/approve", summary="(admin) Approve a clinician account", response_model=dict[str, Any])
def approve(user_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    return _decide(ctx, user_id, True)


@router.post("/clinicians/{user_id}/refuse", summary="(admin) Refuse a clinician account, or withdraw its approval",
             response_model=dict[str, Any])
def refuse(user_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    return _decide(ctx, user_id, False)
