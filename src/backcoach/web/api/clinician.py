"""The clinician's API: assigned people by attention, one person's record, clearance,
program adjustments, invitations and the audit log. A clinician reaches only the
people assigned to them; every read and change of a person's data is audited."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backcoach import services
from backcoach.services import web_accounts as accounts
from backcoach.web import usecases
from backcoach.web.api import schemas as out
from backcoach.web.api.inputs import AdjustmentIn
from backcoach.web.api.schemas import FROM_DICT, respond_with
from backcoach.web.deps import (MAX_ID, ClinicianOfPerson, CurrentAdmin, CurrentClinician, Db, IdempotencyKey, Now,
                                RecordId, Services)

router = APIRouter(prefix="/clinician", tags=["clinician"])


@router.get("/people", summary="Assigned people, most in need of attention first",
            response_model=list[out.PersonSummary], **FROM_DICT)
def people(clinician: CurrentClinician, uow: Db, units: Services, now: Now) -> Any:
    listed = [s.to_dict() for s in services.people_for_clinician(units.read(), clinician.id, now)]
    accounts.audit(uow, actor_user_id=clinician.id, person_id=None, action="people.listed",
                   detail={"count": len(listed), "via": "api"}, now=now)
    uow.commit()
    return listed


@router.get("/people/{person_id}", summary="One person's record: screenings, assessment, program, decisions, pain, sessions",
            response_model=out.PersonRecord, **FROM_DICT)
def person(person_id: RecordId, clinician: ClinicianOfPerson, uow: Db, units: Services, now: Now) -> Any:
    overview = services.person_overview(units.read(), clinician.id, person_id, now)
    accounts.audit(uow, actor_user_id=clinician.id, person_id=person_id, action="person.viewed",
                   detail={"via": "api"}, now=now)
    uow.commit()
    record = overview.to_dict()
    record["charts"] = usecases.progress_json(usecases.progress_view(overview.status, overview.charts, svg=False))
    return record


class ClearanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ruled_out: str = Field(min_length=1, max_length=2000,
                           description="What you ruled out (e.g. cauda equina syndrome, infection, fracture)")
    seen_where: str = Field(min_length=1, max_length=300,
                            description="Where the person was assessed (e.g. emergency department, your clinic)")
    note: str = Field(min_length=1, max_length=2000, description="What you concluded; kept with your name")


@router.post("/people/{person_id}/clearance", status_code=201,
             summary="Record that the person was assessed after an urgent or emergency screen (lifts the pause)",
             response_model=out.ClearanceRecorded, **FROM_DICT)
def clearance(person_id: RecordId, body: ClearanceIn, clinician: ClinicianOfPerson, units: Services, now: Now,
              idempotency_key: IdempotencyKey = None) -> Any:
    return units.once(clinician, idempotency_key, lambda: services.record_clearance(
        units.write(), person_id, by_name=clinician.display_name, note=body.note, now=now,
        by_user_id=clinician.id, ruled_out=body.ruled_out, seen_where=body.seen_where),
        respond_with(out.ClearanceRecorded, 201))


@router.post("/people/{person_id}/adjustments", status_code=201,
             summary="Swap, regress, progress or change the dose, with a note (409 with warnings when it goes "
                     "beyond the program's rules and `confirm` is false)",
             response_model=out.AdjustmentRecorded, **FROM_DICT,
             responses={409: {"model": out.NeedsConfirmation, "description": "Beyond the program's rules: confirm"}})
def adjust(person_id: RecordId, body: AdjustmentIn, clinician: ClinicianOfPerson, units: Services, now: Now,
           idempotency_key: IdempotencyKey = None) -> Any:
    try:
        return units.once(clinician, idempotency_key, lambda: services.adjust_program(
            units.write(), person_id, body.exercise_id, body.action, body.note, now, by_user_id=clinician.id,
            by_name=clinician.display_name, new_exercise_id=body.new_exercise_id, sets=body.sets, reps=body.reps,
            hold_s=body.hold_s, band=body.band, confirm=body.confirm),
            respond_with(out.AdjustmentRecorded, 201))
    except services.AdjustmentNeedsConfirmation as exc:
        return JSONResponse({"detail": str(exc), "warnings": list(exc.warnings), "confirm_required": True},
                            status_code=409)


@router.post("/invitations", status_code=201, summary="Create a one-time invitation code for a person",
             response_model=out.Invitation)
def invitation(clinician: CurrentClinician, uow: Db, now: Now) -> out.Invitation:
    code = accounts.create_invitation(uow, clinician, now)
    uow.commit()
    return out.Invitation(code=code, valid_days=accounts.INVITATION_DAYS)


@router.get("/audit", summary="Who viewed or changed the data of the people you follow",
            response_model=list[out.AuditEntry])
def audit(clinician: CurrentClinician, uow: Db, person_id: Optional[int] = Query(default=None, ge=1, le=MAX_ID)) -> Any:
    return accounts.audit_entries(uow, clinician, person_id)


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clinician_email: str = Field(max_length=320)
    person_email: str = Field(max_length=320)


@router.post("/assignments", status_code=201, summary="(admin) Assign a person to a clinician",
             response_model=out.Assigned)
def assignment(body: AssignmentIn, admin: CurrentAdmin, uow: Db, now: Now) -> out.Assigned:
    accounts.admin_assign(uow, admin, body.clinician_email, body.person_email, now)
    uow.commit()
    return out.Assigned(assigned=True)
