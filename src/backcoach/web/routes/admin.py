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
    clinicians = accounts.clinician_accounts(ctx.db, admin)
    return ctx.render("admin/clinicians.html", status_code=status_code, problems=problems or [],
                      pending=[c for c in clinicians if c.approval == "pending"],
                      decided=[c for c in clinicians if c.approval != "pending"])


@router.get("/clinicians")
def clinicians(ctx: Ctx = Depends(page_ctx)):
    return _page(ctx)


async def _decide(request: Request, ctx: Ctx, user_id: int, approve: bool):
    admin = role_required(ctx, "admin")
    f = await form_data(request)

    def write() -> None:
        accounts.decide_clinician(ctx.db, admin, approve=approve, now=ctx.now, user_id=user_id)
        ctx.commit()

    try:
        ctx.once(f.get("form_token"), write)
    except accounts.AccountError as exc:
        ctx.db.rollback()
        return _page(ctx, [str(exc)], 400)
    return redirect("/admin/clinicians?msg=" + ("approved" if approve else "refused"))


@router.post("/clinicians/{user_id}/approve", dependencies=[Depends(check_csrf_form)])
async def approve(user_id: RecordId, request: Request, ctx: Ctx = Depends(page_ctx)):
    return await _decide(request, ctx, user_id, True)


@router.post("/clinicians/{user_id}/refuse", dependencies=[Depends(check_csrf_form)])
async def refuse(user_id: RecordId, request: Request, ctx: Ctx = Depends(page_ctx)):
    return await _decide(request, ctx, user_id, False)
