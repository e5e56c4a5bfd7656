"""Server-rendered pages, one module per resource."""

from fastapi import APIRouter

from backcoach.web.routes import admin, auth, clinic, coach, docs, outcomes, person

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(person.router)
router.include_router(outcomes.router)
router.include_router(clinic.router)
router.include_router(admin.router)
router.include_router(docs.router)
router.include_router(coach.router)
