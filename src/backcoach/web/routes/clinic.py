"""The clinician's pages: people by what needs attention, one person's record, audit log."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
