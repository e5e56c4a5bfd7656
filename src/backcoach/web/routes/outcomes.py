"""The person's questionnaires page (what is due, the forms, how the scores changed) and the
short reads about back pain."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from backcoach.domain.errors import BackcoachError
from backcoach.services import outcomes as outcomes_svc
from backcoach.services import web_accounts as accounts
from backcoach.web.pages import AnyPage, Page, PageContext, PostedForm, check_csrf_form, redirect, role_required
from backcoach.web.idempotency import FormTokenInvalid
from backcoach.web.outcomes_view import ACTIVITY_SLOTS, answers_from_form, trend_charts

router = APIRouter()


def _page(ctx: PageContext, pid: int, problems: dict[str, list[str]] | None = None, values: dict[str, str] | None = None,
          status_code: int = 200, saved: str | None = None):
    overview = outcomes_svc.outcomes_overview(ctx.service_uow(write=False), pid, ctx.now)
    offered = {i.id: i for i in outcomes_svc.instruments()}
    due_ids = [d.instrument_id for d in overview.due]
    charts = trend_charts(overview.trends)
    return ctx.render("person/outcomes.html", status_code=status_code, overview=overview, offered=offered,
                      due_ids=due_ids, charts=charts, problems=problems or {}, values=values or {},
                      activity_slots=ACTIVITY_SLOTS, saved=saved)


@router.get("/learn")
def learn_page(ctx: AnyPage):
    """The short reads; open to anyone (they hold no one's data)."""
    from backcoach.catalog import load_education

    return ctx.render("learn.html", topics=load_education())


@router.get("/outcomes")
def outcomes_page(ctx: Page):
    role_required(ctx, "person")
    saved = ctx.request.query_params.get("saved")
    return _page(ctx, ctx.person_id, saved=saved if saved in {i.id for i in outcomes_svc.instruments()} else None)


@router.post("/outcomes/{instrument_id}", dependencies=[Depends(check_csrf_form)])
def outcomes_submit(instrument_id: str, ctx: Page, f: PostedForm):
    role_required(ctx, "person")
    pid = ctx.person_id
    try:
        which = outcomes_svc.instrument(instrument_id)
    except outcomes_svc.UnknownInstrument as exc:
        raise HTTPException(404, str(exc)) from None
    answers = answers_from_form(which, f)
    try:
        return ctx.form_once(f, lambda: outcomes_svc.record_outcome(ctx.service_uow(), pid, which.id, answers,
                                                                    ctx.now),
                             lambda _: redirect(f"/outcomes?saved={which.id}"))
    except (accounts.AlreadySubmitted, FormTokenInvalid):
        raise
    except BackcoachError as exc:
        return _page(ctx, pid, problems={which.id: [str(exc)]}, values=dict(f), status_code=400)
