"""The person's own data over the API: screening, assessment, program, today,
session logs, pain check-ins and progress. A person reaches only their own data;
a clinician reaches the same resources of an assigned person under /api/people/{id}."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse

from backcoach import services
from backcoach.domain.errors import ProgramLocked
from backcoach.services import screening as screening_svc
from backcoach.services import sessions as sessions_svc
from backcoach.services.common import catalog, current_gate
from backcoach.web import usecases, views
from backcoach.web.api import schemas as out
from backcoach.web.api.inputs import AssessmentIn, PainIn, ScreeningIn, SessionIn, answers_of
from backcoach.web.api.schemas import FROM_DICT, respond_with
from backcoach.web.deps import CurrentAccount, CurrentPerson, Db, IdempotencyKey, Now, RecordId, Services

router = APIRouter(tags=["person"])


@router.get("/screening/questions", summary="The safety-check questions, in order",
            response_model=list[out.ScreeningQuestion])
def screening_questions(me: CurrentAccount) -> list[dict[str, Any]]:
    return [{"key": q.key, "text": q.text, "kind": q.kind, "choices": list(q.choices), "min": q.min, "max": q.max,
             "serious": q.serious, "help": q.help} for q in views.screening_questions()]


@router.post("/screenings", status_code=201, summary="Answer the safety check; returns the level and reasons",
             response_model=out.ScreeningRecorded, **FROM_DICT)
def post_screening(body: ScreeningIn, me: CurrentPerson, units: Services, now: Now,
                   idempotency_key: IdempotencyKey = None) -> Any:
    return units.once(me, idempotency_key,
                      lambda: screening_svc.record_screening(units.write(), me.person_id, answers_of(body.answers), now),
                      respond_with(out.ScreeningRecorded, 201))


@router.get("/screenings", summary="Screening history, newest first", response_model=list[out.ScreeningListed])
def list_screenings(me: CurrentPerson, units: Services) -> Any:
    return screening_svc.screening_history(units.read(), me.person_id)


@router.get("/screenings/{screening_id}", summary="One screening result", response_model=out.ScreeningStored,
            **FROM_DICT)
def get_screening(screening_id: RecordId, me: CurrentPerson, units: Services, now: Now) -> Any:
    found = screening_svc.screening_for(units.read(), me.person_id, screening_id, now)
    if found is None:
        raise HTTPException(404, "There is no screening with this id in your record.")
    return found


# -- assessment and program ---------------------------------------------------------------

@router.get("/assessment/self-tests", summary="The self-tests with their instructions and answer fields",
            response_model=list[out.SelfTest])
def self_tests(me: CurrentAccount) -> Any:
    return [{"title": t["title"], "instructions": t["instructions"],
             "fields": [{"key": k, "label": label, "kind": kind, "min": lo, "max": hi}
                        for k, label, kind, lo, hi in t["fields"]]}
            for t in views.self_tests()]


@router.post("/assessments", status_code=201, summary="Answer the assessment; stores it and starts the program",
             response_model=out.AssessedAndStarted, **FROM_DICT)
def post_assessment(body: AssessmentIn, me: CurrentPerson, units: Services, now: Now,
                    idempotency_key: IdempotencyKey = None) -> Any:
    return units.once(me, idempotency_key, lambda: services.assess_and_start(
        units.write(), me.person_id, answers_of(body.answers), now), respond_with(out.AssessedAndStarted, 201))


@router.get("/program", summary="The assessment result and the active program", response_model=out.ProgramView,
            **FROM_DICT)
def get_program(me: CurrentPerson, uow: Db) -> Any:
    return usecases.program_view(uow, me.person_id)


@router.get("/today", summary="Today's session: exercise cards with dose, cues, faults and animation keyframes",
            response_model=out.Today, **FROM_DICT,
            responses={409: {"model": out.ProgramPaused, "description": "The program may not go on now"}})
def get_today(me: CurrentPerson, units: Services, now: Now) -> Any:
    try:
        session = services.todays_session(units.read(), me.person_id, now)
    except ProgramLocked as exc:  # 409 with the reasons and, while one holds, the lock (level, date, findings)
        info = current_gate(units.read(), me.person_id, now)
        return JSONResponse({"detail": str(exc), "program_allowed": False, "reasons": list(info.reasons),
                             "lock": info.lock_dict()}, status_code=409)
    today = session.to_dict()
    today["cards"] = [{k: v for k, v in c.items() if k != "keyframes_json"} for c in usecases.exercise_cards(session)]
    return today


# -- session logs -----------------------------------------------------------------------------

@router.post("/sessions", status_code=201, summary="Log a session; returns each exercise's decision with its reasons",
             response_model=out.SessionLogged, **FROM_DICT)
def post_session(body: SessionIn, me: CurrentPerson, units: Services, now: Now,
                 idempotency_key: IdempotencyKey = None) -> Any:
    data = body.model_dump(exclude_none=True, mode="json")
    key = f"api:{me.person_id}:{idempotency_key}" if idempotency_key else None
    logged = services.log_session(units.write_phase(), me.person_id, data, now, idempotency_key=key).to_dict()
    logged["decisions"] = usecases.decision_rows(logged["decisions"])
    return logged


@router.get("/sessions", summary="Your logged sessions, oldest first", response_model=list[out.SessionStored])
def list_sessions(me: CurrentPerson, units: Services, since: Optional[dt.date] = Query(default=None)) -> Any:
    return [usecases.session_dict(s) for s in sessions_svc.session_history(units.read(), me.person_id, since=since)]


@router.get("/sessions/{session_id}", summary="One session with its decisions", response_model=out.SessionStored)
def get_session(session_id: RecordId, me: CurrentPerson, units: Services) -> Any:
    rec = sessions_svc.session_record(units.read(), me.person_id, session_id)
    if rec is None:
        raise HTTPException(404, "There is no session with this id in your record.")
    return usecases.session_dict(rec)


# -- pain ----------------------------------------------------------------------------------

@router.post("/pain", status_code=201, summary="Pain check-in (daily, or the next-morning question)",
             response_model=out.CheckinRecorded, **FROM_DICT)
def post_pain(body: PainIn, me: CurrentPerson, units: Services, now: Now,
              idempotency_key: IdempotencyKey = None) -> Any:
    return units.once(me, idempotency_key, lambda: services.check_in_pain(
        units.write_phase(), me.person_id, body.nprs, now, next_morning=body.kind == "next_morning",
        new_symptoms=body.new_symptoms, note=body.note, walked_minutes=body.walked_minutes),
        respond_with(out.CheckinRecorded, 201))


@router.get("/pain", summary="Your pain entries, oldest first", response_model=list[out.PainListed])
def list_pain(me: CurrentPerson, units: Services) -> Any:
    return sessions_svc.pain_history(units.read(), me.person_id)


@router.get("/progress", summary="Status and the data behind the progress charts", response_model=out.Progress,
            **FROM_DICT)
def get_progress(me: CurrentPerson, units: Services, now: Now) -> Any:
    found = services.get_progress(units.read(), me.person_id, now)  # one transaction
    progress = found.status.to_dict()
    progress["charts"] = usecases.progress_json(usecases.progress_view(found.status, found.charts, svg=False))
    progress["prompts"] = {"next_morning_due": found.checkins.next_morning_due,
                           "daily_checkin_done": found.checkins.daily_checkin_done,
                           "rescreen_soon": usecases.rescreen_soon(found.status.gate, now)}
    return progress


@router.get("/catalog/exercises", tags=["catalog"], summary="The exercise catalog", response_model=list[out.Exercise])
def exercises(me: CurrentAccount) -> Any:
    return [e.to_dict() for e in catalog().exercises.values()]
