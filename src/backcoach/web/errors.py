"""Error responses: one shape for the API (JSON) and the pages (HTML), generic bodies, details in the log.

Why a middleware as well as FastAPI's handlers: Starlette turns an unexpected exception
into a 500 in its outermost middleware and then raises it again, so that the server
logs it; uvicorn then closes the connection, and the next request a client sends on
that keep-alive connection is reset. ``ErrorMiddleware`` answers instead, logs the
traceback itself and raises nothing, so the connection stays usable.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("backcoach.web")

RETRY_AFTER_SECONDS = 30
UNEXPECTED = "Something went wrong on our side and nothing was changed. Please try again in a moment."
UNAVAILABLE = ("backcoach cannot reach its database at the moment, so nothing was read or changed. "
               "Please try again in a few minutes.")
CANNOT_SAVE = ("backcoach cannot save anything at the moment (its storage is read-only or full), so nothing "
               "was changed. Please try again later; what is already saved is safe.")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str, *, headers: dict[str, str] | None = None,
                   errors: list[dict[str, str]] | None = None) -> Response:
    """JSON ``{"detail": message}`` for the API, the error page for a browser."""
    if wants_json(request):
        body: dict[str, Any] = {"detail": message}
        if errors is not None:
            body["errors"] = errors
        return JSONResponse(body, status_code=status, headers=headers)
    return error_page(request, status, message, headers=headers)


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    from backcoach.web.pages import DISCLAIMER
    from backcoach.web.security import Session

    templates = request.app.state.templates
    session = getattr(request.state, "session", None) or Session.anonymous()
    return templates.TemplateResponse(
        request,
        "errors/error.html",
        {"request": request, "status": status, "error_message": message, "account": None,
         "csrf_token": request.app.state.signer.csrf_token(session), "disclaimer": DISCLAIMER,
         "path": request.url.path, "message": None, "form_token": ""},
        status_code=status,
        headers=headers,
    )


def storage_failure(exc: BaseException) -> str | None:
    """The message for a database that cannot be used (unreachable, read-only, full), else None.

    Only the kind of failure is told; the database's address and the driver's words go to the log.
    """
    from sqlalchemy.exc import DBAPIError

    from backcoach.storage.database import DatabaseUnavailable, is_connection_error

    if isinstance(exc, DatabaseUnavailable):
        return UNAVAILABLE
    if not isinstance(exc, DBAPIError):
        return None
    text = str(getattr(exc, "orig", None) or exc).lower()
    if any(m in text for m in ("readonly database", "read-only", "read only", "disk is full", "disk full",
                               "no space left", "could not extend file", "database or disk is full")):
        return CANNOT_SAVE
    if is_connection_error(exc):
        return UNAVAILABLE
    return None


def unexpected_response(request: Request, exc: BaseException) -> Response:
    """A 503 for a database that cannot be used, else a 500; the body never holds the exception's text."""
    unusable = storage_failure(exc)
    if unusable is not None:
        log.error("database not usable on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 503, unusable, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, UNEXPECTED)


class ErrorMiddleware:
    """Answers any exception that escapes the app (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            if started:  # half a response went out: nothing better than letting the server close it
                raise
            response = unexpected_response(Request(scope, receive), exc)
            await response(scope, receive, send)
