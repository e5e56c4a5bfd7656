"""The JSON API: everything the pages do, under /api, documented at /docs."""

from fastapi import APIRouter

from backcoach.web.api import auth, clinician, exports, person

router = APIRouter(prefix="/api")
router.include_router(auth.router)
router.include_router(person.router)
router.include_router(clinician.router)
router.include_router(exports.router)
