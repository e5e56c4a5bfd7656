"""A stalled database gives a quick 503 with Retry-After instead of freezing the server.

Why this is needed: a worker runs its routes on one request thread by default
(BACKCOACH_WEB_THREADS, see app._lifespan), so a request waiting on the database holds up
every other request of that worker. So the web's database calls have short timeouts (WebOptions.db_*:
lock waits, statements, the connection pool, connecting), a timeout becomes
`DatabaseBusy` (503 + Retry-After), and for PAUSE_S afterwards the worker answers the
routes that need the database with 503 at once, without touching it, so that static
files and pages that need no database keep being served fast. Then the next request
tries the database again: recovery needs nothing more than the database answering.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.exc import SQLAlchemyError

from backcoach.storage.database import BUSY_MESSAGE, DatabaseBusy, is_busy_error

log = logging.getLogger("backcoach.web")

RETRY_AFTER_S = 2
PAUSE_S = float(RETRY_AFTER_S)  # as long as Retry-After tells the clients to wait
BUSY_TEXT = "The service is very busy right now, so nothing was changed. Please try again in a moment."


def check(request: Request) -> None:
    """Called before a request's first database use: refuse at once while the database is paused."""
    if time.monotonic() < request.app.state.db_paused_until:
        raise DatabaseBusy(BUSY_MESSAGE)


def _busy_response(request: Request) -> Any:
    from backcoach.web.errors import error_response

    request.app.state.db_paused_until = time.monotonic() + PAUSE_S
    return error_response(request, 503, BUSY_TEXT, headers={"Retry-After": str(RETRY_AFTER_S)})


def install(app: FastAPI) -> None:
    @app.exception_handler(DatabaseBusy)
    async def _busy(request: Request, exc: DatabaseBusy):
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
        return _busy_response(request)

    @app.exception_handler(SQLAlchemyError)
    async def _database_error(request: Request, exc: SQLAlchemyError):
        """A database error no unit of work translated (e.g. while reading who is asking)."""
        if is_busy_error(exc):
            log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
            return _busy_response(request)
        from backcoach.web.errors import unexpected_response

        return unexpected_response(request, exc)
