"""The JSON API: everything the pages do, under /api, documented at /docs.

Routes that answer with plain data return it as ``PlainJSONResponse`` (see deps) and
declare its shape with ``response_model=``, so FastAPI neither validates nor re-encodes it.
"""

from fastapi import APIRouter

from backcoach.web.api import admin, auth, clinician, data_rights, exports, outcomes, person, videos
from backcoach.web.blocking import BlockingRoute

router = APIRouter(prefix="/api", route_class=BlockingRoute)
router.include_router(auth.router)
router.include_router(person.router)
router.include_router(clinician.router)
router.include_router(exports.router)
router.include_router(outcomes.router)
router.include_router(data_rights.router)
router.include_router(videos.router)
router.include_router(admin.router)
