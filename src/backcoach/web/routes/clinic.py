"""The clinician's pages: people by what needs attention, one person's record, audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backcoach import services
from backcoach.domain.errors import BackcoachError
from backcoach.services import web_accounts as accounts
from backcoach.web import audit_view, usecases
from backcoach.web.deps import RecordId
from backcoach.web.pages import (Page, PageContext, PostedForm, check_csrf_form, clinician_required, redirect,
                                 role_required)
from backcoach.web.idempotency import FormTokenInvalid
from backcoach.domain.inputs import ADJUSTMENT
from backcoach.web.forms import FormProblems

router = APIRouter(prefix="/clinic")


@router.get("")
def people(ctx: Page):
    clinician = clinician_required(ctx)
    summaries = services.people_for_clinician(ctx.service_uow(write=False), clinician.id, ctx.now)
    accounts.audit(ctx.uow, actor_user_id=clinician.id, person_id=None, action="people.listed",
                   detail={"count": len(summaries)}, now=ctx.now)
    ctx.commit()
    return ctx.render("clinician/people.html", people=summaries, invitations=accounts.recent_invitations(ctx.uow, clinician),
                      new_code=ctx.request.query_params.get("code"), problems=[])


@router.post("/invitations", dependencies=[Depends(check_csrf_form)])
def new_invitation(ctx: Page):
    clinician = clinician_required(ctx)
    code = accounts.create_invitation(ctx.uow, clinician, ctx.now)
    ctx.commit()
    return redirect(f"/clinic?code={code}")


@router.post("/assign", dependencies=[Depends(check_csrf_form)])
def admin_assign(ctx: Page, f: PostedForm):
    admin = role_required(ctx, "admin")
    accounts.admin_assign(ctx.uow, admin, f.get("clinician_email", ""), f.get("person_email", ""), ctx.now)
    ctx.commit()
    return redirect("/clinic?msg=assigned")


def _person_page(ctx: PageContext, person_id: RecordId, problems: list | None = None, status_code: int = 200, values=None,
                 adjust_warnings: tuple = ()):
    clinician = clinician_required(ctx, person_id)
    overview = services.person_overview(ctx.service_uow(write=False), clinician.id, person_id, ctx.now)
    accounts.audit(ctx.uow, actor_user_id=clinician.id, person_id=person_id, action="person.viewed", detail={}, now=ctx.now)
    ctx.commit()
    view = usecases.progress_view(overview.status, overview.charts, voice="clinician")
    program = usecases.program_view(ctx.uow, person_id)
    from backcoach.services.common import catalog

    return ctx.render(
        "clinician/person.html", status_code=status_code, o=overview, st=overview.status, view=view,
        program=program["program"], assessment=program["assessment"], problems=problems or [], values=values or {},
        sessions=[{**s, "rows": [{**e, "name": usecases.exercise_name(e.get("exercise_id", ""))} for e in s["entries"]]}
                  for s in reversed(overview.sessions)],
        all_exercises=[(e.id, e.name) for e in catalog().exercises.values()],
        audit=audit_view.readable(ctx.uow, accounts.audit_entries(ctx.uow, clinician, person_id, limit=30)),
        adjust_warnings=adjust_warnings,
        charts=_outcome_charts(ctx, person_id),
    )


def _outcome_charts(ctx: PageContext, person_id: int) -> list:
    from backcoach.services.outcomes import outcomes_overview
    from backcoach.web.outcomes_view import trend_charts

    return trend_charts(outcomes_overview(ctx.service_uow(write=False), person_id, ctx.now).trends)


@router.get("/people/{person_id}")
def person(person_id: RecordId, ctx: Page):
    return _person_page(ctx, person_id)


@router.post("/people/{person_id}/clearance", dependencies=[Depends(check_csrf_form)])
def clearance(person_id: RecordId, ctx: Page, f: PostedForm):
    clinician = clinician_required(ctx, person_id)
    try:
        return ctx.form_once(f, lambda: services.record_clearance(
            ctx.service_uow(), person_id, by_name=clinician.display_name, note=f.get("note", ""), now=ctx.now,
            by_user_id=clinician.id, ruled_out=f.get("ruled_out", ""), seen_where=f.get("seen_where", "")),
            lambda _: redirect(f"/clinic/people/{person_id}?msg=cleared"))
    except (accounts.AlreadySubmitted, FormTokenInvalid):
        raise
    except BackcoachError as exc:
        return _person_page(ctx, person_id, [str(exc)], 400, f)


@router.post("/people/{person_id}/adjust", dependencies=[Depends(check_csrf_form)])
def adjust(person_id: RecordId, ctx: Page, f: PostedForm):
    clinician = clinician_required(ctx, person_id)
    p = FormProblems()
    # the note and the exercise ids are the service's to check (its words say what to do)
    checked = {spec.name: p.field(f, spec) for spec in ADJUSTMENT
               if spec.name in ("action", "sets", "reps", "hold_s", "band")}
    action, sets, reps, hold_s, band = (checked[k] for k in ("action", "sets", "reps", "hold_s", "band"))
    if p:
        return _person_page(ctx, person_id, list(p), 400, f)
    try:
        return ctx.form_once(f, lambda: services.adjust_program(
            ctx.service_uow(), person_id, f.get("exercise_id", ""), action, f.get("note", ""), ctx.now,
            by_user_id=clinician.id, by_name=clinician.display_name, new_exercise_id=f.get("new_exercise_id") or None,
            sets=sets, reps=reps, hold_s=hold_s, band=band, confirm=f.get("confirm") == "yes"),
            lambda _: redirect(f"/clinic/people/{person_id}?msg=adjusted"))
    except (accounts.AlreadySubmitted, FormTokenInvalid):
        raise
    except services.AdjustmentNeedsConfirmation as exc:
        return _person_page(ctx, person_id, [], 409, f, adjust_warnings=exc.warnings)
    except BackcoachError as exc:
        return _person_page(ctx, person_id, [str(exc)], 400, f)


@router.get("/audit")
def audit_log(ctx: Page):
    import datetime as dt

    clinician = clinician_required(ctx)
    q = ctx.request.query_params
    problems: list[str] = []

    def day(key: str, label: str):
        raw = (q.get(key) or "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(f"{label}: use a date like 2026-11-29 (this filter was left out).")
            return None

    person_raw = (q.get("person") or "").strip()
    person_id = int(person_raw) if person_raw.isdigit() and len(person_raw) < 12 else None
    if person_raw and person_id is None:
        problems.append("Person: choose someone from the list (this filter was left out).")
    day_from, day_to = day("from", "From"), day("to", "To")
    everything = audit_view.readable(ctx.uow, accounts.audit_entries(ctx.uow, clinician, limit=audit_view.READ_LIMIT))
    entries = audit_view.filtered(everything, person_id=person_id, actor=(q.get("clinician") or "").strip() or None,
                                  action=(q.get("action") or "").strip() or None, day_from=day_from, day_to=day_to)
    people = sorted({(e["person_id"], e["whom"]) for e in everything if e.get("person_id")}, key=lambda p: p[1].casefold())
    actors = sorted({(e["actor"], e["who"]) for e in everything}, key=lambda a: a[1].casefold())
    actions = sorted({(e["action"], e["what"]) for e in everything}, key=lambda a: a[1])
    return ctx.render("clinician/audit.html", entries=entries[:audit_view.SHOWN], total=len(entries),
                      shown=audit_view.SHOWN, people=people, actors=actors, actions=actions, problems=problems,
                      f={"person": person_id, "clinician": q.get("clinician") or "", "action": q.get("action") or "",
                         "from": day_from.isoformat() if day_from else "", "to": day_to.isoformat() if day_to else ""})
