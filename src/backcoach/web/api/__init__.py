"""The JSON API: everything the pages do, under /api, documented at /docs.

Every route declares the shape of its answer (`response_model=`, api/schemas.py), so
/openapi.json documents it and FastAPI checks each answer against it. Routes are plain
functions (FastAPI runs them in its thread pool); the dependencies they ask for (who is
asking, the unit of work, the clock) are the `Annotated` types of web/deps.py.
"""

from fastapi import APIRouter

from backcoach.web.api import admin, auth, clinician, data_rights, exports, outcomes, person, videos

router = APIRouter(prefix="/api")
router.include_router(auth.router)
router.include_router(person.router)
router.include_router(clinician.router)
router.include_router(exports.router)
router.include_router(outcomes.router)
router.include_router(data_rights.router)
router.include_router(videos.router)
router.include_router(admin.router)
