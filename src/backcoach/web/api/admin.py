"""The administrator's API: clinician accounts waiting for approval, and approving or refusing them."""

from __future__ import annotations

from fastapi import APIRouter

from backcoach.services import web_accounts as accounts
from backcoach.web.api.schemas import ClinicianAccount
from backcoach.web.deps import CurrentAdmin, Db, RecordId, Services

router = APIRouter(prefix="/admin", tags=["administration"])


@router.get("/clinicians", summary="(admin) Clinician accounts, those waiting for approval first",
            response_model=list[ClinicianAccount])
def clinicians(admin: CurrentAdmin, uow: Db) -> list[dict]:
    return [c.to_dict() for c in accounts.clinician_accounts(uow, admin)]


def _decide(admin: accounts.Account, units: Services, user_id: int, approve: bool) -> dict:
    with units.write() as uow:
        decided = accounts.decide_clinician(uow, admin, approve=approve, now=units.now, user_id=user_id)
        uow.commit()
    return decided.to_dict()


@router.post("/clinicians/{user_id}/approve", summary="(admin) Approve a clinician account",
             response_model=ClinicianAccount)
def approve(user_id: RecordId, admin: CurrentAdmin, units: Services) -> dict:
    return _decide(admin, units, user_id, True)


@router.post("/clinicians/{user_id}/refuse", summary="(admin) Refuse a clinician account, or withdraw its approval",
             response_model=ClinicianAccount)
def refuse(user_id: RecordId, admin: CurrentAdmin, units: Services) -> dict:
    return _decide(admin, units, user_id, False)
