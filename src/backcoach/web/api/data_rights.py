"""A person's data rights over the API: a copy of everything held about them, and deleting
their account (services/data_rights.py explains the grace period)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from backcoach.services import data_rights
from backcoach.web.blocking import BlockingRoute
from backcoach.web.deps import Ctx, PlainJSONResponse, api_ctx, ctx_optional

router = APIRouter(tags=["your data"], route_class=BlockingRoute)


@router.get("/me/export/everything", summary="Everything held about you, as JSON (FHIR: /api/me/export/fhir)",
            response_model=dict)
def export_everything(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    data = data_rights.export_everything(ctx.uow, ctx.account.id, ctx.now)
    return PlainJSONResponse(data, headers={
        "Content-Disposition": f'attachment; filename="backcoach-account-{ctx.account.id}-everything.json"'})


class DeleteIn(BaseModel):
    password: str = Field(max_length=200, description="Your current password, to confirm")


class DeleteOut(BaseModel):
    deletion_due: dt.datetime
    grace_days: int
    detail: str


@router.post("/me/delete", status_code=202, response_model=DeleteOut,
             summary="Delete your account and all your data (after a grace period; logging in cancels)")
def delete_account(body: DeleteIn, request: Request, ctx: Ctx = Depends(api_ctx)) -> DeleteOut:
    from backcoach.web.security import verify_password

    requested = data_rights.request_deletion(ctx.uow, ctx.account.id, body.password,
                                             lambda h, p: verify_password(request.app.state.hasher, h, p), ctx.now)
    days = ctx.settings.deletion_grace_days
    ctx.logout_everywhere()
    return DeleteOut(deletion_due=data_rights.deletion_due(requested, days), grace_days=days,
                     detail="Your account and all your data will be removed then. Every log-in has ended; "
                            "logging in again before then cancels the deletion.")


class PrivacyOut(BaseModel):
    version: str
    url: str = "/privacy"


@router.get("/privacy-notice", response_model=PrivacyOut, summary="The privacy notice's current version")
def privacy_notice(ctx: Ctx = Depends(ctx_optional)) -> PrivacyOut:
    return PrivacyOut(version=data_rights.PRIVACY_NOTICE_VERSION)
