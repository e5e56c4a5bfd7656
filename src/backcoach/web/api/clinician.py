"""The clinician's API: assigned people by attention, one person's record, clearance,
program adjustments, invitations and the audit log. A clinician reaches only the
people assigned to them; every read and change of a person's data is audited."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, ConfigDict, Field

from backcoach import services
from backcoach.services import web_accounts as accounts
from backcoach.web import usecases
from backcoach.web.api.inputs import AdjustmentIn
from backcoach.web.blocking import BlockingRoute
from backcoach.web.deps import MAX_ID, RecordId, Ctx, PlainJSONResponse, api_ctx, clinician_required, role_required

router = APIRouter(prefix="/clinician", tags=["clinician"], route_class=BlockingRoute)


@router.get("/people", summary="Assigned people, most in need of attention first", response_model=list[dict[str, Any]])
def people(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    clinician = clinician_required(ctx)
    out = [s.to_dict() for s in services.people_for_clinician(ctx.service_uow(write=False), clinician.id, ctx.now)]
    accounts.audit(ctx.uow, actor_user_id=clinician.id, person_id=None, action="people.listed",
                   detail={"count": len(out), "via": "api"}, now=ctx.now)
    ctx.commit()
    return PlainJSONResponse(out)


@router.get("/people/{person_id}", summary="One person's record: screenings, assessment, program, decisions, pain, sessions",
            response_model=dict[str, Any])
def person(person_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    clinician = clinician_required(ctx, person_id)
    overview = services.person_overview(ctx.service_uow(write=False), clinician.id, person_id, ctx.now)
    accounts.audit(ctx.uow, actor_user_id=clinician.id, person_id=person_id, action="person.viewed",
                   detail={"via": "api"}, now=ctx.now)
    ctx.commit()
    out = overview.to_dict()
    out["charts"] = usecases.progress_json(usecases.progress_view(ctx, overview.status, person_id, svg=False))
    return PlainJSONResponse(out)


class ClearanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ruled_out: str = Field(min_length=1, max_length=2000,
                           description="What you ruled out (e.g. cauda equina syndrome, infection, fracture)")
    seen_where: str = Field(min_length=1, max_length=300,
                            description="Where the person was assessed (e.g. emergency department, your clinic)")
    note: str = Field(min_length=1, max_length=2000, description="What you concluded; kept with your name")


@router.post("/people/{person_id}/clearance", status_code=201,
             summary="Record that the person was assessed after an urgent or emergency screen (lifts the pause)",
             response_model=dict[str, Any])
def clearance(person_id: RecordId, body: ClearanceIn, ctx: Ctx = Depends(api_ctx),
              idempotency_key: Optional[str] = Header(default=None, max_length=200)) -> PlainJSONResponse:
    clinician = clinician_required(ctx, person_id)
    return ctx.api_once(idempotency_key, lambda: services.record_clearance(
        ctx.service_uow(), person_id, by_name=clinician.display_name, note=body.note, now=ctx.now,
        by_user_id=clinician.id, ruled_out=body.ruled_out, seen_where=body.seen_where),
        lambda rec: PlainJSONResponse(rec.to_dict(), status_code=201))


@router.post("/people/{person_id}/adjustments", status_code=201,
             summary="Swap, regress, progress or change the dose, with a note (409 with warnings when it goes "
                     "beyond the program's rules and `confirm` is false)",
             response_model=dict[str, Any])
def adjust(person_id: RecordId, body: AdjustmentIn, ctx: Ctx = Depends(api_ctx),
           idempotency_key: Optional[str] = Header(default=None, max_length=200)) -> PlainJSONResponse:
    clinician = clinician_required(ctx, person_id)
    try:
        return ctx.api_once(idempotency_key, lambda: services.adjust_program(
            ctx.service_uow(), person_id, body.exercise_id, body.action, body.note, ctx.now, by_user_id=clinician.id,
            by_name=clinician.display_name, new_exercise_id=body.new_exercise_id, sets=body.sets, reps=body.reps,
            hold_s=body.hold_s, band=body.band, confirm=body.confirm),
            lambda rec: PlainJSONResponse(rec.to_dict(), status_code=201))
    except services.AdjustmentNeedsConfirmation as exc:
        return PlainJSONResponse({"detail": str(exc), "warnings": list(exc.warnings), "confirm_required": True},
                                 status_code=409)


@router.post("/invitations", status_code=201, summary="Create a one-time invitation code for a person",
             response_model=dict[str, Any])
def invitation(ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    code = accounts.create_invitation(ctx.uow, clinician_required(ctx), ctx.now)
    ctx.commit()
    return PlainJSONResponse({"code": code, "valid_days": accounts.INVITATION_DAYS}, status_code=201)


@router.get("/audit", summary="Who viewed or changed the data of the people you follow",
            response_model=list[dict[str, Any]])
def audit(ctx: Ctx = Depends(api_ctx), person_id: Optional[int] = Query(default=None, ge=1, le=MAX_ID)) -> PlainJSONResponse:
    return PlainJSONResponse(accounts.audit_entries(ctx.uow, clinician_required(ctx), person_id))


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clinician_email: str = Field(max_length=320)
    person_email: str = Field(max_length=320)


@router.post("/assignments", status_code=201, summary="(admin) Assign a person to a clinician",
             response_model=dict[str, Any])
def assignment(body: AssignmentIn, ctx: Ctx = Depends(api_ctx)) -> PlainJSONResponse:
    admin = role_required(ctx, "admin")
    accounts.admin_assign(ctx.uow, admin, body.clinician_email, body.person_email, ctx.now)
    ctx.commit()
    return PlainJSONResponse({"assigned": True}, status_code=201)
