"""The person's pages: safety check, assessment, today's session, log, check-in, progress."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backcoach import services
from backcoach.domain.errors import BackcoachError, ProgramLocked
from backcoach.services import screening as screening_svc
from backcoach.services import sessions as sessions_svc
from backcoach.services.common import current_gate
from backcoach.services import web_accounts as accounts
from backcoach.web import usecases, views
from backcoach.web.deps import RecordId
from backcoach.web.pages import Page, PageContext, PostedForm, check_csrf_form, redirect, role_required
from backcoach.web.idempotency import FORM_TOKEN_MESSAGE, FormTokenInvalid

router = APIRouter()


def _person(ctx: PageContext) -> int:
    role_required(ctx, "person")
    return ctx.person_id


# -- safety check (red-flag screening) -------------------------------------------------

def _screening_form(ctx: PageContext, values: dict, checked=None, problems=(), status_code: int = 200):
    return ctx.render("person/screening.html", status_code=status_code, groups=views.screening_groups(),
                      values=values, choice_labels=views.CHOICE_LABELS, emergency_group=views.EMERGENCY_GROUP,
                      field_errors=checked.errors if checked else {},
                      summary=views.screening_error_summary(checked) if checked else [], problems=list(problems))


@router.get("/screening")
def screening_page(ctx: Page):
    _person(ctx)
    return _screening_form(ctx, {})


@router.post("/screening", dependencies=[Depends(check_csrf_form)])
def screening_submit(ctx: Page, f: PostedForm):
    """Store the safety check, or show the form again with each question that needs attention marked.

    Unanswered questions send the form back, except when the answers given already point to
    urgent or emergency care: that result is stored and shown at once (listing what was not
    answered), because the person must not be held on the form with a warning sign found.
    """
    from backcoach.domain.screening import Level

    pid = _person(ctx)
    checked = views.screening_answers_from_form(f)
    if checked.invalid:
        return _screening_form(ctx, f, checked, status_code=400)
    if checked.unanswered:
        try:
            found = screening_svc.screen_answers(checked.answers).level
        except BackcoachError as exc:
            return _screening_form(ctx, f, checked, [str(exc)], status_code=400)
        if found < Level.URGENT:
            return _screening_form(ctx, f, checked, status_code=400)
    try:
        return ctx.form_once(f, lambda: screening_svc.record_screening(ctx.service_uow(), pid, checked.answers, ctx.now),
                             lambda rec: redirect(f"/screening/{rec.screening_id}"))
    except (accounts.AlreadySubmitted, FormTokenInvalid):
        raise
    except BackcoachError as exc:
        return _screening_form(ctx, f, None, [str(exc)], status_code=400)


@router.get("/screening/{screening_id}")
def screening_result(screening_id: RecordId, ctx: Page):
    pid = _person(ctx)
    found = screening_svc.screening_looked_up(ctx.service_uow(write=False), pid, screening_id, ctx.now)
    if found is None:
        raise accounts.NotAllowed("You do not have access to this screening.")
    result = screening_svc.stored_result(found.record)  # as it was decided, never re-screened with newer rules
    result["at"] = found.record.at
    return ctx.render("person/screening_result.html", result=result, has_program=found.has_program,
                      lock=found.lock, screening_id=screening_id)


def _locked(ctx: PageContext, exc: Exception, info=None):
    """The program may not continue: say why, and whether a new safety check would help."""
    info = info or current_gate(ctx.service_uow(write=False), ctx.person_id, ctx.now)
    level = info.effective_level.code if info.effective_level is not None else None
    rescreen = level not in ("urgent", "emergency")
    reasons = list(info.reasons) or [str(exc)]
    return ctx.render("person/locked.html", status_code=409, reasons=reasons, rescreen=rescreen,
                      title="A safety check is due" if rescreen else "Your program is paused", lock=info.lock_dict())


# -- assessment and program -----------------------------------------------------------

def _assessment_page(ctx: PageContext, values: dict, problems: list, status_code: int = 200, reminder=None):
    return ctx.render("person/assessment.html", status_code=status_code, values=values, problems=problems,
                      pain_fields=views.ASSESSMENT_PAIN_FIELDS, choice_fields=views.ASSESSMENT_CHOICES,
                      pattern_fields=views.ASSESSMENT_PATTERN, bridge_felt=views.BRIDGE_FELT,
                      tests=views.self_tests(), choice_labels=views.CHOICE_LABELS, reminder=reminder)


@router.get("/assessment")
def assessment_page(ctx: Page):
    pid = _person(ctx)
    info = current_gate(ctx.service_uow(write=False), pid, ctx.now)
    if not info.allowed:
        return _locked(ctx, ProgramLocked("locked"), info)
    values = {}
    latest = info.latest_screening
    if latest is not None:  # carry over what the safety check already asked
        for k in ("pain_now", "pain_worst_24h", "onset_weeks", "radiation"):
            if k in (latest.answers or {}):
                v = latest.answers[k]
                values[k] = f"{v:g}" if isinstance(v, float) else str(v)
    return _assessment_page(ctx, values, [], reminder=info.reminder)


@router.post("/assessment", dependencies=[Depends(check_csrf_form)])
def assessment_submit(ctx: Page, f: PostedForm):

    pid = _person(ctx)
    answers, problems = views.assessment_answers_from_form(f)
    if problems:
        return _assessment_page(ctx, f, list(problems), 400)

    def write():
        return services.assess_and_start(ctx.service_uow(), pid, answers, ctx.now)

    try:
        return ctx.form_once(f, write, lambda _: redirect("/program"))
    except ProgramLocked as exc:
        return _locked(ctx, exc)
    except (accounts.AlreadySubmitted, FormTokenInvalid):
        raise
    except BackcoachError as exc:
        return _assessment_page(ctx, f, [str(exc)], 400)


@router.get("/program")
def program_page(ctx: Page):
    pid = _person(ctx)
    return ctx.render("person/program.html", **usecases.program_view(ctx.uow, pid),
                      lock=current_gate(ctx.service_uow(write=False), pid, ctx.now).lock_dict())


# -- today's session and the log --------------------------------------------------------

def _today_page(ctx: PageContext, pid: int, values: dict, problems: list, status_code: int = 200):

    try:
        session = services.todays_session(ctx.service_uow(write=False), pid, ctx.now)
    except ProgramLocked as exc:
        return _locked(ctx, exc)
    except services.NoProgram:
        return redirect("/assessment")
    prompts = []
    checkins = services.checkins_due(ctx.service_uow(write=False), pid, ctx.now)
    if checkins.next_morning_due:
        prompts.append({"kind": "info", "text": "How is your back this morning, after yesterday's session?",
                        "href": "/checkin?next_morning=1", "action": "Answer the morning question"})
    elif not checkins.daily_checkin_done:
        prompts.append({"kind": "info", "text": "You have not checked in your pain today.",
                        "href": "/checkin", "action": "Pain check-in"})
    read = usecases.short_read(ctx, pid)
    if read is not None:
        prompts.append({"kind": "info", "text": f"Today's short read: {read.title}.", "href": f"/learn#{read.id}",
                        "action": "Read it (1 minute)"})
    if usecases.outcomes_due(ctx, pid):
        prompts.append({"kind": "info", "text": "A few short questions about how your back affects your life are "
                        "due. They take about two minutes.", "href": "/outcomes", "action": "Answer the questions"})
    if usecases.rescreen_soon(session.gate, ctx.now):
        prompts.append({"kind": "warn", "text": "Your weekly safety check is due. It keeps your program safe.",
                        "href": "/screening", "action": "Do the safety check"})
    from backcoach.domain.fields import by_name
    from backcoach.domain.inputs import SESSION_ENTRY

    return ctx.render("person/today.html", status_code=status_code, session=session, cards=usecases.exercise_cards(session),
                      today=ctx.today, prompts=prompts, values=values, problems=problems,
                      entry=by_name(SESSION_ENTRY))


@router.get("/today")
def today_page(ctx: Page):
    return _today_page(ctx, _person(ctx), {}, [])


@router.post("/today/log", dependencies=[Depends(check_csrf_form)])
def log_submit(ctx: Page, f: PostedForm):

    pid = _person(ctx)
    session, problems = usecases.session_log_from_form(f)
    if problems:
        return _today_page(ctx, pid, f, problems, 400)
    token = f.get("form_token")
    if token and not ctx.form_token_valid(token):
        raise FormTokenInvalid(FORM_TOKEN_MESSAGE)
    try:
        logged = services.log_session(ctx.service_uow(write_phase_only=True), pid, session, ctx.now,
                                      idempotency_key=f"form:{pid}:{token}" if token else None)
    except ProgramLocked as exc:
        return _locked(ctx, exc)
    except BackcoachError as exc:
        return _today_page(ctx, pid, f, [str(exc)], 400)
    return redirect(f"/sessions/{logged.session_id}" + ("?duplicate=1" if logged.duplicate else ""))


@router.get("/sessions/{session_id}")
def session_result(session_id: RecordId, ctx: Page):
    pid = _person(ctx)
    rec = sessions_svc.session_record(ctx.service_uow(write=False), pid, session_id)
    if rec is None:
        raise accounts.NotAllowed("You do not have access to this session.")
    return ctx.render("person/session_result.html", session=rec, decisions=usecases.decision_rows(list(rec.decisions)),
                      duplicate=ctx.request.query_params.get("duplicate") == "1")


# -- pain check-in -------------------------------------------------------------------------

def _walking_goal(ctx: PageContext, pid: int):
    from backcoach.services.common import walking_goal_for

    return walking_goal_for(ctx.uow, pid, ctx.now)


@router.get("/checkin")
def checkin_page(ctx: Page):
    pid = _person(ctx)
    next_morning = (services.checkins_due(ctx.service_uow(write=False), pid, ctx.now).next_morning_due
                    or ctx.request.query_params.get("next_morning") == "1")
    return ctx.render("person/checkin.html", next_morning=next_morning, values={}, problems=[],
                      walking=_walking_goal(ctx, pid))


@router.post("/checkin", dependencies=[Depends(check_csrf_form)])
def checkin_submit(ctx: Page, f: PostedForm):
    from backcoach.domain.inputs import CHECKIN
    from backcoach.web.forms import FormProblems

    pid = _person(ctx)
    p = FormProblems()
    checked = {spec.name: p.field(f, spec) for spec in CHECKIN}
    nprs, note, new_symptoms = checked["nprs"], checked["note"], bool(checked["new_symptoms"])
    kind = checked["kind"] or "daily"
    if p:
        return ctx.render("person/checkin.html", status_code=400, next_morning=kind == "next_morning", values=f,
                          problems=list(p), walking=_walking_goal(ctx, pid))
    try:
        return ctx.form_once(f, lambda: services.check_in_pain(
            ctx.service_uow(write_phase_only=True), pid, nprs, ctx.now, next_morning=kind == "next_morning",
            new_symptoms=new_symptoms, note=note, walked_minutes=checked["walked_minutes"]),
            lambda result: ctx.render("person/checkin_done.html", result=result,
                                      decisions=usecases.decision_rows([d.to_dict() for d in result.decisions]),
                                      alerts=[a.to_dict() for a in result.alerts],
                                      new_symptoms=new_symptoms))
    except (accounts.AlreadySubmitted, FormTokenInvalid):
        raise
    except BackcoachError as exc:
        return ctx.render("person/checkin.html", status_code=400, next_morning=kind == "next_morning", values=f,
                          problems=[str(exc)], walking=_walking_goal(ctx, pid))


# -- progress -----------------------------------------------------------------------------

@router.get("/progress")
def progress_page(ctx: Page):

    pid = _person(ctx)
    found = services.get_progress(ctx.service_uow(write=False), pid, ctx.now)
    return ctx.render("person/progress.html", status=found.status, view=usecases.progress_view(found.status, found.charts))
