"""The person's pages: safety check, assessment, today's session, log, check-in, progress."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from backcoach.domain.errors import BackcoachError
from backcoach.services import screening as screening_svc
from backcoach.services import web_accounts as accounts
from backcoach.web import views
from backcoach.web.deps import Ctx, check_csrf_form, page_ctx, redirect, role_required
from backcoach.web.forms import form_data

router = APIRouter()


def _person(ctx: Ctx) -> int:
    role_required(ctx, "person")
    return ctx.person_id


def _has_program(ctx: Ctx, person_id: int) -> bool:
    return ctx.uow.programs.active_for(person_id) is not None


# -- safety check (red-flag screening) -------------------------------------------------

@router.get("/screening")
def screening_page(ctx: Ctx = Depends(page_ctx)):
    _person(ctx)
    return ctx.render("person/screening.html", groups=views.screening_groups(), values={},
                      choice_labels=views.CHOICE_LABELS, problems=[])


@router.post("/screening", dependencies=[Depends(check_csrf_form)])
async def screening_submit(request: Request, ctx: Ctx = Depends(page_ctx)):
    pid = _person(ctx)
    f = await form_data(request)
    answers, problems = views.screening_answers_from_form(f)

    def again(status: int, msgs: list[str]):
        return ctx.render("person/screening.html", status_code=status, groups=views.screening_groups(), values=f,
                          choice_labels=views.CHOICE_LABELS, problems=msgs)

    if problems:
        return again(400, list(problems))
    try:
        rec = ctx.once(f.get("form_token"), lambda: screening_svc.record_screening(ctx.service_uow(), pid, answers, ctx.now))
    except accounts.AlreadySubmitted:
        raise
    except BackcoachError as exc:
        return again(400, [str(exc)])
    return redirect(f"/screening/{rec.screening_id}")


@router.get("/screening/{screening_id}")
def screening_result(screening_id: int, ctx: Ctx = Depends(page_ctx)):
    pid = _person(ctx)
    rec = ctx.uow.screenings.get(screening_id)
    if rec is None or rec.person_id != pid:
        raise accounts.NotAllowed("You do not have access to this screening.")
    result = dict(rec.result)
    result["at"] = rec.at
    return ctx.render("person/screening_result.html", result=result, has_program=_has_program(ctx, pid))
