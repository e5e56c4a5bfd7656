"""The JSON API: everything the pages do, under /api, documented at /docs."""

from fastapi import APIRouter

router = APIRouter(prefix="/api")
