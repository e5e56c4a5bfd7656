"""A person's data rights over the API: a copy of everything held about them, and deleting
their account (services/data_rights.py explains the grace period)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from backcoach.services import data_rights
from backcoach.web.api.schemas import DataExport, respond_with
from backcoach.web.deps import ApiCaller, CurrentAccount, Db, Now
from backcoach.web.slow import run_slow

router = APIRouter(tags=["your data"])


@router.get("/me/export/everything", summary="Everything held about you, as JSON (FHIR: /api/me/export/fhir)",
            response_model=DataExport)
async def export_everything(request: Request, account: CurrentAccount, uow: Db, now: Now) -> Response:
    """Read and encoded (checked against DataExport) on the slow-work threads (web/slow.py): a
    long record is a large answer, and neither its reading nor its encoding may hold up others."""
    def export() -> Response:
        response = respond_with(DataExport)(data_rights.export_everything(uow, account.id, now))
        name = f"backcoach-account-{account.id}-everything.json"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    return await run_slow(request, export)


class DeleteIn(BaseModel):
    password: str = Field(max_length=200, description="Your current password, to confirm")


class DeleteOut(BaseModel):
    deletion_due: dt.datetime
    grace_days: int
    detail: str


@router.post("/me/delete", status_code=202, response_model=DeleteOut,
             summary="Delete your account and all your data (after a grace period; logging in cancels)")
def delete_account(body: DeleteIn, request: Request, caller: ApiCaller, uow: Db, now: Now) -> DeleteOut:
    from backcoach.web.sessions import log_out_everywhere
    from backcoach.web.security import verify_password

    assert caller.account is not None
    requested = data_rights.request_deletion(uow, caller.account.id, body.password,
                                             lambda h, p: verify_password(request.app.state.hasher, h, p), now)
    days = request.app.state.settings.deletion_grace_days
    log_out_everywhere(request, uow, caller)
    return DeleteOut(deletion_due=data_rights.deletion_due(requested, days), grace_days=days,
                     detail="Your account and all your data will be removed then. Every log-in has ended; "
                            "logging in again before then cancels the deletion.")


class PrivacyOut(BaseModel):
    version: str
    url: str = "/privacy"


@router.get("/privacy-notice", response_model=PrivacyOut, summary="The privacy notice's current version")
def privacy_notice() -> PrivacyOut:
    return PrivacyOut(version=data_rights.PRIVACY_NOTICE_VERSION)
