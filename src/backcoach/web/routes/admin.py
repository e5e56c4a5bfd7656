"""The administrator's pages: clinician accounts waiting for approval, approved and refused."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backcoach.services import web_accounts as accounts
from backcoach.web.deps import RecordId
from backcoach.web.pages import Page, PageContext, PostedForm, check_csrf_form, redirect, role_required

router = APIRouter(prefix="/admin")


def _page(ctx: PageContext, problems: list[str] | None = None, status_code: int = 200):
    admin = role_required(ctx, "admin")
    clinicians = accounts.clinician_accounts(ctx.uow, admin)
    return ctx.render("admin/clinicians.html", status_code=status_code, problems=problems or [],
                      pending=[c for c in clinicians if c.approval == "pending"],
                      decided=[c for c in clinicians if c.approval != "pending"])


@router.get("/clinicians")
def clinicians(ctx: Page):
    return _page(ctx)


def decide(ctx: PageContext, user_id: int, approve: bool) -> accounts.ClinicianAccount:
    """Approve or refuse in a service unit of work (shared with the one-time token's record)."""
    admin = role_required(ctx, "admin")
    with ctx.service_uow() as uow:
        decided = accounts.decide_clinician(uow, admin, approve=approve, now=ctx.now, user_id=user_id)
        uow.commit()
    return decided


def _decide(ctx: PageContext, user_id: int, approve: bool, f: dict[str, str]):
    role_required(ctx, "admin")
    try:
        return ctx.form_once(f, lambda: decide(ctx, user_id, approve),
                             lambda _: redirect("/admin/clinicians?msg=" + ("approved" if approve else "refused")))
    except accounts.AccountError as exc:
        return _page(ctx, [str(exc)], 400)


@router.post("/clinicians/{user_id}/approve", dependencies=[Depends(check_csrf_form)])
def approve(user_id: RecordId, ctx: Page, f: PostedForm):
    return _decide(ctx, user_id, True, f)


@router.post("/clinicians/{user_id}/refuse", dependencies=[Depends(check_csrf_form)])
def refuse(user_id: RecordId, ctx: Page, f: PostedForm):
    return _decide(ctx, user_id, False, f)
