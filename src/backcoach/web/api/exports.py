"""Downloads of a person's record: an HL7 FHIR R4 bundle and a PDF report.

A person downloads their own; a clinician those of the people assigned to them
(audited). The pages link here, so the session cookie is enough for a GET.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from backcoach.services import exports
from backcoach.services import web_accounts as accounts
from backcoach.web.blocking import BlockingRoute
from backcoach.web.deps import Ctx, RecordId, api_ctx, clinician_required, role_required

router = APIRouter(tags=["exports"], route_class=BlockingRoute)

FHIR_MEDIA_TYPE = "application/fhir+json"


def _fhir(ctx: Ctx, person_id: int) -> Response:
    bundle = exports.fhir_bundle(ctx.service_uow(write=False), person_id, ctx.now)
    return JSONResponse(bundle, media_type=FHIR_MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="backcoach-person-{person_id}-fhir.json"'})


def _pdf(ctx: Ctx, person_id: int) -> Response:
    pdf = exports.report_pdf(ctx.service_uow(write=False), person_id, ctx.now)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="backcoach-person-{person_id}-report.pdf"'})


def _clinician_access(ctx: Ctx, person_id: int, what: str) -> None:
    clinician = clinician_required(ctx, person_id)
    accounts.audit(ctx.uow, actor_user_id=clinician.id, person_id=person_id, action="person.exported",
                   detail={"format": what}, now=ctx.now)
    ctx.commit()


_FHIR_DOC: dict[str, Any] = {200: {"content": {FHIR_MEDIA_TYPE: {}}, "description": "A FHIR R4 collection Bundle"}}
_PDF_DOC: dict[str, Any] = {200: {"content": {"application/pdf": {}}, "description": "A PDF report"}}


@router.get("/me/export/fhir", summary="Your record as an HL7 FHIR R4 bundle", responses=_FHIR_DOC)
def my_fhir(ctx: Ctx = Depends(api_ctx)) -> Response:
    role_required(ctx, "person")
    return _fhir(ctx, ctx.person_id)


@router.get("/me/export/report.pdf", summary="Your progress report as PDF", responses=_PDF_DOC)
def my_pdf(ctx: Ctx = Depends(api_ctx)) -> Response:
    role_required(ctx, "person")
    return _pdf(ctx, ctx.person_id)


@router.get("/clinician/people/{person_id}/export/fhir", summary="A person's record as an HL7 FHIR R4 bundle",
            responses=_FHIR_DOC)
def person_fhir(person_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> Response:
    _clinician_access(ctx, person_id, "fhir")
    return _fhir(ctx, person_id)


@router.get("/clinician/people/{person_id}/export/report.pdf", summary="A person's progress report as PDF",
            responses=_PDF_DOC)
def person_pdf(person_id: RecordId, ctx: Ctx = Depends(api_ctx)) -> Response:
    _clinician_access(ctx, person_id, "pdf")
    return _pdf(ctx, person_id)
