"""Downloads of a person's record: an HL7 FHIR R4 bundle and a PDF report.

A person downloads their own; a clinician those of the people assigned to them
(audited). The pages link here, so the session cookie is enough for a GET. Making
either can take a while, so it runs on the slow-work threads (web/slow.py).
"""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from backcoach.services import exports
from backcoach.services import web_accounts as accounts
from backcoach.web.deps import ClinicianOfPerson, CurrentPerson, Db, RecordId, Services
from backcoach.web.slow import run_slow

router = APIRouter(tags=["exports"])

FHIR_MEDIA_TYPE = "application/fhir+json"


def _fhir(units: Services, person_id: int) -> Response:
    bundle = exports.fhir_bundle(units.read(), person_id, units.now)
    return JSONResponse(bundle, media_type=FHIR_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="backcoach-person-{person_id}-fhir.json"'})


def _pdf(units: Services, person_id: int) -> Response:
    pdf = exports.report_pdf(units.read(), person_id, units.now)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="backcoach-person-{person_id}-report.pdf"'})


def _audited(make: Callable[[Services, int], Response], what: str) -> Callable[..., Response]:
    """`make` for a clinician, after recording in the audit log that they exported the person's record."""
    def export(clinician: ClinicianOfPerson, uow: Db, units: Services, person_id: int) -> Response:
        accounts.audit(uow, actor_user_id=clinician.id, person_id=person_id, action="person.exported",
                       detail={"format": what}, now=units.now)
        uow.commit()
        return make(units, person_id)

    return export


_FHIR_DOC: dict[str, Any] = {200: {"content": {FHIR_MEDIA_TYPE: {}}, "description": "A FHIR R4 collection Bundle"}}
_PDF_DOC: dict[str, Any] = {200: {"content": {"application/pdf": {}}, "description": "A PDF report"}}


@router.get("/me/export/fhir", summary="Your record as an HL7 FHIR R4 bundle", responses=_FHIR_DOC,
            response_class=Response)
async def my_fhir(me: CurrentPerson, units: Services) -> Response:
    return await run_slow(units.request, _fhir, units, me.person_id)


@router.get("/me/export/report.pdf", summary="Your progress report as PDF", responses=_PDF_DOC,
            response_class=Response)
async def my_pdf(me: CurrentPerson, units: Services) -> Response:
    return await run_slow(units.request, _pdf, units, me.person_id)


@router.get("/clinician/people/{person_id}/export/fhir", summary="A person's record as an HL7 FHIR R4 bundle",
            responses=_FHIR_DOC, response_class=Response)
async def person_fhir(person_id: RecordId, clinician: ClinicianOfPerson, uow: Db, units: Services) -> Response:
    return await run_slow(units.request, _audited(_fhir, "fhir"), clinician, uow, units, person_id)


@router.get("/clinician/people/{person_id}/export/report.pdf", summary="A person's progress report as PDF",
            responses=_PDF_DOC, response_class=Response)
async def person_pdf(person_id: RecordId, clinician: ClinicianOfPerson, uow: Db, units: Services) -> Response:
    return await run_slow(units.request, _audited(_pdf, "pdf"), clinician, uow, units, person_id)
