"""The person's own data over the API: screening, assessment, program, today,
session logs, pain check-ins and progress. A person reaches only their own data;
a clinician reaches the same resources of an assigned person under /api/people/{id}."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from fastapi import APIRouter, Depends, Header, HTTPException, Query

from backcoach.services import screening as screening_svc
from backcoach.web import usecases, views
from backcoach.web.api.inputs import AssessmentIn, PainIn, ScreeningIn, SessionIn, answers_of
from backcoach.web.blocking import BlockingRoute
from backcoach.web.deps import MAX_ID, RecordId, Ctx, PlainJSONResponse, api_ctx, role_required

router = APIRouter(tags=["person"], route_class=BlockingRoute)


def person_of(ctx: Ctx) -> int:
    role_required(ctx, "person")
    return ctx.person_id


@router.get("/screening/questions", summary="The safety-check questions, in order", response_model=list[dict[str, Any]])
def screening_questions(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    return PlainJSONResponse([
        {"key": q.key, "text": q.text, "kind": q.kind, "choices": list(q.choices), "min": q.min, "max": q.max,
         "serious": q.serious, "help": q.help}
        for q in views.screening_questions()
    ])


@router.post("/screenings", status_code=201, summary="Answer the safety check; returns the level and reasons",
             response_model=dict[str, Any])
def post_screening(body: ScreeningIn, ctx: Ctx = Depends(api_ctx),
                   idempotency_key: Optional[str] = Header(default=None, max_length=200)) -> PlainJSONResponse:
    pid = person_of(ctx)
    return ctx.api_once(idempotency_key,
                        lambda: screening_svc.record_screening(ctx.service_uow(), pid, answers_of(body.answers), ctx.now),
                        lambda rec: PlainJSONResponse(rec.to_dict(), status_code=201))


@router.get("/screenings", summary="Screening history, newest first", response_model=list[dict[str, Any]])
def list_screenings(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    return PlainJSONResponse(usecases.screening_history(ctx, person_of(ctx)))


@router.get("/screenings/{screening_id}", summary="One screening result", response_model=dict[str, Any])
def get_screening(screening_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    pid = person_of(ctx)
    rec = ctx.uow.screenings.get(screening_id)
    if rec is None or rec.person_id != pid:
        raise HTTPException(404, "There is no screening with this id in your record.")
    from backcoach.services.common import gate_for

    out = {"id": rec.id, "at": rec.at.isoformat(), "level": rec.level, "answers": rec.answers,
           **screening_svc.stored_result(rec)}
    lock = gate_for(ctx.uow, pid, ctx.now).lock_dict()
    if lock is not None and lock["screening_id"] != rec.id:  # a standing lock: never "you can start"
        out.update(program_allowed=False, next_step=lock["message"], lock=lock)
    return PlainJSONResponse(out)


# -- assessment and program ---------------------------------------------------------------

@router.get("/assessment/self-tests", summary="The self-tests with their instructions and answer fields",
            response_model=list[dict[str, Any]])
def self_tests(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    return PlainJSONResponse([
        {"title": t["title"], "instructions": t["instructions"],
         "fields": [{"key": k, "label": label, "kind": kind, "min": lo, "max": hi} for k, label, kind, lo, hi in t["fields"]]}
        for t in views.self_tests()])


@router.post("/assessments", status_code=201, summary="Answer the assessment; stores it and starts the program",
             response_model=dict[str, Any])
def post_assessment(body: AssessmentIn, ctx: Ctx = Depends(api_ctx),
                    idempotency_key: Optional[str] = Header(default=None, max_length=200)) -> PlainJSONResponse:
    from backcoach import services

    pid = person_of(ctx)

    def write():
        return services.assess_and_start(ctx.service_uow(), pid, answers_of(body.answers), ctx.now).to_dict()

    return ctx.api_once(idempotency_key, write, lambda out: PlainJSONResponse(out, status_code=201))


@router.get("/program", summary="The assessment result and the active program", response_model=dict[str, Any])
def get_program(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    return PlainJSONResponse(usecases.program_view(ctx, person_of(ctx)))


@router.get("/today", summary="Today's session: exercise cards with dose, cues, faults and animation keyframes",
            response_model=dict[str, Any])
def get_today(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    from backcoach import services

    from backcoach.domain.errors import ProgramLocked
    from backcoach.services.common import gate_for

    try:
        session = services.todays_session(ctx.service_uow(write=False), person_of(ctx), ctx.now)
    except ProgramLocked as exc:  # 409 with the reasons and, while one holds, the lock (level, date, findings)
        info = gate_for(ctx.uow, person_of(ctx), ctx.now)
        return PlainJSONResponse({"detail": str(exc), "program_allowed": False, "reasons": list(info.reasons),
                                  "lock": info.lock_dict()}, status_code=409)
    out = session.to_dict()
    out["cards"] = [{k: v for k, v in c.items() if k != "keyframes_json"} for c in usecases.exercise_cards(session)]
    return PlainJSONResponse(out)


# -- session logs -----------------------------------------------------------------------------

@router.post("/sessions", status_code=201, summary="Log a session; returns each exercise's decision with its reasons",
             response_model=dict[str, Any])
def post_session(body: SessionIn, ctx: Ctx = Depends(api_ctx),
                 idempotency_key: Optional[str] = Header(default=None, max_length=200,
                                                         description="Send the same key again and nothing changes")) -> PlainJSONResponse:
    from backcoach import services

    pid = person_of(ctx)
    data = body.model_dump(exclude_none=True, mode="json")
    key = f"api:{pid}:{idempotency_key}" if idempotency_key else None
    logged = services.log_session(ctx.service_uow(write_phase_only=True), pid, data, ctx.now, idempotency_key=key)
    out = logged.to_dict()
    out["decisions"] = usecases.decision_rows(out["decisions"])
    return PlainJSONResponse(out, status_code=201)


@router.get("/sessions", summary="Your logged sessions, oldest first", response_model=list[dict[str, Any]])
def list_sessions(ctx: Ctx = Depends(api_ctx), since: Optional[dt.date] = Query(default=None)) -> PlainJSONResponse:
    pid = person_of(ctx)
    return PlainJSONResponse([usecases.session_dict(s) for s in ctx.uow.sessions.list_for(pid, since=since)])


@router.get("/sessions/{session_id}", summary="One session with its decisions", response_model=dict[str, Any])
def get_session(session_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    pid = person_of(ctx)
    rec = ctx.uow.sessions.get(session_id)
    if rec is None or rec.person_id != pid:
        raise HTTPException(404, "There is no session with this id in your record.")
    return PlainJSONResponse(usecases.session_dict(rec))


# -- pain ----------------------------------------------------------------------------------

@router.post("/pain", status_code=201, summary="Pain check-in (daily, or the next-morning question)",
             response_model=dict[str, Any])
def post_pain(body: PainIn, ctx: Ctx = Depends(api_ctx),
              idempotency_key: Optional[str] = Header(default=None, max_length=200)) -> PlainJSONResponse:
    from backcoach import services

    pid = person_of(ctx)
    return ctx.api_once(idempotency_key, lambda: services.check_in_pain(
        ctx.service_uow(write_phase_only=True), pid, body.nprs, ctx.now, next_morning=body.kind == "next_morning",
        new_symptoms=body.new_symptoms, note=body.note, walked_minutes=body.walked_minutes),
        lambda result: PlainJSONResponse(result.to_dict(), status_code=201))


@router.get("/pain", summary="Your pain entries, oldest first", response_model=list[dict[str, Any]])
def list_pain(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    pid = person_of(ctx)
    return PlainJSONResponse([{"id": p.id, "at": p.at.isoformat(), "nprs": p.nprs, "kind": p.kind,
                               "new_symptoms": p.new_symptoms, "walked_minutes": p.walked_minutes}
                              for p in ctx.uow.pain.list_for(pid)])


@router.get("/progress", summary="Status and the data behind the progress charts", response_model=dict[str, Any])
def get_progress(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    from backcoach import services

    pid = person_of(ctx)
    status = services.get_status(ctx.service_uow(write=False), pid, ctx.now)
    out = status.to_dict()
    out["charts"] = usecases.progress_json(usecases.progress_view(ctx, status, pid, svg=False))
    out["prompts"] = {"next_morning_due": usecases.next_morning_due(ctx, pid),
                      "daily_checkin_done": usecases.daily_checkin_done(ctx, pid),
                      "rescreen_soon": usecases.rescreen_soon(status.gate, ctx.now)}
    return PlainJSONResponse(out)


@router.get("/catalog/exercises", tags=["catalog"], summary="The exercise catalog", response_model=list[dict[str, Any]])
def exercises(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    from backcoach.services.common import catalog

    return PlainJSONResponse([e.to_dict() for e in catalog().exercises.values()])
