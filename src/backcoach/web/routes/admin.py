"""The administrator's pages: clinician accounts waiting for approval, approved and refused."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from backcoach.services import web_accounts as accounts
from backcoach.web.blocking import BlockingRoute
from backcoach.web.deps import Ctx, RecordId, check_csrf_form, page_ctx, redirect, role_required
from backcoach.web.forms import form_data

router = APIRouter(prefix="/admin", route_class=BlockingRoute)


def _page(ctx: Ctx, problems: list[str] | None = None, status_code: int = 200):
    admin = role_required(ctx, "admin")
    clinicians = accounts.clinician_accounts(ctx.uow, admin)
    return ctx.render("admin/clinicians.html", status_code=status_code, problems=problems or [],
                      pending=[c for c in clinicians if c.approval == "pending"],
                      decided=[c for c in clinicians if c.approval != "pending"])


@router.get("/clinicians")
def clinicians(ctx: Ctx = Depends(page_ctx)):
    return _page(ctx)


def decide(ctx: Ctx, user_id: int, approve: bool) -> accounts.ClinicianAccount:
    """Approve or refuse in a service unit of work (shared with the one-time token's record)."""
    admin = role_required(ctx, "admin")
    with ctx.service_uow() as uow:
        decided = accounts.decide_clinician(uow, admin, approve=approve, now=ctx.now, user_id=user_id)
        uow.commit()
    return decided


async def _decide(request: Request, ctx: Ctx, user_id: int, approve: bool):
    role_required(ctx, "admin")
    f = await form_data(request)
    try:
        return ctx.form_once(f, lambda: decide(ctx, user_id, approve),
                             lambda _: redirect("/admin/clinicians?msg=" + ("approved" if approve else "refused")))
    except accounts.AccountError as exc:
        return _page(ctx, [str(exc)], 400)


@router.post("/clinicians/{user_id}/approve", dependencies=[Depends(check_csrf_form)])
async def approve(user_id: RecordId, request: Request, ctx: Ctx = Depends(page_ctx)):
    return await _decide(request, ctx, user_id, True)


@router.post("/clinicians/{user_id}/refuse", dependencies=[Depends(check_csrf_form)])
async def refuse(user_id: RecordId, request: Request, ctx: Ctx = Depends(page_ctx)):
    return await _decide(request, ctx, user_id, False)
